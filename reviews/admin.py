from django.contrib import admin

from reviews.models import BoardMember, Review, ReviewAssignment


@admin.register(BoardMember)
class BoardMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "specialty", "is_active"]
    list_select_related = ["user"]
    filter_horizontal = ["conflicts"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["revision", "member", "decision", "created_at"]
    list_filter = ["decision"]
    list_select_related = ["revision__article", "member__user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["article", "member", "revision", "assigned_by", "created_at"]
    list_select_related = ["article", "member__user", "revision", "assigned_by"]
