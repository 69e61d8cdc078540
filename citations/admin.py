from django.contrib import admin

from citations.models import Citation, ImportJob, Reference


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "year", "doi", "pmid", "retracted"]
    list_filter = ["kind", "retracted", "evidence_grade"]
    search_fields = ["title", "doi", "pmid"]
    show_full_result_count = False
    # A retraction runs through the workflow (the desk's retract form), which also sends live
    # articles back to the board and alerts people; a checkbox here would do none of that.
    readonly_fields = ["retracted", "retraction_note", "retraction_notice"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    """Citations are article content: written at the desk, read-only here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    list_display = ["statement", "reference", "order"]
    list_select_related = ["statement", "reference"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Reference imports, to look at: they are confirmed and followed at the desk."""

    list_display = ["filename", "status", "created_by", "created_at", "created_count"]
    list_filter = ["status"]
    search_fields = ["filename", "sha256"]
    list_select_related = ["created_by"]
    exclude = ["data"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
