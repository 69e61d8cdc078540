"""Reads that shape desk pages: the dashboard, the article tree, conflicts."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from articles.markdown import render_inline_markdown
from articles.models import Article, EvidenceSection
from desk.permissions import desk_articles
from reviews.models import Review

COMMENTS_PER_ARTICLE = 3
DASHBOARD_PAGE_SIZE = 50


@dataclass
class BoardComment:
    when: datetime
    who: str
    what: str
    text: str


@dataclass
class DashboardRow:
    article: Article
    needs_action: bool
    comments: list[BoardComment] = field(default_factory=list)


@dataclass
class DashboardPage:
    """What needs the user's action (at most a page), then one page of everything else.

    There is no total: paging reads one row more than it shows, so no query counts every
    article, and each page costs the same few indexed queries at any catalogue size.
    """

    action_rows: list[DashboardRow]
    other_rows: list[DashboardRow]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def dashboard_page(user, number: int = 1) -> DashboardPage:
    """The user's articles waiting on them, then one page of the rest, newest change first."""
    number = max(1, number)
    articles = desk_articles(user).order_by("-updated_at", "-pk")
    waiting = Article.Status.CHANGES_REQUESTED
    action = list(articles.filter(status=waiting)[:DASHBOARD_PAGE_SIZE])
    start = (number - 1) * DASHBOARD_PAGE_SIZE
    others = list(articles.exclude(status=waiting)[start : start + DASHBOARD_PAGE_SIZE + 1])
    rows = _dashboard_rows(action + others[:DASHBOARD_PAGE_SIZE])
    return DashboardPage(
        action_rows=[row for row in rows if row.needs_action],
        other_rows=[row for row in rows if not row.needs_action],
        number=number,
        has_next=len(others) > DASHBOARD_PAGE_SIZE,
    )


def dashboard_rows(user) -> list[DashboardRow]:
    """The rows of the dashboard's first page: those waiting on the user first."""
    page = dashboard_page(user)
    return page.action_rows + page.other_rows


def _dashboard_rows(articles: list[Article]) -> list[DashboardRow]:
    ids = [article.pk for article in articles]
    comments: dict[int, list[BoardComment]] = {pk: [] for pk in ids}
    reviews = (
        Review.objects.filter(revision__article_id__in=ids)
        .exclude(comment="")
        .select_related("member__user", "revision")
        .order_by("-created_at")
    )
    for review in reviews:
        comments[review.revision.article_id].append(
            BoardComment(
                when=review.created_at,
                who=review.member.display_name,
                what=f"{review.get_decision_display()} (revision {review.revision.number})",
                text=review.comment,
            )
        )
    logs = (
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id__in=ids
        )
        .exclude(description__isnull=True)
        .exclude(description="")
        .select_related("by")
        .order_by("-timestamp")
    )
    for log in logs:
        comments[log.object_id].append(
            BoardComment(
                when=log.timestamp,
                who=(log.by.get_full_name() or log.by.get_username()) if log.by else "System",
                what=log.transition.replace("_", " ").capitalize(),
                text=log.description,
            )
        )
    rows = []
    for article in articles:
        latest = sorted(comments[article.pk], key=lambda c: c.when, reverse=True)
        # A review with a comment is logged twice (review and transition); show it once.
        unique, seen = [], set()
        for comment in latest:
            if comment.text not in seen:
                seen.add(comment.text)
                unique.append(comment)
        rows.append(
            DashboardRow(
                article=article,
                needs_action=article.status == Article.Status.CHANGES_REQUESTED,
                comments=unique[:COMMENTS_PER_ARTICLE],
            )
        )
    rows.sort(key=lambda row: not row.needs_action)
    return rows


def article_tree(article: Article) -> list[EvidenceSection]:
    """Sections with statements, citations and variants prefetched, in reading order."""
    sections = list(EvidenceSection.objects.filter(article=article).with_tree())
    for section in sections:
        for position, statement in enumerate(section.statements.all(), start=1):
            statement.position = position
            statement.html = render_inline_markdown(statement.text)
    return sections


@dataclass(frozen=True)
class FieldChange:
    label: str
    yours: str
    saved: str


def field_changes(labels: dict[str, str], yours: dict, saved: dict) -> list[FieldChange]:
    """The fields where the user's input differs from what is saved now, for a conflict."""
    changes = []
    for name, label in labels.items():
        mine, theirs = _shown(yours.get(name)), _shown(saved.get(name))
        if mine != theirs:
            changes.append(FieldChange(label=label, yours=mine, saved=theirs))
    return changes


def _shown(value) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").strip()
