"""Search over what readers can see: the displayed revision of every public article.

Each revision's search document is stored when the revision is inserted (migration 0007):
a weighted ``tsvector`` with a GIN index on PostgreSQL, an FTS5 row on SQLite. A query joins
those rows to ``Article.displayed_revision``, ranks them, and reads one page; snippets are cut
from the plain text of the displayed summary, the same way on both databases.
"""

import re
from dataclasses import dataclass
from html import unescape

from django.db import DatabaseError, connection
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from articles.markdown import render_markdown
from articles.models import Article

SEARCH_CONFIG = "english"
RESULT_LIMIT = 20
SNIPPET_CHARS = 220
# Markers no reader types; the headline is escaped first, then they become <mark>.
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class SearchResult:
    article: Article
    title: str
    snippet: SafeString
    is_approved: bool


def markdown_plain(text: str) -> str:
    """Markdown as the words a reader sees: no ``**``, no link syntax, entities decoded."""
    return " ".join(unescape(strip_tags(render_markdown(text or ""))).split())


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
    # The headline is cut from the Markdown summary; the markers survive rendering as text.
    plain = markdown_plain(headline)
    return mark_safe(escape(plain).replace(_START, "<mark>").replace(_STOP, "</mark>"))


# PostgreSQL's English stop words: FTS5 keeps them, so they are dropped before matching.
_STOP_WORDS_TEXT = (
    "a about above after again against all am an and any are as at be because been before being"
    " below between both but by can did do does doing don down during each few for from further"
    " had has have having he her here hers herself him himself his how i if in into is it its"
    " itself just me more most my myself no nor not now of off on once only or other our ours"
    " ourselves out over own s same she should so some such t than that the their theirs them"
    " themselves then there these they this those through to too under until up very was we were"
    " what when where which while who whom why will with you your yours yourself yourselves"
)
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_TOKEN = re.compile(r'(-)?(?:"([^"]*)"?|([^\s"]+))')
_WORD = re.compile(r"\w+")

# Ranking reads every candidate's stored document, so only the newest RANKED_CANDIDATES
# matches are ranked: rare words are ranked exactly, and a word found in most of a 100,000
# article catalogue still costs a bounded, indexed read instead of a scan of every document.
RANKED_CANDIDATES = 1000
_POSTGRES_PAGE = """
    SELECT id FROM (
        SELECT article.id, document.document FROM articles_revision_search document
        JOIN articles_article article ON article.displayed_revision_id = document.revision_id
        WHERE document.document @@ websearch_to_tsquery(%s::regconfig, %s)
          AND article.status <> 'archived'
        ORDER BY document.revision_id DESC
        LIMIT %s
    ) candidates
    ORDER BY ts_rank(candidates.document, websearch_to_tsquery(%s::regconfig, %s)) DESC, id DESC
    LIMIT %s OFFSET %s
"""
_SQLITE_PAGE = """
    SELECT id FROM (
        SELECT article.id AS id, bm25(articles_revision_fts, 10.0, 4.0, 2.0, 1.0) AS score
        FROM articles_revision_fts
        JOIN articles_article article
          ON article.displayed_revision_id = articles_revision_fts.rowid
        WHERE articles_revision_fts MATCH %s AND article.status <> 'archived'
        ORDER BY articles_revision_fts.rowid DESC
        LIMIT %s
    )
    ORDER BY score, id DESC
    LIMIT %s OFFSET %s
"""


@dataclass(frozen=True)
class SearchPage:
    """One page of results; there is no total, so no query ever counts every match."""

    results: list[SearchResult]
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


def _clauses(query: str) -> tuple[list[list[str]], list[list[str]]]:
    """Web-search syntax as word groups: quoted phrases, ``-excluded``, ``or`` between terms."""
    wanted: list[list[list[str]]] = []
    excluded: list[list[str]] = []
    either = False
    for match in _TOKEN.finditer(query):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.lower() == "or" and not negated:
            either = bool(wanted)
            continue
        words = [w.lower() for w in _WORD.findall(phrase if phrase is not None else word or "")]
        words = [w for w in words if w not in STOP_WORDS]
        if not words:
            continue
        if negated:
            excluded.append(words)
        elif either:
            wanted[-1].append(words)
        else:
            wanted.append([words])
        either = False
    return wanted, excluded


def fts5_query(query: str) -> str:
    """The reader's words as an FTS5 expression of quoted terms: never an FTS5 syntax error."""
    wanted, excluded = _clauses(query)

    def quoted(words: list[str]) -> str:
        return '"' + " ".join(words) + '"'

    if not wanted:
        return ""
    expression = " AND ".join(
        "(" + " OR ".join(quoted(words) for words in group) + ")" for group in wanted
    )
    for words in excluded:
        expression = f"({expression}) NOT {quoted(words)}"
    return expression


def _page_ids(query: str, *, offset: int, limit: int) -> list[int]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            params = [SEARCH_CONFIG, query, RANKED_CANDIDATES, SEARCH_CONFIG, query]
            cursor.execute(_POSTGRES_PAGE, [*params, limit, offset])
        else:
            expression = fts5_query(query)
            if not expression:
                return []
            cursor.execute(_SQLITE_PAGE, [expression, RANKED_CANDIDATES, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def _snippet(summary: str, query: str) -> SafeString:
    """The plain summary, around the first of the reader's words that it contains."""
    plain = markdown_plain(summary)
    lower = plain.lower()
    wanted, _ = _clauses(query)
    words = [word for group in wanted for words in group for word in words]
    found = next((word for word in words if word in lower), "")
    return _highlight_plain(plain, found)


def search_page(query: str, page: int = 1, *, per_page: int | None = None) -> SearchPage:
    """One page of public articles matching the query, best first, in two queries."""
    per_page = per_page or RESULT_LIMIT
    query = " ".join((query or "").replace("\x00", " ").split())
    page = max(1, page)
    if not query:
        return SearchPage(results=[], number=page, has_next=False)
    try:
        ids = _page_ids(query, offset=(page - 1) * per_page, limit=per_page + 1)
    except DatabaseError:
        # A query the engine cannot parse finds nothing; it never becomes a server error.
        ids = []
    has_next, ids = len(ids) > per_page, ids[:per_page]
    articles = Article.objects.select_related("displayed_revision__topic").in_bulk(ids)
    results = []
    for pk in ids:
        article = articles[pk]
        revision = article.displayed_revision
        results.append(
            SearchResult(
                article=article,
                title=revision.title,
                snippet=_snippet(revision.snapshot.get("summary", ""), query),
                is_approved=article.live_revision_id == revision.pk,
            )
        )
    return SearchPage(results=results, number=page, has_next=has_next)


def search_articles(query: str) -> list[SearchResult]:
    """The first page of public articles matching the query, best first."""
    return search_page(query).results
