"""The board's own records: members, decisions, assignments and the whole audit log."""

from django.contrib import admin, messages
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from articles import policies
from reviews.admin.assignments import BULK_LIMIT, AssignmentAddMixin
from reviews.admin.common import ReadOnlyAdminMixin
from reviews.admin.overview import overview_view
from reviews.models import AssignmentReminder, BoardMember, Review, ReviewAssignment
from reviews.services.assignments import AssignmentRefused, assignment_withdraw


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


class AssignmentStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("withdrawn", _("Withdrawn"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.open()
        if self.value() == "withdrawn":
            return queryset.filter(withdrawn_at__isnull=False)
        return queryset


class ReminderInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The notices sent about the assignment: assigned, due soon, overdue (one row each)."""

    model = AssignmentReminder
    fields = ["kind", "day", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(AssignmentAddMixin, admin.ModelAdmin):
    """Assignments are made through the service (the add page) and withdrawn, never edited or
    deleted: the row keeps who assigned whom, when, and who withdrew it."""

    list_display = [
        "article",
        "member",
        "revision_number",
        "due_at",
        "assigned_by",
        "created_at",
        "withdrawn_at",
    ]
    list_select_related = ["article", "member__user", "revision", "assigned_by"]
    list_filter = [AssignmentStateFilter]
    inlines = [ReminderInline]
    show_full_result_count = False
    actions = ["withdraw"]
    change_list_template = "admin/reviews/reviewassignment/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("revision__snapshot", "article__summary")

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: overview_view(self, request))
        return [
            path("overview/", view, name="reviews_reviewassignment_overview"),
            *super().get_urls(),
        ]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_withdraw_permission(self, request):
        return policies.is_editor(request.user)

    @admin.display(description=_("revision"), ordering="revision__number")
    def revision_number(self, obj):
        return obj.revision.number if obj.revision_id else "—"

    @admin.action(description=_("Withdraw the selected assignments"), permissions=["withdraw"])
    def withdraw(self, request, queryset):
        done, refused = 0, []
        for assignment in queryset.select_related("article", "member__user")[:BULK_LIMIT]:
            try:
                assignment_withdraw(assignment=assignment, user=request.user)
                done += 1
            except AssignmentRefused as refusal:
                refused.append(f"{assignment}: {refusal.message}")
        if done:
            self.message_user(request, _("%(n)s assignment(s) withdrawn.") % {"n": done})
        for message in refused:
            self.message_user(request, message, messages.WARNING)


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
