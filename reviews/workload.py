"""The editors' overview of the board's workload: per member, open and overdue assignments,
decisions of the last days and the median time to a decision; and the overdue assignments.

Five queries whatever the size of the board or of the queue: counts are aggregated in the
database; the median is taken in Python over the window's decisions (one row each), because
SQLite has no median aggregate and the window bounds the rows.
"""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from reviews.models import BoardMember, Review, ReviewAssignment

WINDOW_DAYS = 30
OVERDUE_LISTED = 200


@dataclass
class MemberLoad:
    member: BoardMember
    open: int = 0
    overdue: int = 0
    decisions: int = 0
    median_to_decision: timedelta | None = None


@dataclass
class Workload:
    members: list[MemberLoad]
    overdue: list[ReviewAssignment]
    overdue_total: int
    window_days: int
    now: datetime


def decision_durations(since: datetime) -> dict[int, list[timedelta]]:
    """Per member, how long each decision since ``since`` took: from an editor's assignment of
    the member to that revision (one with a due date), or from the revision's submission when
    they picked it up unassigned (starting review records a dateless assignment)."""
    first_assigned = (
        ReviewAssignment.objects.filter(
            revision=OuterRef("revision"), member=OuterRef("member"), due_at__isnull=False
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    rows = (
        Review.objects.filter(created_at__gte=since)
        .order_by()
        .annotate(assigned_at=Subquery(first_assigned), submitted_at=F("revision__created_at"))
        .values_list("member_id", "created_at", "assigned_at", "submitted_at")
    )
    durations: dict[int, list[timedelta]] = {}
    for member_id, decided_at, assigned_at, submitted_at in rows:
        start = assigned_at or submitted_at
        durations.setdefault(member_id, []).append(max(decided_at - start, timedelta(0)))
    return durations


def board_workload(now: datetime | None = None, window_days: int = WINDOW_DAYS) -> Workload:
    now = now or timezone.now()
    since = now - timedelta(days=window_days)
    members = list(
        BoardMember.objects.select_related("user").order_by(
            "-is_active", "user__last_name", "user__first_name", "pk"
        )
    )
    loads = {member.pk: MemberLoad(member=member) for member in members}
    open_counts = (
        ReviewAssignment.objects.open()
        .order_by()
        .values("member_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    )
    for row in open_counts:
        if row["member_id"] in loads:
            loads[row["member_id"]].open = row["open"]
            loads[row["member_id"]].overdue = row["overdue"]
    decided = (
        Review.objects.filter(created_at__gte=since)
        .order_by()
        .values("member_id")
        .annotate(n=Count("pk"))
    )
    for row in decided:
        if row["member_id"] in loads:
            loads[row["member_id"]].decisions = row["n"]
    for member_id, durations in decision_durations(since).items():
        if member_id in loads:
            loads[member_id].median_to_decision = statistics.median(durations)
    overdue = list(
        ReviewAssignment.objects.overdue(now)
        .select_related("article", "member__user", "revision", "assigned_by")
        .defer("revision__snapshot", "article__summary")
        .order_by("due_at", "pk")[: OVERDUE_LISTED + 1]
    )
    return Workload(
        members=list(loads.values()),
        overdue=overdue[:OVERDUE_LISTED],
        overdue_total=sum(load.overdue for load in loads.values()),
        window_days=window_days,
        now=now,
    )
