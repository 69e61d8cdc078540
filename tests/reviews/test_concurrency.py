"""Two board members approving the same revision at the same moment, on real PostgreSQL."""

import threading

import pytest
from django.db import connection, connections
from django_fsm_log.models import StateLog

from articles.models import Article
from reviews.models import Review
from reviews.services import (
    TransitionRefused,
    article_submit,
)
from tests import factories
from tests.factories import record_on_latest, start_review_on_latest


def approve_together(article, members) -> list:
    """Run review_record for every member in its own thread and connection, released at once."""
    barrier = threading.Barrier(len(members))
    outcomes = []

    def approve(member):
        try:
            barrier.wait(timeout=10)
            record_on_latest(article=article, user=member.user, decision="approve")
            outcomes.append("approved")
        except TransitionRefused as refusal:
            outcomes.append(refusal.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def contested(roles):
    author = factories.AuthorFactory()
    members = [factories.BoardMemberFactory() for _ in range(2)]
    article = factories.article_with_evidence(authors=[author])
    article_submit(article=article, user=author)
    start_review_on_latest(article=article, user=members[0].user)
    return article, members


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_reach_quorum_once(contested, settings):
    assert connection.vendor == "postgresql"
    settings.VETTED_APPROVALS_REQUIRED = 2
    article, members = contested
    revision = article.revision_under_review()
    outcomes = approve_together(article, members)
    assert outcomes == ["approved", "approved"]
    article = Article.objects.get(pk=article.pk)
    assert article.status == Article.Status.APPROVED
    assert article.live_revision == revision
    assert Review.objects.filter(revision=revision).count() == 2
    assert set(article.reviewed_by.all()) == set(members)
    assert StateLog.objects.for_(article).filter(transition="approve").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_with_quorum_one_approve_once(contested, settings):
    settings.VETTED_APPROVALS_REQUIRED = 1
    article, members = contested
    outcomes = approve_together(article, members)
    # One wins; the other is told clearly, and nothing of theirs is half-written.
    assert outcomes.count("approved") == 1
    assert len(outcomes) == 2
    article = Article.objects.get(pk=article.pk)
    assert article.status == Article.Status.APPROVED
    assert Review.objects.count() == 1
    assert StateLog.objects.for_(article).filter(transition="approve").count() == 1
    assert article.reviewed_by.count() == 1
