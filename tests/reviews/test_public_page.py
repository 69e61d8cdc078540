"""What readers see through the workflow: the approved revision, byte for byte, until quorum."""

import hashlib
import re
from http import HTTPStatus

import pytest

from articles.models import Article, Statement
from reviews.services import (
    article_archive,
    article_revise,
    article_submit,
)
from tests.factories import record_on_latest, start_review_on_latest

pytestmark = pytest.mark.django_db

# Per-request tokens (CSP nonce, CSRF) are not content; everything else must match.
VOLATILE = re.compile(r'(nonce|value)="[A-Za-z0-9_\-+/=]{16,}"')


def page_hash(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    return hashlib.sha256(VOLATILE.sub("", response.content.decode()).encode()).hexdigest()


def test_public_page_unchanged_until_new_revision_reaches_quorum(
    client, audiences, submitted, author, board_member, other_board_member, settings
):
    start_review_on_latest(article=submitted, user=board_member.user)
    record_on_latest(article=submitted, user=board_member.user, decision="approve")
    article = Article.objects.get(pk=submitted.pk)
    live = article.live_revision
    approved_hash = page_hash(client, article)
    assert live.short_hash in client.get(article.get_absolute_url()).content.decode()

    # The author opens a new working copy and edits it: readers keep the approved page.
    article_revise(article=article, user=author)
    statement = Statement.objects.filter(section__article=article).first()
    statement.text = "Edited after approval: stretch twice a day."
    statement.save()
    assert page_hash(client, article) == approved_hash

    # Submitted and under review: still the approved page.
    settings.VETTED_APPROVALS_REQUIRED = 2
    new_revision = article_submit(article=article, user=author)
    assert new_revision.content_hash != live.content_hash
    assert page_hash(client, article) == approved_hash
    start_review_on_latest(article=article, user=board_member.user)
    record_on_latest(article=article, user=board_member.user, decision="approve")
    article.refresh_from_db()
    assert article.status == Article.Status.UNDER_REVIEW
    assert article.live_revision == live
    assert page_hash(client, article) == approved_hash
    assert "Edited after approval" not in client.get(article.get_absolute_url()).content.decode()

    # The second distinct approval puts the new revision live.
    record_on_latest(article=article, user=other_board_member.user, decision="approve")
    article.refresh_from_db()
    assert article.live_revision == new_revision
    body = client.get(article.get_absolute_url()).content.decode()
    assert "Edited after approval" in body
    assert new_revision.short_hash in body


def test_public_page_before_approval_shows_caution(client, audiences, submitted):
    body = client.get(submitted.get_absolute_url()).content.decode()
    assert "pending human review" in body


def test_public_page_hidden_for_draft_and_changes_requested(
    client, audiences, under_review, board_member
):
    record_on_latest(
        article=under_review,
        user=board_member.user,
        decision="request_changes",
        comment="Please add the 2021 guideline.",
    )
    assert client.get(under_review.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_public_page_gone_once_archived(client, audiences, submitted, editor):
    article_archive(article=submitted, user=editor)
    assert client.get(submitted.get_absolute_url()).status_code == HTTPStatus.GONE
