"""The editors' overview page: the board's workload per member and the overdue assignments."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from articles import policies
from reviews.workload import board_workload


def hours(delta) -> str:
    if delta is None:
        return "—"
    total = delta.total_seconds() / 3600
    return f"{total / 24:.1f} d" if total >= 48 else f"{total:.1f} h"


def overview_view(model_admin, request):
    """Editors only: everyone else gets 403."""
    if not policies.is_editor(request.user):
        raise PermissionDenied
    workload = board_workload()
    for load in workload.members:
        load.median_text = hours(load.median_to_decision)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Board workload"),
        "workload": workload,
    }
    return TemplateResponse(request, "admin/reviews/workload.html", context)
