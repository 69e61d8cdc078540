"""The board's and editors' workspace in the admin. Article content is read-only here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleSummaryVariant, EvidenceSection
from reviews.admin import board, content  # noqa: F401 - they register their models
from reviews.admin.assignments import ArticleAssignmentMixin
from reviews.admin.comments import StatementCommentAdminMixin
from reviews.admin.common import AuditTrailInline, ReadOnlyAdminMixin
from reviews.admin.queue import QueueAdminMixin, QueueFilter
from reviews.admin.workflow import ReviewWorkflowAdminMixin


class SummaryVariantInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ArticleSummaryVariant
    extra = 0


class EvidenceSectionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EvidenceSection
    extra = 0
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(
    QueueAdminMixin,
    ArticleAssignmentMixin,
    StatementCommentAdminMixin,
    ReviewWorkflowAdminMixin,
    admin.ModelAdmin,
):
    """The board's review queue and workspace; every step runs through reviews.services."""

    # At 1280 px, beside the sidebar and the filters, the question needs the room to read
    # (static/css/vetted-admin.css). Provenance is a filter and on the article page; the live
    # revision, the edit time and the next re-review date are on the article page. The queue's
    # columns (reviews/admin/queue.py) sort by waiting time, revision, the earliest open due
    # date and open comments.
    list_display = [
        "title",
        "status",
        "topic",
        "waiting",
        "revision_number",
        "due",
        "open_comments",
    ]
    list_filter = [
        "status",
        QueueFilter,
        *QueueAdminMixin.queue_filters[1:],
        "provenance",
        "topic",
    ]
    list_select_related = ["topic", "live_revision"]
    search_fields = ["title", "slug"]
    show_full_result_count = False
    # Counts beside every filter choice would cost a query per choice on a large queue.
    show_facets = admin.ShowFacets.NEVER
    filter_horizontal = ["authors"]
    fieldsets = [
        (
            _("Review"),
            {
                "fields": [
                    "status",
                    "provenance",
                    "pipeline_name",
                    "pipeline_model",
                    "review_decisions",
                    "review_assignments",
                    "review_comments",
                    "review_diff",
                    "live_revision",
                    "last_reviewed_at",
                    "reviewed_by",
                    "next_review_due",
                ]
            },
        ),
        (_("Working copy"), {"fields": ["title", "slug", "topic", "authors", "summary"]}),
    ]
    inlines = [SummaryVariantInline, EvidenceSectionInline, AuditTrailInline]
