"""The sitemap lists approved articles only: pending ones are not yet for search engines.

``/sitemap.xml`` is a sitemap index; each section is served in pages of ``limit`` URLs, as the
protocol expects for large sites, so no response grows with the catalogue.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse

from articles.models import Article, Topic

ARTICLES_PER_SITEMAP = 1000


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = ARTICLES_PER_SITEMAP

    def items(self):
        return Article.objects.approved_live().order_by("pk")

    def lastmod(self, item):
        return item.last_reviewed_at

    def get_latest_lastmod(self):
        # The default reads every item; one aggregate answers the index instead.
        return Article.objects.approved_live().aggregate(latest=Max("last_reviewed_at"))["latest"]


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
        approved = Article.objects.approved_live().filter(live_revision__topic=OuterRef("pk"))
        return Topic.objects.filter(Exists(approved)).order_by("pk")


SITEMAPS = {"articles": ArticleSitemap, "topics": TopicSitemap, "pages": StaticSitemap}
