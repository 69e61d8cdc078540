import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_fsm_log.models import StateLog

from articles.models import Article, Revision
from tests.factories import record_on_latest

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("flag_overdue_reviews", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def overdue(under_review, board_member):
    record_on_latest(article=under_review, user=board_member.user, decision="approve")
    Article.objects.filter(pk=under_review.pk).update(
        next_review_due=timezone.now() - timedelta(days=1)
    )
    return Article.objects.get(pk=under_review.pk)


def test_flag_overdue_reviews_sends_article_back_keeping_live(overdue):
    live = overdue.live_revision
    output = run()
    article = Article.objects.get(pk=overdue.pk)
    assert article.status == Article.Status.SUBMITTED
    assert article.live_revision == live
    assert article.revisions.count() == 2
    assert f"Flagged “{article.title}”" in output
    log = StateLog.objects.for_(article).order_by("-pk").first()
    assert (log.transition, log.by) == ("request_rereview", None)


def test_flag_overdue_reviews_second_run_changes_nothing(overdue):
    run()
    counts = (Revision.objects.count(), StateLog.objects.count())
    output = run()
    assert "No approved article is overdue" in output
    assert (Revision.objects.count(), StateLog.objects.count()) == counts


def test_flag_overdue_reviews_leaves_articles_not_yet_due(under_review, board_member):
    record_on_latest(article=under_review, user=board_member.user, decision="approve")
    run()
    assert Article.objects.get(pk=under_review.pk).status == Article.Status.APPROVED


def test_flag_overdue_reviews_dry_run_changes_nothing(overdue):
    output = run("--dry-run")
    assert "Would flag" in output
    assert Article.objects.get(pk=overdue.pk).status == Article.Status.APPROVED
