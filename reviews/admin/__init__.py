"""The board's and editors' workspace in the admin. Article content is read-only here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleSummaryVariant, EvidenceSection
from reviews.admin import board, content  # noqa: F401 - they register their models
from reviews.admin.comments import StatementCommentAdminMixin
from reviews.admin.common import AuditTrailInline, ReadOnlyAdminMixin
from reviews.admin.workflow import AwaitingMyReviewFilter, ReviewWorkflowAdminMixin


class SummaryVariantInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ArticleSummaryVariant
    extra = 0


class EvidenceSectionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EvidenceSection
    extra = 0
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(StatementCommentAdminMixin, ReviewWorkflowAdminMixin, admin.ModelAdmin):
    """The board's review queue and workspace; every step runs through reviews.services."""

    # At 1280 px, beside the sidebar and the filters, the question needs the room to read
    # (static/css/vetted-admin.css). Provenance is a filter and on the article page; the live
    # revision and the edit time are on the article page.
    list_display = ["title", "status", "topic", "next_review_due"]
    list_filter = ["status", AwaitingMyReviewFilter, "provenance", "topic"]
    list_select_related = ["topic", "live_revision"]
    search_fields = ["title", "slug"]
    show_full_result_count = False
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
