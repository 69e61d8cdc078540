"""The article's content and revisions, shown read-only: content is written only at the desk,
through articles.services.content, and revisions never change."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from articles.models import EvidenceSection, Revision, Statement, StatementVariant
from reviews.admin.common import ReadOnlyAdminMixin
from reviews.diff import revision_diff


class StatementInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = Statement
    extra = 0
    show_change_link = True


@admin.register(EvidenceSection)
class EvidenceSectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["heading", "article", "kind", "order"]
    list_select_related = ["article", "kind"]
    show_full_result_count = False
    inlines = [StatementInline]


class StatementVariantInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StatementVariant
    extra = 0


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "section", "style", "order"]
    list_select_related = ["section"]
    show_full_result_count = False
    inlines = [StatementVariantInline]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Frozen snapshots: readable, never changed or deleted."""

    list_display = ["article", "number", "short_hash", "created_by", "created_at"]
    list_filter = ["article__status"]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__title", "content_hash"]
    show_full_result_count = False
    readonly_fields = [
        "article",
        "number",
        "content_hash",
        "contributors",
        "created_by",
        "created_at",
        "changes",
    ]
    fields = readonly_fields

    @admin.display(description=_("Written or edited by"))
    def contributors(self, obj):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(pk__in=obj.contributor_ids or [])
        return ", ".join(sorted(u.get_full_name() or u.get_username() for u in users)) or "—"

    @admin.display(description=_("Changes from the previous revision"))
    def changes(self, obj):
        previous = obj.article.revisions.filter(number__lt=obj.number).order_by("-number").first()
        return render_to_string(
            "admin/articles/article/_revision_diff.html",
            {
                "diff": revision_diff(previous.snapshot if previous else None, obj.snapshot),
                "revision": obj,
                "live": previous,
                "base_label": _("the previous revision"),
            },
        )
