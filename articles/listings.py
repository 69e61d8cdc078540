"""A topic's public articles a page at a time, by keyset: every page costs the same.

The list is ordered by the displayed revision's question, then its id: the columns
``listing_topic``, ``listing_title`` and ``displayed_revision`` of the article row, which the
index ``articles_article_listing`` of migration 0012 holds in that order. A page
after the first starts from a cursor, the id of a revision (``?after=`` or ``?before=``):
revisions are append-only, so the (title, id) position a cursor names never changes, even if
that article is later archived or revised. Each page reads ``per_page + 1`` rows from the
cursor's place in the index, so the 500th page is as cheap as the first; there is no
``COUNT`` and no ``OFFSET``. A numbered ``?page=N`` (old links) is turned into a cursor once,
by one index-only walk, and redirected.
"""

from dataclasses import dataclass

from django.db.models import Q

from articles.models import Article, Revision, Topic

TITLE, REVISION = "listing_title", "displayed_revision_id"


@dataclass(frozen=True)
class TopicPage:
    """One page of a topic: the articles and the cursors of its neighbours (None: no page)."""

    articles: list
    is_first: bool
    previous_before: int | None
    next_after: int | None

    @property
    def has_other_pages(self) -> bool:
        return not self.is_first or self.next_after is not None


def topic_articles(topic: Topic):
    """The topic's public articles, by the topic of the revision readers see."""
    return Article.objects.public().filter(listing_topic=topic).select_related("listing_topic")


def cursor_position(value: str | None) -> tuple[str, int] | None:
    """The (title, id) a cursor names, in one primary-key read; None for a bad cursor."""
    if not value or not value.isdigit() or len(value) > 18:
        return None
    row = Revision.objects.order_by().filter(pk=int(value)).values_list("title", "pk").first()
    return tuple(row) if row else None


def topic_page(
    topic: Topic, *, per_page: int, after: tuple | None = None, before: tuple | None = None
) -> TopicPage:
    """The page after (or before) a cursor position, else the first page."""
    articles = topic_articles(topic)
    if before is not None:
        title, pk = before
        rows = list(
            articles.filter(Q(**{f"{TITLE}__lt": title}) | Q(**{f"{REVISION}__lt": pk}))
            .filter(**{f"{TITLE}__lte": title})
            .order_by(f"-{TITLE}", f"-{REVISION}")[: per_page + 1]
        )
        more_before = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return TopicPage(
            articles=rows,
            is_first=not more_before,
            previous_before=rows[0].displayed_revision_id if more_before else None,
            next_after=rows[-1].displayed_revision_id if rows else None,
        )
    if after is not None:
        title, pk = after
        # The plain ``>=`` on the title bounds the index range; the OR settles ties.
        articles = articles.filter(
            Q(**{f"{TITLE}__gt": title}) | Q(**{f"{REVISION}__gt": pk})
        ).filter(**{f"{TITLE}__gte": title})
    rows = list(articles.order_by(TITLE, REVISION)[: per_page + 1])
    more_after = len(rows) > per_page
    rows = rows[:per_page]
    return TopicPage(
        articles=rows,
        is_first=after is None,
        previous_before=rows[0].displayed_revision_id if after is not None and rows else None,
        next_after=rows[-1].displayed_revision_id if more_after else None,
    )


def numbered_page_cursor(topic: Topic, *, number: int, per_page: int) -> int | None:
    """The cursor that starts page ``number`` (2 or more), or None past the last page.

    The walk reads the listing index alone (an index-only scan): it counts the topic's
    archived articles too, which keep their listing, so an old numbered link can land a few
    articles early. Next and Previous links, which readers follow, are exact.
    """
    at = (number - 1) * per_page - 1
    ids = (
        Article.objects.filter(listing_topic=topic)
        .order_by(TITLE, REVISION)
        .values_list(REVISION, flat=True)[at : at + 1]
    )
    return next(iter(ids), None)
