"""On PostgreSQL, with real concurrent transactions: a cancel racing the release task, and two
release runs at once. A schedule closes exactly once, and the article matches the winner."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from reviews.releases import ScheduledRelease
from reviews.services import TransitionRefused, article_submit, review_record
from reviews.services.releases import release_cancel, release_due_revisions
from tests import factories
from tests.factories import _seen, reopen, start_review_on_latest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def scheduled_article(at):
    author = factories.AuthorFactory()
    member = factories.BoardMemberFactory()
    article = factories.article_with_evidence(authors=[author])
    factories.article_publish(article, reviewers=[member])
    article = reopen(Article.objects.get(pk=article.pk))
    article_submit(article=article, user=author)
    start_review_on_latest(article=Article.objects.get(pk=article.pk), user=member.user)
    review_record(
        article=Article.objects.get(pk=article.pk),
        user=member.user,
        decision="approve",
        go_live_at=at,
        **_seen(article),
    )
    return Article.objects.get(pk=article.pk), member


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def runner(index, job):
        try:
            barrier.wait()
            outcomes[index] = job()
        except TransitionRefused as refusal:
            outcomes[index] = refusal
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("attempt", range(3))
def test_cancel_racing_the_release_closes_the_schedule_once(roles, attempt):
    at = timezone.now() + timedelta(minutes=5)
    article, member = scheduled_article(at)
    later = at + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        run_together(
            lambda: release_due_revisions(now=later),
            lambda: release_cancel(article=article, user=member.user),
        )
    closing = list(ScheduledRelease.objects.exclude(kind="scheduled"))
    assert len(closing) == 1
    live = Article.objects.get(pk=article.pk).live_revision.number
    assert live == (2 if closing[0].kind == "released" else 1)


def test_two_release_runs_at_once_release_once(roles):
    at = timezone.now() + timedelta(minutes=5)
    article, _member = scheduled_article(at)
    later = at + timedelta(seconds=1)
    outcomes = run_together(
        lambda: release_due_revisions(now=later), lambda: release_due_revisions(now=later)
    )
    assert sorted(len(rows) for rows in outcomes) == [0, 1]
    assert ScheduledRelease.objects.filter(kind="released").count() == 1
    assert Article.objects.get(pk=article.pk).live_revision.number == 2
