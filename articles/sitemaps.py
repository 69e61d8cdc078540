"""The sitemap lists approved articles only: pending ones are not yet for search engines."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Topic


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.approved_live().order_by("pk")

    def lastmod(self, item):
        return item.last_reviewed_at


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
        return Topic.objects.filter(
            pk__in=Article.objects.approved_live().values("live_revision__topic_id")
        ).order_by("pk")


SITEMAPS = {"articles": ArticleSitemap, "topics": TopicSitemap, "pages": StaticSitemap}
