from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import (
    Article,
    ArticleSummaryVariant,
    Audience,
    Disclaimer,
    EditorialPolicy,
    EvidenceSection,
    FollowUpQuestion,
    Revision,
    SectionKind,
    Statement,
    StatementVariant,
    Topic,
)
from reviews.admin import (
    AuditTrailInline,
    AwaitingMyReviewFilter,
    ReadOnlyAdminMixin,
    ReviewWorkflowAdminMixin,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "slug", "is_default", "order"]
    list_editable = ["order"]


@admin.register(SectionKind)
class SectionKindAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "default_heading", "order"]


class SummaryVariantInline(admin.TabularInline):
    model = ArticleSummaryVariant
    extra = 0


class EvidenceSectionInline(admin.TabularInline):
    model = EvidenceSection
    extra = 0
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(ReviewWorkflowAdminMixin, admin.ModelAdmin):
    """The board's review queue and workspace; transitions run through reviews.services."""

    list_display = ["title", "topic", "status", "live_revision", "next_review_due", "updated_at"]
    list_filter = ["status", AwaitingMyReviewFilter, "topic"]
    list_select_related = ["topic", "live_revision"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["authors"]
    readonly_fields = [
        "status", "live_revision", "last_reviewed_at", "reviewed_by", "next_review_due",
        "review_decisions", "review_diff",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "topic", "authors", "summary"]}),
        (_("Review"), {"fields": [
            "status", "review_decisions", "review_diff", "live_revision", "last_reviewed_at",
            "reviewed_by", "next_review_due",
        ]}),
    ]
    inlines = [SummaryVariantInline, EvidenceSectionInline, AuditTrailInline]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["title", "slug", "topic", "authors", "summary"]})]
        content, review = super().get_fieldsets(request, obj)
        # While the board has the article, what it decides on comes first.
        return [content, review] if obj.is_content_editable else [review, content]


class StatementInline(admin.StackedInline):
    model = Statement
    extra = 0
    show_change_link = True


@admin.register(EvidenceSection)
class EvidenceSectionAdmin(admin.ModelAdmin):
    list_display = ["heading", "article", "kind", "order"]
    list_select_related = ["article", "kind"]
    inlines = [StatementInline]


class StatementVariantInline(admin.TabularInline):
    model = StatementVariant
    extra = 0


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section", "style", "order"]
    list_select_related = ["section"]
    inlines = [StatementVariantInline]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Frozen snapshots: readable, never changed or deleted."""

    list_display = ["article", "number", "short_hash", "created_by", "created_at"]
    list_filter = ["article__status"]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__title", "content_hash"]
    readonly_fields = [
        "article", "number", "content_hash", "created_by", "created_at", "changes",
    ]
    fields = readonly_fields

    @admin.display(description=_("Changes from the previous revision"))
    def changes(self, obj):
        from django.template.loader import render_to_string

        from reviews.diff import revision_diff

        previous = obj.article.revisions.filter(number__lt=obj.number).order_by("-number").first()
        return render_to_string("admin/articles/article/_revision_diff.html", {
            "diff": revision_diff(previous.snapshot if previous else None, obj.snapshot),
            "revision": obj, "live": previous, "base_label": _("the previous revision"),
        })


@admin.register(Disclaimer)
class DisclaimerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "updated_at"]


@admin.register(EditorialPolicy)
class EditorialPolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "updated_at", "updated_by"]
    readonly_fields = ["updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(FollowUpQuestion)
class FollowUpQuestionAdmin(admin.ModelAdmin):
    """The editors' queue of reader questions, newest first."""

    list_display = ["question", "article", "audience", "status", "created_at", "converted_article"]
    list_filter = ["status", "audience", "article__topic"]
    list_select_related = ["article", "audience", "converted_article"]
    search_fields = ["question", "article__title"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "article", "audience", "question", "email", "client_hash", "created_at",
        "converted_article",
    ]
    fields = [
        "question", "article", "audience", "email", "status", "converted_article",
        "created_at", "client_hash",
    ]
    actions = ["convert_to_draft", "mark_answered", "mark_dismissed"]

    def has_add_permission(self, request):
        # Questions come from readers only.
        return False

    @admin.action(description="Turn into a new draft article", permissions=["change"])
    def convert_to_draft(self, request, queryset):
        from articles.services import follow_up_convert_to_draft

        made = 0
        for follow_up in queryset.select_related("article"):
            article = follow_up_convert_to_draft(follow_up=follow_up, created_by=request.user)
            made += 1
            self.message_user(request, f"Draft created: “{article.title}” ({article.slug}).")
        if not made:
            self.message_user(request, "No question selected.", level="warning")

    @admin.action(description="Mark as answered", permissions=["change"])
    def mark_answered(self, request, queryset):
        self._set_status(request, queryset, FollowUpQuestion.Status.ANSWERED)

    @admin.action(description="Dismiss", permissions=["change"])
    def mark_dismissed(self, request, queryset):
        self._set_status(request, queryset, FollowUpQuestion.Status.DISMISSED)

    def _set_status(self, request, queryset, status):
        from articles.services import follow_up_status_set

        changed = 0
        for follow_up in queryset.exclude(status=FollowUpQuestion.Status.CONVERTED):
            follow_up_status_set(follow_up=follow_up, status=status)
            changed += 1
        self.message_user(request, f"{changed} question(s) marked “{status.label}”.")
