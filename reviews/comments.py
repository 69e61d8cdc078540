"""Reads of the board's comment threads: one query per article, grouped by anchor."""

from dataclasses import dataclass, field

from articles.models import Article, Revision
from reviews.models import StatementComment


@dataclass
class CommentThread:
    """An opening comment with its latest wording, replies and resolution."""

    opening: StatementComment
    body: str
    edited: bool = False
    replies: list[StatementComment] = field(default_factory=list)
    resolution: StatementComment | None = None

    @property
    def is_open(self) -> bool:
        return self.resolution is None

    @property
    def anchor_key(self) -> tuple[str, int]:
        return (self.opening.anchor, self.opening.anchor_id)

    @property
    def pk(self) -> int:
        return self.opening.pk


def comment_threads(article: Article) -> list[CommentThread]:
    """Every thread on the article, oldest first."""
    rows = StatementComment.objects.filter(article=article).select_related(
        "author__board_member", "revision"
    )
    rows = rows.defer("revision__snapshot")
    threads: dict[int, CommentThread] = {}
    for row in rows.order_by("created_at", "pk"):
        if row.kind == StatementComment.Kind.COMMENT:
            threads[row.pk] = CommentThread(opening=row, body=row.body)
            continue
        thread = threads.get(row.thread_id)
        if thread is None:
            continue
        if row.kind == StatementComment.Kind.EDIT:
            thread.body, thread.edited = row.body, True
        elif row.kind == StatementComment.Kind.REPLY:
            thread.replies.append(row)
        else:
            thread.resolution = row
    return list(threads.values())


def threads_by_anchor(threads: list[CommentThread]) -> dict[tuple[str, int], list[CommentThread]]:
    grouped: dict[tuple[str, int], list[CommentThread]] = {}
    for thread in threads:
        grouped.setdefault(thread.anchor_key, []).append(thread)
    return grouped


def anchor_text(snapshot: dict, anchor: str, anchor_id: int) -> str | None:
    """The statement's text (or the section's heading) in a snapshot; None if it is gone."""
    for section in (snapshot or {}).get("sections", []):
        if anchor == StatementComment.Anchor.SECTION and section.get("id") == anchor_id:
            return section.get("heading", "")
        for statement in section.get("statements", []):
            if anchor == StatementComment.Anchor.STATEMENT and statement.get("id") == anchor_id:
                return statement.get("text", "")
    return None


@dataclass(frozen=True)
class ThreadAcrossRevisions:
    """A thread as the board sees it on a later revision: resolved or not, and the text then
    and now."""

    thread: CommentThread
    text_then: str | None
    text_now: str | None

    @property
    def text_changed(self) -> bool:
        return self.text_then != self.text_now


def threads_for_board(article: Article, revision: Revision | None) -> list[ThreadAcrossRevisions]:
    """Every thread with the anchored text in its own revision and in ``revision``."""
    threads = comment_threads(article)
    if not threads:
        return []
    snapshots = dict(
        Revision.objects.filter(
            pk__in={thread.opening.revision_id for thread in threads}
        ).values_list("pk", "snapshot")
    )
    current = revision.snapshot if revision is not None else {}
    return [
        ThreadAcrossRevisions(
            thread=thread,
            text_then=anchor_text(snapshots.get(thread.opening.revision_id), *thread.anchor_key),
            text_now=anchor_text(current, *thread.anchor_key),
        )
        for thread in threads
    ]


def open_comments_listing(article: Article, revision: Revision) -> str:
    """The open comments as plain text, for a request-changes decision to carry."""
    lines = []
    for thread in comment_threads(article):
        if not thread.is_open:
            continue
        text = anchor_text(revision.snapshot, *thread.anchor_key)
        where = thread.opening.get_anchor_display().lower()
        quoted = f" “{text[:120]}”" if text else ""
        lines.append(f"- On the {where}{quoted}: {thread.body}")
    return "\n".join(lines)
