from django.contrib import admin

from citations.models import Citation, Reference


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "year", "doi", "pmid", "retracted"]
    list_filter = ["kind", "retracted", "evidence_grade"]
    search_fields = ["title", "doi", "pmid"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["statement", "reference", "order"]
    list_select_related = ["statement", "reference"]
