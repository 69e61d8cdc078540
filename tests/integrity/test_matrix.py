"""Who may take which workflow step, through every door: zero wrong pairs.

For each actor x step x door the article is put in the step's source state through the real
workflow, the actor tries the step through that door, and the article's state says whether it
happened. Doors: the service itself, the admin's button (shown or not), the admin's step page
(a POST naming the revision), the admin change form with ``_fsm_transition_to`` (which must
never run a step by itself), and the desk's own step views.
"""

import contextlib
from http import HTTPStatus

import pytest
from django.urls import reverse

from articles.models import Article
from reviews.services import (
    TransitionRefused,
    article_archive,
    article_submit,
    article_transition,
)
from tests import factories

pytestmark = pytest.mark.django_db

ACTORS = [
    "anonymous",
    "author",
    "other_author",
    "board",
    "board_cowriter",
    "conflicted",
    "editor",
    "staff_no_group",
]
SOURCE = {
    "submit": "draft",
    "withdraw": "submitted",
    "start_review": "submitted",
    "approve": "under_review",
    "request_changes": "under_review",
    "reject": "under_review",
    "revise": "approved",
    "request_rereview": "approved",
    "archive": "draft",
    "restore": "archived",
}
ALLOWED = {
    "submit": {"author", "board_cowriter"},
    "withdraw": {"author", "board_cowriter"},
    "start_review": {"board"},
    "approve": {"board"},
    "request_changes": {"board"},
    "reject": {"board"},
    "revise": {"author", "board_cowriter", "editor"},
    "request_rereview": {"editor"},
    "archive": {"editor"},
    "restore": {"editor"},
}
DESK_STEPS = {
    "submit": "desk:article_submit",
    "withdraw": "desk:article_withdraw",
    "revise": "desk:article_revise",
}
ADMIN_STEPS = [step for step in SOURCE if step not in ("submit", "withdraw")]
CASES = (
    [(step, "service") for step in SOURCE]
    + [
        (step, door)
        for step in ADMIN_STEPS
        for door in ("admin_button", "admin_post", "admin_change_form")
    ]
    + [(step, "desk") for step in DESK_STEPS]
)


@pytest.fixture
def world(roles, audiences, section_kinds):
    """One user per actor, and an article written by the author and the board co-writer."""
    author = factories.AuthorFactory()
    cowriter = factories.BoardMemberFactory()
    cowriter.user.groups.add(roles["Authors"])
    conflicted = factories.BoardMemberFactory()
    article = factories.article_with_evidence(authors=[author, cowriter.user])
    conflicted.conflicts.add(article.topic)
    users = {
        "anonymous": None,
        "author": author,
        "other_author": factories.AuthorFactory(),
        "board": factories.BoardMemberFactory().user,
        "board_cowriter": cowriter.user,
        "conflicted": conflicted.user,
        "editor": factories.EditorFactory(),
        "staff_no_group": factories.UserFactory(is_staff=True),
    }
    return {"article": article, "users": users, "setup_member": factories.BoardMemberFactory()}


def put_in(world, state: str) -> Article:
    article, author = world["article"], world["users"]["author"]
    reviewer = world["setup_member"].user
    if state == "archived":
        article_archive(article=article, user=world["users"]["editor"])
    elif state == "approved":
        factories.article_publish(article, reviewers=[world["setup_member"]])
    elif state in ("submitted", "under_review"):
        article_submit(article=article, user=author)
        if state == "under_review":
            factories.start_review_on_latest(article=article, user=reviewer)
    return Article.objects.get(pk=article.pk)


def posted_step(article) -> dict:
    revision = article.revision_under_review()
    seen = (
        {"revision_number": revision.number, "content_hash": revision.content_hash}
        if (revision)
        else {}
    )
    return {**seen, "comment": "Checked.", "_workflow_confirm": "1"}


def attempt(client, world, step: str, door: str, user) -> bool:
    """Try the step; True if the door offered or ran it."""
    article = put_in(world, SOURCE[step])
    before = article.status
    if user is not None:
        client.force_login(user)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    step_url = reverse("admin:articles_article_transition", args=[article.pk, step])
    if door == "service":
        revision = article.revision_under_review()
        with contextlib.suppress(TransitionRefused):
            article_transition(
                article=article,
                name=step,
                user=user,
                comment="Checked.",
                revision_number=revision.number if revision else None,
                content_hash=revision.content_hash if revision else "",
            )
    elif door == "admin_button":
        response = client.get(change_url)
        return response.status_code == HTTPStatus.OK and f"/transition/{step}/" in (
            response.content.decode()
        )
    elif door == "admin_post":
        client.post(step_url, posted_step(article))
    elif door == "admin_change_form":
        client.post(change_url, {"_fsm_transition_to": step, **posted_step(article)})
    elif door == "desk":
        client.post(reverse(DESK_STEPS[step], args=[article.pk]))
    return Article.objects.get(pk=article.pk).status != before


@pytest.mark.parametrize(("step", "door"), CASES, ids=[f"{s}-{d}" for s, d in CASES])
def test_role_transition_door_matrix(client, world, step, door):
    wrong = []
    for actor in ACTORS:
        client.logout()
        # Each actor gets the article fresh from the step's source state.
        world["article"] = Article.objects.get(pk=world["article"].pk)
        happened = attempt(client, world, step, door, world["users"][actor])
        # The change form never runs a step: it only opens the step's own page. The admin
        # is for staff; authors who are not staff take their steps at the desk.
        user = world["users"][actor]
        staff_only = door.startswith("admin") and not (user is not None and user.is_staff)
        expected = actor in ALLOWED[step] and door != "admin_change_form" and not staff_only
        if happened != expected:
            wrong.append((actor, "ran" if happened else "refused"))
        reset(world)
    assert wrong == []


def reset(world):
    """A new article for the next actor, written by the same two people."""
    users = world["users"]
    article = factories.article_with_evidence(
        authors=[users["author"], users["board_cowriter"]], topic=world["article"].topic
    )
    world["article"] = article
