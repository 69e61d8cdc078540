"""The public review history below the references: every approved revision, with its date,
reviewers and credentials and the author's "what changed", and never an unapproved one."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from articles.history import review_history
from articles.models import Article
from reviews.services import article_submit
from tests import factories
from tests.factories import record_on_latest, reopen, start_review_on_latest

pytestmark = pytest.mark.django_db


def submit(article, author, summary=""):
    article_submit(article=Article.objects.get(pk=article.pk), user=author, change_summary=summary)


def review(article, member, decision="approve", comment=""):
    article = Article.objects.get(pk=article.pk)
    if article.status == Article.Status.SUBMITTED:
        start_review_on_latest(article=article, user=member.user)
    record_on_latest(
        article=Article.objects.get(pk=article.pk),
        user=member.user,
        decision=decision,
        comment=comment,
    )


@pytest.fixture
def published(author, board_member):
    article = factories.article_with_evidence(authors=[author])
    submit(article, author, "First version.")
    review(article, board_member)
    return Article.objects.get(pk=article.pk)


def test_change_summary_is_stored_with_revision_at_submit(published):
    assert published.live_revision.change_summary == "First version."


def test_desk_submit_form_passes_change_summary(client, author):
    article = factories.article_with_evidence(authors=[author])
    client.force_login(author)
    page = client.get(reverse("desk:article", args=[article.pk]))
    assert 'name="change_summary"' in page.text
    response = client.post(
        reverse("desk:article_submit", args=[article.pk]),
        {"change_summary": "  Added the 2025 guideline.  "},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert article.revisions.get().change_summary == "Added the 2025 guideline."


def test_history_lists_approved_revisions_with_reviewers(
    client, published, author, board_member, other_board_member
):
    article = reopen(published)
    submit(article, author, "Softened the advice on running.")
    review(article, other_board_member)
    [second, first] = review_history(Article.objects.get(pk=article.pk))
    assert (second.number, first.number) == (2, 1)
    assert second.change_summary == "Softened the advice on running."
    assert second.reviewers == [other_board_member.display_name]
    assert first.reviewers == [board_member.display_name]
    text = client.get(article.get_absolute_url()).text
    assert text.index("References") < text.index("Review history")
    assert "Softened the advice on running." in text
    assert other_board_member.credentials in text


def test_history_never_shows_unapproved_revision(client, published, author, board_member):
    article = reopen(published)
    submit(article, author, "Unapproved: under review.")
    review(article, board_member, "request_changes", "Not yet.")
    submit(article, author, "Unapproved: resubmitted.")
    start_review_on_latest(article=Article.objects.get(pk=article.pk), user=board_member.user)
    article = Article.objects.get(pk=article.pk)
    assert [entry.number for entry in review_history(article)] == [1]
    text = client.get(article.get_absolute_url()).text
    assert "Review history" in text
    assert "Unapproved" not in text


def test_history_skips_revision_short_of_quorum(published, author, board_member, settings):
    settings.VETTED_APPROVALS_REQUIRED = 2
    article = reopen(published)
    submit(article, author, "Half approved.")
    review(article, board_member)
    article = Article.objects.get(pk=article.pk)
    assert article.status == Article.Status.UNDER_REVIEW
    assert [entry.number for entry in review_history(article)] == [1]


def test_history_absent_before_any_approval(client, author):
    article = factories.article_with_evidence(authors=[author])
    submit(article, author, "Never approved.")
    article = Article.objects.get(pk=article.pk)
    assert review_history(article) == []
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert "Review history" not in response.text
    assert "Never approved." not in response.text
