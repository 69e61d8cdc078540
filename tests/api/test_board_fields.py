"""The article document carries the board's work: change summary, correction flag, grades per
statement, and the public review history (never a revision still waiting to go live)."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from articles.models import Article, Statement
from reviews.services import article_submit, review_record
from tests import factories
from tests.factories import _seen, reopen, start_review_on_latest

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(make_client, setup):
    return make_client(factories.UserFactory(), ["content:read"])


def approve(article, member, **extra):
    article = Article.objects.get(pk=article.pk)
    if article.status == Article.Status.SUBMITTED:
        start_review_on_latest(article=article, user=member.user)
    review_record(
        article=Article.objects.get(pk=article.pk),
        user=member.user,
        decision="approve",
        **_seen(article),
        **extra,
    )


@pytest.fixture
def graded(author, board_member, setup):
    article = factories.article_with_evidence(
        authors=[author], slug="feet-cramp", topic=setup["topic"], sections=1, statements=2
    )
    article_submit(article=article, user=author, change_summary="First answer.")
    ids = list(
        Statement.objects.filter(section__article=article)
        .order_by("order")
        .values_list("pk", flat=True)
    )
    approve(article, board_member, grades={ids[0]: "moderate", ids[1]: ""})
    return Article.objects.get(pk=article.pk), ids


def test_document_has_grades_summary_and_history(reader, graded, board_member):
    article, ids = graded
    body = reader.get("/api/v1/articles/feet-cramp").json()
    statements = body["sections"][0]["statements"]
    assert [s["id"] for s in statements] == ids
    assert [s["certainty"] for s in statements] == ["moderate", None]
    assert body["revision"]["change_summary"] == "First answer."
    assert body["revision"]["is_correction"] is False
    [entry] = body["history"]
    assert entry["revision"] == 1 and entry["change_summary"] == "First answer."
    assert board_member.credentials in entry["reviewers"][0]


def test_correction_and_held_revision(reader, graded, author, board_member):
    article, ids = graded
    article = reopen(article)
    statement = Statement.objects.get(pk=ids[0])
    statement.text = "A corrected claim."
    statement.save()
    article_submit(
        article=Article.objects.get(pk=article.pk),
        user=author,
        change_summary="Fixed.",
        corrects_error=True,
        correction_note="The claim overstated the effect.",
    )
    approve(article, board_member, go_live_at=timezone.now() + timedelta(hours=1))
    held = reader.get("/api/v1/articles/feet-cramp").json()
    assert held["revision"]["number"] == 1
    assert [entry["revision"] for entry in held["history"]] == [1]
    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + timedelta(hours=2)
        patch.setattr("django.utils.timezone.now", lambda: later)
        from reviews.services.releases import release_due_revisions

        release_due_revisions()
    response = reader.get("/api/v1/articles/feet-cramp")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["revision"]["number"] == 2
    assert body["revision"]["is_correction"] is True
    assert body["revision"]["correction_note"] == "The claim overstated the effect."
    assert [entry["is_correction"] for entry in body["history"]] == [True, False]


def test_pending_article_has_no_grades(reader, author, setup):
    article = factories.article_with_evidence(
        authors=[author], slug="pending-one", topic=setup["topic"]
    )
    article_submit(article=article, user=author)
    body = reader.get("/api/v1/articles/pending-one").json()
    assert body["review"]["approved"] is False and body["history"] == []
    assert all(
        statement["certainty"] is None
        for section in body["sections"]
        for statement in section["statements"]
    )
