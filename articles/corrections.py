"""The site-wide corrections page and its feed: recent corrections readers can see.

A correction is a revision flagged at submit (``Revision.is_correction``: the author said it
corrects an error, or it changed statements after a cited source was retracted). It is listed
once it went live: approved with the quorum, no newer than the article's live revision, and
not held for a go-live time that has not come. Archived articles drop out. Each page is two
queries (count and rows) whatever its size; snapshots are never loaded.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.history import went_live
from articles.models import Article, Revision

PAGE_SIZE = 20
MAX_PAGES = 50
FEED_SIZE = 20


def live_corrections():
    """Correction revisions readers have seen, most recently approved first."""
    approved = Q(reviews__decision="approve")
    rows = (
        Revision.objects.filter(
            is_correction=True,
            article__live_revision__isnull=False,
            number__lte=F("article__live_revision__number"),
        )
        .exclude(article__status=Article.Status.ARCHIVED)
        .annotate(
            approvals=Count("reviews", filter=approved, distinct=True),
            approved_at=Max("reviews__created_at", filter=approved),
        )
        .filter(
            Q(approvals__gte=settings.VETTED_APPROVALS_REQUIRED)
            | Q(pk=F("article__live_revision_id"))
        )
        .select_related("article")
        # The revision's snapshot (large) is never read here; the article row is small.
        .defer("snapshot", "contributor_ids")
        .order_by("-approved_at", "-pk")
    )
    return went_live(rows)


def corrections(request):
    """``/corrections/``: recent corrections, a page at a time (bounded)."""
    value = request.GET.get("page", "")
    number = int(value) if value.isdigit() and 0 < len(value) < 4 else 1
    paginator = Paginator(live_corrections(), PAGE_SIZE)
    page = paginator.get_page(min(number, MAX_PAGES))
    return render(request, "articles/corrections.html", {"page": page, "corrections": page})


class CorrectionsFeed(Feed):
    feed_type = Atom1Feed
    title = "Vetted — corrections"
    subtitle = "Answers corrected after an error or a retracted source, as the board approved them."
    link = reverse_lazy("articles:corrections")

    def items(self):
        return live_corrections()[:FEED_SIZE]

    def item_title(self, item):
        return f"Correction: {item.title}"

    def item_link(self, item):
        return f"{reverse('articles:detail', args=[item.article.slug])}#review-history-heading"

    def item_guid(self, item):
        return f"vetted-correction-{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item):
        # Plain text from authors, escaped: the feed sends type="html".
        parts = [item.correction_note, item.change_summary]
        return "<br>".join(escape(part) for part in parts if part)

    def item_pubdate(self, item):
        return item.approved_at or item.created_at

    def item_updateddate(self, item):
        return item.approved_at or item.created_at
