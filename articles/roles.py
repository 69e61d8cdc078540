"""The editorial roles as data: groups and their permissions, set up idempotently.

What each permission allows is decided in articles.policies, the one module that answers
"may this user do X to this article?". Content is written at the desk through
articles.services.content, so no role holds the admin's add or change permission on content
models: in the admin, article content is read-only for everyone.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

AUTHORS = "Authors"
BOARD = "Medical Advisory Board"
EDITORS = "Editors"

CONTENT_MODELS = [
    "articles.article",
    "articles.articlesummaryvariant",
    "articles.evidencesection",
    "articles.statement",
    "articles.statementvariant",
    "citations.reference",
    "citations.citation",
]
_VIEW_CONTENT = [f"{model.split('.')[0]}.view_{model.split('.')[1]}" for model in CONTENT_MODELS]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    AUTHORS: [
        "articles.write_article",
        *_VIEW_CONTENT,
        "articles.view_topic",
        "articles.view_revision",
    ],
    BOARD: [
        "articles.review_article",
        *_VIEW_CONTENT,
        "articles.view_revision",
        "articles.view_topic",
        "reviews.view_review",
        "reviews.view_boardmember",
        "reviews.view_reviewassignment",
        "django_fsm_log.view_statelog",
    ],
    EDITORS: [
        "articles.manage_article",
        "articles.write_article",
        # Editors change an article's authors in the admin (articles.policies decides when).
        "articles.change_article",
        *(
            f"articles.{action}_{model}"
            for model in (
                "topic",
                "audience",
                "sectionkind",
                "disclaimer",
                "editorialpolicy",
                "followupquestion",
            )
            for action in ("add", "change", "delete", "view")
        ),
        *_VIEW_CONTENT,
        "articles.view_revision",
        "reviews.view_review",
        "reviews.view_boardmember",
        "reviews.change_boardmember",
        "reviews.add_boardmember",
        "reviews.add_reviewassignment",
        "reviews.change_reviewassignment",
        "reviews.delete_reviewassignment",
        "reviews.view_reviewassignment",
        "django_fsm_log.view_statelog",
    ],
}

STAFF_ROLES = {BOARD, EDITORS}


def _permission(codename: str) -> Permission:
    app_label, code = codename.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=code)


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create the groups and set exactly their permissions; running twice changes nothing."""
    groups = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(code) for code in codenames])
        groups[name] = group
    return groups
