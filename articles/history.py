"""The public review history: every approved revision that readers saw, with its reviewers.

Reads the board's reviews and go-live records through reverse relations
(``Revision.reviews``, ``Revision.scheduled_releases``), so articles need not import reviews.
Two queries, whatever the number of revisions.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from articles.models import Article, Revision


@dataclass
class HistoryEntry:
    number: int
    approved_at: datetime
    change_summary: str
    reviewers: list[str] = field(default_factory=list)
    is_correction: bool = False
    correction_note: str = ""


def _release_rows():
    """The go-live records (reviews.ScheduledRelease), found through the reverse relation."""
    return Revision._meta.get_field("scheduled_releases").related_model._default_manager


def went_live(revisions: QuerySet) -> QuerySet:
    """Drop revisions approved for a go-live time that never came (not yet, cancelled, or
    lapsed): readers never saw them, so the history does not list them."""
    releases = _release_rows()
    held = Exists(releases.filter(revision=OuterRef("pk"), kind="scheduled"))
    released = Exists(releases.filter(revision=OuterRef("pk"), kind="released"))
    return revisions.filter(~Q(held) | Q(released))


def review_history(article: Article) -> list[HistoryEntry]:
    """Approved revisions that went live, newest first: never one still in review, turned
    down, or approved for a go-live time not reached.

    A revision counts as approved when it reached the approvals quorum and is no newer than
    the live revision (a newer one with approvals is still short of quorum or waits for its
    go-live time). One query.
    """
    live = article.live_revision
    if live is None:
        return []
    rows = (
        went_live(article.revisions.filter(number__lte=live.number))
        .filter(reviews__decision="approve")
        .order_by("-number", "reviews__created_at")
        .values_list(
            "pk",
            "number",
            "change_summary",
            "is_correction",
            "correction_note",
            "reviews__created_at",
            "reviews__member__user__first_name",
            "reviews__member__user__last_name",
            "reviews__member__user__username",
            "reviews__member__credentials",
        )
    )
    entries: dict[int, HistoryEntry] = {}
    for pk, number, summary, correction, note, decided_at, first, last, username, cred in rows:
        entry = entries.setdefault(
            pk, HistoryEntry(number, decided_at, summary, [], correction, note)
        )
        # The approval that completed the quorum dates the entry.
        entry.approved_at = max(entry.approved_at, decided_at)
        name = f"{first} {last}".strip() or username
        entry.reviewers.append(f"{name}, {cred}" if cred else name)
    quorum = settings.VETTED_APPROVALS_REQUIRED
    return [
        entry for pk, entry in entries.items() if pk == live.pk or len(entry.reviewers) >= quorum
    ]
