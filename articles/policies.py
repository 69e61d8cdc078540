"""Who may do what to an article: the one module that decides roles.

The desk, the admin, the workflow services, the API and the tests all ask here. Roles are
data: the groups that ``manage.py setup_roles`` makes hold these permissions, and a check
here is a permission check, never a group-name or user-name check.
"""

from django.utils.translation import gettext as _

WRITE = "articles.write_article"
REVIEW = "articles.review_article"
MANAGE = "articles.manage_article"

IN_BOARD_HANDS = frozenset({"submitted", "under_review"})


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_use_desk(user) -> bool:
    """Authors and editors work at the desk."""
    return _active(user) and user.has_perm(WRITE)


def is_editor(user) -> bool:
    return _active(user) and user.has_perm(MANAGE)


def board_member_for(user):
    """The user's active board profile, if they hold the board's permission; else None."""
    if not (_active(user) and user.has_perm(REVIEW)):
        return None
    member = getattr(user, "board_member", None)
    return member if member is not None and member.is_active else None


def is_author_of(user, article) -> bool:
    return _active(user) and article.pk is not None and article.authors.filter(pk=user.pk).exists()


def may_open_at_desk(user, article) -> bool:
    """Editors open every article at the desk; anyone else only those they author."""
    return can_use_desk(user) and (is_editor(user) or is_author_of(user, article))


def may_edit_content(user, article) -> bool:
    return article.is_content_editable and may_open_at_desk(user, article)


def may_submit(user, article) -> bool:
    """Submit and withdraw: an active author of the article."""
    return is_author_of(user, article)


def may_revise(user, article) -> bool:
    return is_author_of(user, article) or is_editor(user)


def may_manage(user, article=None) -> bool:
    """Archive, restore and request re-review: editors."""
    return is_editor(user)


def may_change_authors(user, article) -> bool:
    """Only editors change authors, and never while the board has the article."""
    return is_editor(user) and article.status not in IN_BOARD_HANDS


def may_retract(user) -> bool:
    return is_editor(user)


def decision_refusal(user, article, revision=None) -> str | None:
    """Why this user may not decide on the article's revision under review; None if they may.

    Deciding means starting review, approving, requesting changes or rejecting.
    """
    member = board_member_for(user)
    if member is None:
        return _("Only active members of the Medical Advisory Board decide on articles.")
    if is_author_of(user, article):
        return _("You are an author of this article, so you cannot decide on it.")
    revision = revision if revision is not None else article.revision_under_review()
    if revision is not None and revision.was_written_by(user):
        return _("You wrote or edited revision %(number)s, so you cannot decide on it.") % {
            "number": revision.number
        }
    if member.has_conflict_with(article.topic):
        return _("You declared a conflict of interest with the topic “%(topic)s”.") % {
            "topic": article.topic
        }
    return None


def may_decide(user, article, revision=None) -> bool:
    return decision_refusal(user, article, revision) is None
