"""The daily sweep that reminds assignees before and after their due date.

Run by ``manage.py send_assignment_reminders`` (a systemd timer, once a day). Each notice is
recorded as an ``AssignmentReminder`` row before it is sent, keyed by assignment, kind and day,
so a second run, or two runs at once, send nothing twice:

- *due soon*: once per due date, when the due date is at most
  ``VETTED_ASSIGNMENT_REMINDER_DAYS`` days away (default 2) and still ahead. Not sent when the
  member was assigned inside that window: the assignment email already named the date.
- *overdue*: once a day from the moment the due date has passed until the member decides,
  the article moves on to a newer revision or leaves the board's hands, or an editor
  withdraws the assignment.

Only open assignments are reminded (``ReviewAssignment.objects.open()``).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reviews.models import AssignmentReminder, ReviewAssignment
from reviews.notifications import assignment_notify_on_commit


@dataclass
class ReminderRun:
    due_soon: int = 0
    overdue: int = 0


def reminder_days() -> int:
    return int(getattr(settings, "VETTED_ASSIGNMENT_REMINDER_DAYS", 2))


def due_soon_candidates(now: datetime) -> list[ReviewAssignment]:
    window = timedelta(days=reminder_days())
    candidates = ReviewAssignment.objects.open().filter(due_at__gt=now, due_at__lte=now + window)
    # Assigned inside the window: the assignment email already named the date.
    return [a for a in candidates.order_by("due_at", "pk") if a.created_at <= a.due_at - window]


def overdue_candidates(now: datetime) -> list[ReviewAssignment]:
    return list(ReviewAssignment.objects.overdue(now).order_by("due_at", "pk"))


def _record_and_notify(assignment: ReviewAssignment, kind: str, day) -> bool:
    """Record the notice; send it after the commit only if this run recorded it first."""
    with transaction.atomic():
        _reminder, created = AssignmentReminder.objects.get_or_create(
            assignment=assignment, kind=kind, day=day
        )
        if created:
            assignment_notify_on_commit(assignment=assignment, kind=kind)
    return created


def assignment_reminders_send(*, now: datetime | None = None, dry_run: bool = False) -> ReminderRun:
    """Send the due-soon and overdue reminders not sent yet; returns how many went out."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = ReminderRun()
    for assignment in due_soon_candidates(now):
        day = timezone.localdate(assignment.due_at)
        if dry_run:
            run.due_soon += not _already_sent(assignment, AssignmentReminder.Kind.DUE_SOON, day)
        elif _record_and_notify(assignment, AssignmentReminder.Kind.DUE_SOON, day):
            run.due_soon += 1
    for assignment in overdue_candidates(now):
        if dry_run:
            run.overdue += not _already_sent(assignment, AssignmentReminder.Kind.OVERDUE, today)
        elif _record_and_notify(assignment, AssignmentReminder.Kind.OVERDUE, today):
            run.overdue += 1
    return run


def _already_sent(assignment: ReviewAssignment, kind: str, day) -> bool:
    return assignment.reminders.filter(kind=kind, day=day).exists()
