"""The public review history: every approved revision of an article, with its reviewers.

Reads the board's reviews through the reverse relations (``Revision.reviews``), so articles
need not import reviews. Two queries, whatever the number of revisions.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

from articles.models import Article


@dataclass
class HistoryEntry:
    number: int
    approved_at: datetime
    change_summary: str
    reviewers: list[str] = field(default_factory=list)


def review_history(article: Article) -> list[HistoryEntry]:
    """Approved revisions, newest first: never one still in review or turned down.

    A revision counts as approved when it reached the approvals quorum and is no newer than
    the live revision (a newer one with approvals is still short of quorum). One query.
    """
    live = article.live_revision
    if live is None:
        return []
    rows = (
        article.revisions.filter(number__lte=live.number, reviews__decision="approve")
        .order_by("-number", "reviews__created_at")
        .values_list(
            "pk",
            "number",
            "change_summary",
            "reviews__created_at",
            "reviews__member__user__first_name",
            "reviews__member__user__last_name",
            "reviews__member__user__username",
            "reviews__member__credentials",
        )
    )
    entries: dict[int, HistoryEntry] = {}
    for pk, number, summary, decided_at, first, last, username, credentials in rows:
        entry = entries.setdefault(pk, HistoryEntry(number, decided_at, summary))
        # The approval that completed the quorum dates the entry.
        entry.approved_at = max(entry.approved_at, decided_at)
        name = f"{first} {last}".strip() or username
        entry.reviewers.append(f"{name}, {credentials}" if credentials else name)
    quorum = settings.VETTED_APPROVALS_REQUIRED
    return [
        entry for pk, entry in entries.items() if pk == live.pk or len(entry.reviewers) >= quorum
    ]
