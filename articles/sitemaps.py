"""The sitemap lists approved articles only: pending ones are not yet for search engines.

``/sitemap.xml`` is a sitemap index; the article section is served in pages of at most
``ARTICLES_PER_SITEMAP`` URLs, as the protocol expects for large sites. Page ``p`` holds the
approved articles whose id falls in one fixed range, so every answer is an indexed range read:
the index counts its pages from the lowest and highest article ids (two primary-key lookups),
never with a ``COUNT`` over the catalogue, and a page never skips rows with ``OFFSET``. A range
can hold fewer URLs than the limit (ids of drafts and archived articles leave gaps): allowed.
"""

from math import ceil

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from articles.models import Article, Topic

ARTICLES_PER_SITEMAP = 1000


class IdRangePage:
    def __init__(self, object_list, number: int):
        self.object_list = object_list
        self.number = number


class IdRangePaginator:
    """Django's paginator interface over fixed id ranges: no count, no offset."""

    def __init__(self, queryset, per_page: int):
        self.queryset = queryset
        self.per_page = per_page
        self._bounds = None

    def _ids(self) -> tuple[int, int]:
        """The id just below the first range, and the highest id."""
        if self._bounds is None:
            # Two scalar subqueries, not MIN and MAX side by side: SQLite answers a lone MIN or
            # MAX from the primary key, but scans the table for both in one SELECT.
            table = connection.ops.quote_name(Article._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT (SELECT MIN(id) FROM {table}), (SELECT MAX(id) FROM {table})"
                )
                low, high = cursor.fetchone()
            self._bounds = ((low or 1) - 1, high or 0)
        return self._bounds

    @property
    def num_pages(self) -> int:
        base, high = self._ids()
        return max(1, ceil((high - base) / self.per_page))

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer.") from error
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results.")
        return number

    def page(self, number) -> IdRangePage:
        number = self.validate_number(number)
        base = self._ids()[0]
        low, high = base + (number - 1) * self.per_page, base + number * self.per_page
        return IdRangePage(self.queryset.filter(pk__gt=low, pk__lte=high), number)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = ARTICLES_PER_SITEMAP

    def items(self):
        # The protected state column is loaded too: django-fsm-2 reads it per instance.
        approved = Article.objects.approved_live().order_by("pk")
        return approved.only("slug", "status", "last_reviewed_at")

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.last_reviewed_at

    def get_latest_lastmod(self):
        # The default reads every item; the newest approval is the first row of an index.
        latest = (
            Article.objects.approved_live()
            .filter(last_reviewed_at__isnull=False)
            .order_by("-last_reviewed_at", "-pk")
            .values_list("last_reviewed_at", flat=True)[:1]
        )
        return next(iter(latest), None)


class StaticSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return ["articles:home", "articles:editorial_policy", "board:list"]

    def location(self, item):
        return reverse(item)


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        # One short index walk per topic (see views._public_topics), not a semi-join over
        # every article. An approved article displays its live revision.
        approved = Article.objects.approved_live().filter(listing_topic=OuterRef("pk"))
        first = Subquery(approved.order_by("listing_title").values("pk")[:1])
        return Topic.objects.alias(first=first).filter(first__isnull=False).order_by("pk")


SITEMAPS = {"articles": ArticleSitemap, "topics": TopicSitemap, "pages": StaticSitemap}
