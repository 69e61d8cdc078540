"""The editors' site settings in the admin. The board's article pages live in reviews.admin."""

from django.contrib import admin

from articles.models import (
    Audience,
    Disclaimer,
    EditorialPolicy,
    FollowUpQuestion,
    SectionKind,
    Topic,
)
from articles.services import follow_up_convert_to_draft, follow_up_status_set


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
        "article",
        "audience",
        "question",
        "email",
        "client_hash",
        "created_at",
        "converted_article",
    ]
    fields = [
        "question",
        "article",
        "audience",
        "email",
        "status",
        "converted_article",
        "created_at",
        "client_hash",
    ]
    actions = ["convert_to_draft", "mark_answered", "mark_dismissed"]

    def has_add_permission(self, request):
        # Questions come from readers only.
        return False

    @admin.action(description="Turn into a new draft article", permissions=["change"])
    def convert_to_draft(self, request, queryset):
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
        changed = 0
        for follow_up in queryset.exclude(status=FollowUpQuestion.Status.CONVERTED):
            follow_up_status_set(follow_up=follow_up, status=status)
            changed += 1
        self.message_user(request, f"{changed} question(s) marked “{status.label}”.")
