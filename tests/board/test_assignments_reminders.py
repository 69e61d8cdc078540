"""The daily reminder sweep with a frozen clock: one second either side of every boundary."""

import io
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core.management import call_command

from articles.models import Article
from reviews.models import AssignmentReminder
from reviews.services import article_submit
from reviews.services.assignments import assignment_create, assignment_withdraw
from reviews.services.reminders import assignment_reminders_send
from tests import factories
from tests.factories import record_on_latest

ASSIGNED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)


@contextmanager
def frozen(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def run(django_capture_on_commit_callbacks, mailoutbox):
    """Run the sweep at a moment; return the kinds of the emails it sent."""

    def at(moment):
        before = len(mailoutbox)
        with frozen(moment), django_capture_on_commit_callbacks(execute=True):
            assignment_reminders_send()
        return [message.subject.split(" ")[1] for message in mailoutbox[before:]]

    return at


@pytest.fixture
def assignment(author, editor, board_member, django_capture_on_commit_callbacks):
    article = factories.article_with_evidence(authors=[author], title="Is ice better than heat?")
    article_submit(article=article, user=author)
    with frozen(ASSIGNED_AT), django_capture_on_commit_callbacks(execute=True):
        return assignment_create(article=article, members=[board_member], due_at=DUE, user=editor)[
            0
        ]


def test_due_soon_reminder_at_the_window_boundary(assignment, run, mailoutbox, settings):
    settings.VETTED_ASSIGNMENT_REMINDER_DAYS = 2
    assert len(mailoutbox) == 1  # the assignment notice
    window_opens = DUE - 2 * DAY
    assert run(window_opens - SECOND) == []
    assert run(window_opens) == ["due"]
    assert run(window_opens + SECOND) == []  # a rerun sends nothing twice
    assert run(DUE - SECOND) == []  # once per due date
    assert run(DUE) == []  # due now, not yet overdue
    message = mailoutbox[1]
    assert message.to == [assignment.member.user.email]
    assert "2026-03-09" in message.subject and "Is ice better than heat?" in message.subject
    assert AssignmentReminder.objects.filter(kind="due_soon").count() == 1


def test_the_window_follows_the_setting(assignment, run, settings):
    settings.VETTED_ASSIGNMENT_REMINDER_DAYS = 5
    assert run(DUE - 5 * DAY - SECOND) == []
    assert run(DUE - 5 * DAY) == ["due"]


def test_overdue_reminders_once_a_day(assignment, run, mailoutbox):
    assert run(DUE + SECOND) == ["overdue"]
    kinds = list(AssignmentReminder.objects.values_list("kind", "day").order_by("kind"))
    # Past due, the due-soon reminder is no longer sent; the overdue one is, once that day.
    assert ("overdue", DUE.date()) in kinds
    assert not any(kind == "due_soon" for kind, _ in kinds)
    assert run(DUE + 2 * SECOND) == []
    assert run(DUE.replace(hour=23, minute=59, second=59)) == []
    next_day = DUE.replace(hour=0, minute=0, second=0) + DAY
    assert run(next_day - SECOND) == []
    assert run(next_day) == ["overdue"]
    assert run(next_day + 6 * DAY) == ["overdue"]
    assert "overdue" in mailoutbox[-1].body


def test_assigned_inside_the_window_gets_no_due_soon_reminder(
    author, editor, board_member, run, django_capture_on_commit_callbacks
):
    article = factories.article_with_evidence(authors=[author])
    article_submit(article=article, user=author)
    with frozen(DUE - DAY), django_capture_on_commit_callbacks(execute=True):
        assignment_create(article=article, members=[board_member], due_at=DUE, user=editor)
    assert run(DUE - DAY + SECOND) == []
    assert run(DUE - SECOND) == []
    assert run(DUE + SECOND) == ["overdue"]


def test_decided_withdrawn_or_superseded_assignments_are_not_reminded(
    assignment, author, editor, other_board_member, run, django_capture_on_commit_callbacks
):
    article = assignment.article
    # Decided: the member requested changes.
    with frozen(ASSIGNED_AT + SECOND):
        factories.start_review_on_latest(article=article, user=assignment.member.user)
        record_on_latest(
            article=article, user=assignment.member.user, decision="request_changes", comment="Why?"
        )
    # Withdrawn: another member's assignment on a second article.
    second = factories.article_with_evidence(authors=[author])
    article_submit(article=second, user=author)
    with frozen(ASSIGNED_AT), django_capture_on_commit_callbacks(execute=True):
        other = assignment_create(
            article=second, members=[other_board_member], due_at=DUE, user=editor
        )[0]
        assignment_withdraw(assignment=other, user=editor)
    assert Article.objects.get(pk=article.pk).status == Article.Status.CHANGES_REQUESTED
    assert run(DUE - DAY) == []
    assert run(DUE + SECOND) == []


def test_the_command_reports_and_a_dry_run_sends_nothing(assignment, mailoutbox):
    out = io.StringIO()
    with frozen(DUE + SECOND):
        call_command("send_assignment_reminders", "--dry-run", stdout=out)
    assert "1 overdue reminder(s) would be sent" in out.getvalue()
    assert len(mailoutbox) == 1
    assert not AssignmentReminder.objects.filter(kind="overdue").exists()
    out = io.StringIO()
    with frozen(DUE + SECOND):
        call_command("send_assignment_reminders", stdout=out)
        call_command("send_assignment_reminders", stdout=io.StringIO())
    assert "1 overdue reminder(s) sent" in out.getvalue()
    assert AssignmentReminder.objects.filter(kind="overdue").count() == 1
