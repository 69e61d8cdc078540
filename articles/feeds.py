"""The Atom feed of the latest approved answers: what the board approved, as sanitized HTML."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from articles.markdown import render_markdown
from articles.models import Article

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "Vetted — latest reviewed answers"
    subtitle = "Medical answers approved by our Medical Advisory Board."
    link = reverse_lazy("articles:home")

    def items(self):
        return (
            Article.objects.approved_live()
            .select_related("live_revision")
            .order_by("-last_reviewed_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        # What the board approved, not the working copy's newer title.
        return item.live_revision.snapshot.get("title", item.title)

    def item_description(self, item):
        # Atom sends this as type="html": the author's Markdown goes through the same
        # sanitizing renderer as the page, so raw markup can never reach a feed reader.
        return render_markdown(item.live_revision.snapshot.get("summary", ""))

    def item_pubdate(self, item):
        return item.last_reviewed_at

    def item_updateddate(self, item):
        return item.last_reviewed_at or item.live_revision.created_at

    def item_categories(self, item):
        return [item.live_revision.snapshot.get("topic", {}).get("name", "")]
