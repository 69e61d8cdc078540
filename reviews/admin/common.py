"""Pieces the board's admin pages share: read-only records and the audit trail inline."""

from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog


class ReadOnlyAdminMixin:
    """For records nobody adds, changes or deletes in the admin: decisions, audit, content."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditTrailInline(ReadOnlyAdminMixin, GenericTabularInline):
    """Every transition of the article: who, when, from, to, and the comment. Read-only."""

    model = StateLog
    verbose_name = _("audit log entry")
    verbose_name_plural = _("audit trail")
    fields = ["timestamp", "transition", "source_state", "state", "by", "description"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by").order_by(F("timestamp").desc())
