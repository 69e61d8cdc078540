"""Search over what readers can see: the displayed revision of every public article.

PostgreSQL ranks with full-text search on the revision snapshot (a GIN index on the same
expression makes it fast, see migration 0003). Other databases get a plain substring match.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Revision

SEARCH_CONFIG = "english"
RESULT_LIMIT = 50
SNIPPET_CHARS = 220
# The index in migration 0003 is built on exactly this expression; keep the two identical.
SNAPSHOT_VECTOR_SQL = (
    "(setweight(to_tsvector('english'::regconfig, coalesce(articles_revision.snapshot->>'title',"
    " '')), 'A') || jsonb_to_tsvector('english'::regconfig, articles_revision.snapshot,"
    " '[\"string\"]'::jsonb))"
)
# Markers no reader types; the headline is escaped first, then they become <mark>.
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class SearchResult:
    article: Article
    title: str
    snippet: SafeString
    is_approved: bool


def displayed_revision_ids() -> dict[int, int]:
    """Map displayed revision id to article id, for every public article, in one query."""
    return {
        revision_id: article_id
        for article_id, revision_id in Article.objects.public().values_list(
            "pk", "displayed_revision_id"
        )
    }


def _highlight_plain(text: str, query: str) -> SafeString:
    """A short escaped excerpt around the first match, the match wrapped in <mark>."""
    text = " ".join((text or "").split())
    lower, needle = text.lower(), query.lower()
    at = lower.find(needle) if needle else -1
    if at < 0:
        excerpt = text[:SNIPPET_CHARS]
        return mark_safe(escape(excerpt) + ("…" if len(text) > SNIPPET_CHARS else ""))
    start = max(0, at - SNIPPET_CHARS // 3)
    end = min(len(text), start + SNIPPET_CHARS)
    before, match, after = text[start:at], text[at : at + len(needle)], text[at + len(needle) : end]
    return mark_safe(
        ("…" if start else "")
        + escape(before)
        + "<mark>"
        + escape(match)
        + "</mark>"
        + escape(after)
        + ("…" if end < len(text) else "")
    )


def _highlight_headline(headline: str) -> SafeString:
    return mark_safe(escape(headline).replace(_START, "<mark>").replace(_STOP, "</mark>"))


def search_articles(query: str) -> list[SearchResult]:
    """Public articles matching the query, best first; an empty query finds nothing."""
    query = (query or "").strip()
    if not query:
        return []
    shown = displayed_revision_ids()
    if not shown:
        return []
    revisions = Revision.objects.filter(pk__in=list(shown))
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        vector = RawSQL(SNAPSHOT_VECTOR_SQL, [], output_field=SearchVectorField())
        rows = (
            revisions.annotate(document=vector)
            .filter(document=search_query)
            .annotate(
                rank=SearchRank(vector, search_query),
                headline=SearchHeadline(
                    KT("snapshot__summary"),
                    search_query,
                    config=SEARCH_CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=40,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-number")
            .values_list("pk", "title", "headline")[:RESULT_LIMIT]
        )
        found = [(pk, title, _highlight_headline(headline or "")) for pk, title, headline in rows]
    else:
        rows = (
            revisions.annotate(summary=KT("snapshot__summary"))
            .filter(Q(title__icontains=query) | Q(summary__icontains=query))
            .order_by("-created_at")
            .values_list("pk", "title", "summary")[:RESULT_LIMIT]
        )
        found = [(pk, title, _highlight_plain(summary, query)) for pk, title, summary in rows]
    articles = Article.objects.select_related("displayed_revision__topic").in_bulk(
        [shown[pk] for pk, _, _ in found]
    )
    return [
        SearchResult(
            article=articles[shown[pk]],
            title=title,
            snippet=snippet,
            is_approved=articles[shown[pk]].live_revision_id == pk,
        )
        for pk, title, snippet in found
        if shown[pk] in articles
    ]
