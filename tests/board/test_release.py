"""Scheduled go-live: an approval with a go-live time keeps readers on the previous revision
until the release task runs at or after that time; cancel, re-review, newer approvals, stale
schedules, and the audit rows."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from articles.history import review_history
from articles.models import Article
from reviews.releases import ScheduledRelease
from reviews.services import (
    TransitionRefused,
    article_request_rereview,
    article_submit,
    review_record,
)
from reviews.services.releases import (
    pending_release,
    release_cancel,
    release_due_revisions,
    release_schedule,
)
from tests import factories
from tests.factories import _seen, reopen, start_review_on_latest

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(microsecond=0) + timedelta(days=3)


def fresh(article):
    return Article.objects.get(pk=article.pk)


def frozen(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def approve(article, member, go_live_at=None):
    article = fresh(article)
    if article.status == Article.Status.SUBMITTED:
        start_review_on_latest(article=article, user=member.user)
    return review_record(
        article=fresh(article),
        user=member.user,
        decision="approve",
        go_live_at=go_live_at,
        **_seen(article),
    )


def resubmit(article, author, summary="Second version."):
    article = reopen(fresh(article))
    article.title = article.title + " (updated)"
    article.save()
    return article_submit(article=fresh(article), user=author, change_summary=summary)


@pytest.fixture
def live_r1(author, board_member):
    article = factories.article_with_evidence(authors=[author])
    article_submit(article=article, user=author, change_summary="First.")
    approve(article, board_member)
    return fresh(article)


@pytest.fixture
def scheduled(live_r1, author, board_member):
    """Revision 2 approved with a go-live time T0; revision 1 is live."""
    resubmit(live_r1, author)
    approve(live_r1, board_member, go_live_at=T0)
    return fresh(live_r1)


def test_approval_with_go_live_keeps_previous_revision(scheduled):
    assert scheduled.status == Article.Status.APPROVED
    assert scheduled.live_revision.number == 1
    assert scheduled.displayed_revision.number == 1
    schedule = pending_release(scheduled)
    assert schedule.revision.number == 2 and schedule.go_live_at == T0
    assert [entry.number for entry in review_history(scheduled)] == [1]


def test_boundary_one_second_before_and_after(scheduled, client):
    with frozen(T0 - timedelta(seconds=1)):
        assert release_due_revisions() == []
    assert fresh(scheduled).live_revision.number == 1
    page = client.get(scheduled.get_absolute_url())
    assert "(updated)" not in page.text
    with frozen(T0 + timedelta(seconds=1)):
        rows = release_due_revisions()
    assert [row.kind for row in rows] == [ScheduledRelease.Kind.RELEASED]
    article = fresh(scheduled)
    assert article.live_revision.number == 2
    assert article.displayed_revision.number == 2
    assert [entry.number for entry in review_history(article)] == [2, 1]
    assert "(updated)" in client.get(article.get_absolute_url()).text
    # A second run changes nothing.
    with frozen(T0 + timedelta(seconds=2)):
        assert release_due_revisions() == []


def test_release_command_runs_the_due_schedules(scheduled):
    with frozen(T0 - timedelta(seconds=1)):
        call_command("release_due_revisions")
    assert fresh(scheduled).live_revision.number == 1
    with frozen(T0):
        call_command("release_due_revisions")
    assert fresh(scheduled).live_revision.number == 2


def test_reviewed_by_and_date_wait_for_go_live(scheduled, board_member, other_board_member):
    article = fresh(scheduled)
    before = article.last_reviewed_at
    with frozen(T0 + timedelta(seconds=1)):
        release_due_revisions()
    article = fresh(scheduled)
    approval = article.live_revision.reviews.get()
    assert article.last_reviewed_at == approval.created_at != before
    assert list(article.reviewed_by.all()) == [board_member]


def test_never_approved_article_keeps_pending_view(author, board_member, client):
    article = factories.article_with_evidence(authors=[author])
    article_submit(article=article, user=author)
    approve(article, board_member, go_live_at=T0)
    article = fresh(article)
    assert article.status == Article.Status.APPROVED
    assert article.live_revision is None
    assert article.displayed_revision.number == 1
    assert review_history(article) == []
    assert client.get(article.get_absolute_url()).status_code == 200
    with frozen(T0 + timedelta(seconds=1)):
        release_due_revisions()
    article = fresh(article)
    assert article.live_revision.number == 1
    assert [entry.number for entry in review_history(article)] == [1]


def test_cancel_keeps_previous_revision(scheduled, board_member):
    release_cancel(article=scheduled, user=board_member.user, note="Embargo moved.")
    assert pending_release(scheduled) is None
    with frozen(T0 + timedelta(days=1)):
        assert release_due_revisions() == []
    assert fresh(scheduled).live_revision.number == 1
    kinds = list(ScheduledRelease.objects.filter(article=scheduled).values_list("kind", flat=True))
    assert sorted(kinds) == ["cancelled", "scheduled"]


def test_cancel_refused_for_other_people(scheduled, author, other_board_member):
    for user in (author.__class__.objects.get(pk=author.pk), other_board_member.user):
        with pytest.raises(TransitionRefused) as refused:
            release_cancel(article=scheduled, user=user)
        assert refused.value.status == 403
    assert pending_release(scheduled) is not None


def test_editor_reschedules_and_only_the_new_time_counts(scheduled, editor):
    later = T0 + timedelta(hours=2)
    release_schedule(article=scheduled, user=editor, go_live_at=later, revision_number=2)
    with frozen(T0 + timedelta(seconds=1)):
        assert release_due_revisions() == []
    with frozen(later):
        assert len(release_due_revisions()) == 1
    assert fresh(scheduled).live_revision.number == 2


def test_reschedule_after_cancel(scheduled, editor):
    release_cancel(article=scheduled, user=editor)
    release_schedule(article=scheduled, user=editor, go_live_at=T0)
    with frozen(T0):
        release_due_revisions()
    assert fresh(scheduled).live_revision.number == 2


def test_stale_schedule_form_is_refused(scheduled, editor):
    with pytest.raises(TransitionRefused) as refused:
        release_schedule(article=scheduled, user=editor, go_live_at=T0, revision_number=1)
    assert refused.value.status == 409
    assert pending_release(scheduled).go_live_at == T0


def test_past_or_naive_go_live_is_refused(live_r1, author, board_member):
    resubmit(live_r1, author)
    for bad in (timezone.now() - timedelta(minutes=1), T0.replace(tzinfo=None)):
        with pytest.raises(TransitionRefused):
            approve(live_r1, board_member, go_live_at=bad)
    article = fresh(live_r1)
    assert article.status == Article.Status.UNDER_REVIEW
    assert not ScheduledRelease.objects.exists()
    assert not article.revision_under_review().reviews.exists()


def test_rereview_while_scheduled_lapses(scheduled, editor):
    article_request_rereview(article=fresh(scheduled), user=editor, comment="Check again.")
    with frozen(T0 + timedelta(seconds=1)):
        rows = release_due_revisions()
    assert [row.kind for row in rows] == [ScheduledRelease.Kind.LAPSED]
    article = fresh(scheduled)
    assert article.live_revision.number == 1
    assert [entry.number for entry in review_history(article)] == [1]
    with pytest.raises(TransitionRefused):
        release_schedule(article=article, user=editor, go_live_at=T0 + timedelta(days=1))


def test_newer_approval_while_scheduled_lapses_the_old_schedule(scheduled, author, board_member):
    resubmit(scheduled, author, "Third.")
    approve(scheduled, board_member)  # revision 3 goes live now
    article = fresh(scheduled)
    assert article.live_revision.number == 3
    with frozen(T0 + timedelta(seconds=1)):
        rows = release_due_revisions()
    assert [row.kind for row in rows] == [ScheduledRelease.Kind.LAPSED]
    assert fresh(scheduled).live_revision.number == 3
    assert [entry.number for entry in review_history(article)] == [3, 1]


def test_go_live_needs_the_approval_that_completes_the_quorum(
    settings, live_r1, author, board_member, other_board_member
):
    settings.VETTED_APPROVALS_REQUIRED = 2
    resubmit(live_r1, author)
    with pytest.raises(TransitionRefused):
        approve(live_r1, board_member, go_live_at=T0)
    assert not fresh(live_r1).revision_under_review().reviews.exists()
    approve(live_r1, board_member)
    approve(live_r1, other_board_member, go_live_at=T0)
    assert fresh(live_r1).live_revision.number == 1
    assert pending_release(live_r1).by == other_board_member.user


def test_release_rows_are_append_only(scheduled):
    row = ScheduledRelease.objects.get()
    with pytest.raises(ValidationError):
        row.save()
    for sql in (
        "UPDATE reviews_scheduledrelease SET note = 'x'",
        "DELETE FROM reviews_scheduledrelease",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert ScheduledRelease.objects.get().note == row.note


def test_a_schedule_closes_only_once(scheduled, editor):
    schedule = pending_release(scheduled)
    release_cancel(article=scheduled, user=editor)
    with pytest.raises(TransitionRefused):
        release_cancel(article=scheduled, user=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledRelease.objects.create(
            article=scheduled, revision=schedule.revision, kind="released", closes=schedule
        )
    assert ScheduledRelease.objects.count() == 2


def test_schedule_enqueues_a_deferred_release_where_the_backend_can_defer(
    live_r1, author, board_member, django_capture_on_commit_callbacks
):
    resubmit(live_r1, author)
    fake = mock.Mock()
    fake.get_backend.return_value.supports_defer = True
    with (
        mock.patch("reviews.tasks.release_due_send", fake),
        django_capture_on_commit_callbacks(execute=True),
    ):
        approve(live_r1, board_member, go_live_at=T0)
    fake.using.assert_called_once_with(run_after=T0)
    fake.using.return_value.enqueue.assert_called_once_with()


def test_release_task_runs_due_schedules(scheduled):
    from reviews.tasks import release_due_send

    with frozen(T0 + timedelta(seconds=1)):
        result = release_due_send.enqueue()
    assert result.return_value == 1
    assert fresh(scheduled).live_revision.number == 2
