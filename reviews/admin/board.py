"""The board's own records: members, decisions, assignments and the whole audit log."""

from django.contrib import admin
from django_fsm_log.models import StateLog

from reviews.admin.common import ReadOnlyAdminMixin
from reviews.models import BoardMember, Review, ReviewAssignment


@admin.register(BoardMember)
class BoardMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "specialty", "is_active"]
    list_select_related = ["user"]
    filter_horizontal = ["conflicts"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["revision", "member", "decision", "created_at"]
    list_filter = ["decision"]
    list_select_related = ["revision__article", "member__user"]
    show_full_result_count = False
    readonly_fields = ["revision", "member", "decision", "comment", "created_at"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["article", "member", "revision", "assigned_by", "created_at"]
    list_select_related = ["article", "member__user", "revision", "assigned_by"]


@admin.register(StateLog)
class StateLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The whole audit log, read-only: nobody edits or deletes an entry."""

    list_display = ["timestamp", "content_object", "transition", "source_state", "state", "by"]
    list_filter = ["transition", "state"]
    list_select_related = ["by", "content_type"]
    search_fields = ["description"]
    show_full_result_count = False
    readonly_fields = [
        "timestamp",
        "content_type",
        "object_id",
        "transition",
        "source_state",
        "state",
        "by",
        "description",
    ]
