"""The board's article page in the admin: the review queue, the workflow buttons, and one
small transition view of our own that runs every step through reviews.services.

Board members see an article read-only, with the diff and the decisions; editors may change
its authors (only outside review) and nothing else. Content is written at the desk.
"""

from dataclasses import dataclass
from http import HTTPStatus

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from articles import policies
from articles.models import Article, Revision
from reviews.diff import revision_diff
from reviews.forms import TRANSITION_FORMS, TransitionCommentForm
from reviews.services import (
    DECISION_NAMES,
    DECISION_TRANSITIONS,
    TRANSITION_NAMES,
    StaleRevision,
    TransitionRefused,
    article_authors_set,
    article_transition,
    refusal_reason,
    transition_allowed_for,
)
from reviews.services.releases import pending_release
from reviews.services.transitions import transition_label, transition_refusal

POST_PARAM = "_fsm_transition_to"
REVIEW_NAMES = set(DECISION_TRANSITIONS.values())


def has_decided(*, article: Article, user, revision: Revision | None) -> bool:
    member = policies.board_member_for(user)
    return bool(member and revision) and revision.reviews.filter(member=member).exists()


@dataclass(frozen=True)
class WorkflowButton:
    name: str
    label: str
    url: str
    weight: str  # primary, danger or default: how heavy the decision is


BUTTON_WEIGHTS = {
    "approve": "primary",
    "start_review": "primary",
    "reject": "danger",
    "archive": "danger",
    "request_changes": "warning",
}


class ReviewWorkflowAdminMixin:
    """Workflow buttons and the transition view for the article admin."""

    change_form_template = "admin/articles/article/change_form.html"
    transition_template = "admin/articles/article/transition_form.html"
    stale_template = "admin/articles/article/stale_decision.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.transition_view)
        return [
            path(
                "<path:object_id>/transition/<str:name>/", view, name="articles_article_transition"
            ),
            *super().get_urls(),
        ]

    def workflow_buttons(self, request, obj) -> list[WorkflowButton]:
        """Only the steps this user may take now; the service checks again on POST."""
        if obj is None:
            return []
        revision = obj.revision_under_review()
        decided = has_decided(article=obj, user=request.user, revision=revision)
        return [
            WorkflowButton(
                name=name,
                label=transition_label(obj, name),
                url=reverse("admin:articles_article_transition", args=[obj.pk, name]),
                weight=BUTTON_WEIGHTS.get(name, "default"),
            )
            for name in TRANSITION_NAMES
            if name not in ("submit", "withdraw")
            and transition_allowed_for(article=obj, name=name, user=request.user)
            and not (name in REVIEW_NAMES and decided)
        ]

    def why_no_decision(self, request, obj) -> str:
        """For a board member who cannot act on an article the board has: the rule that applies."""
        if obj is None or obj.status not in policies.IN_BOARD_HANDS:
            return ""
        if policies.board_member_for(request.user) is None:
            return ""
        return policies.decision_refusal(request.user, obj) or ""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id and request.POST.get(POST_PARAM):
            # A step posted with the change form is never run from here: it goes to the step's
            # own page, which shows the revision and asks for confirmation.
            return HttpResponseRedirect(
                reverse(
                    "admin:articles_article_transition", args=[object_id, request.POST[POST_PARAM]]
                )
            )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The article the admin already loaded for the page; no second fetch for the buttons.
        context["workflow_buttons"] = self.workflow_buttons(request, obj)
        context["why_no_decision"] = self.why_no_decision(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def transition_view(self, request, object_id, name):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[obj.pk])
        if name not in TRANSITION_NAMES or name in ("submit", "withdraw"):
            self.message_user(request, _("There is no such workflow step here."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        revision = obj.revision_under_review()
        form_class = TRANSITION_FORMS.get(name, TransitionCommentForm)
        # The approval form has a certainty grade per statement of the revision shown.
        form_kwargs = {"revision": revision} if name == "approve" else {}
        refusal, status = "", HTTPStatus.OK
        if not transition_allowed_for(article=obj, name=name, user=request.user):
            refusal, status = self._refusal(obj, name, request.user)
        if request.method == "POST" and not refusal:
            form = form_class(data=request.POST, **form_kwargs)
            if not form.is_valid():
                status = HTTPStatus.BAD_REQUEST
            else:
                data = form.cleaned_data
                try:
                    article_transition(
                        article=obj,
                        name=name,
                        user=request.user,
                        comment=data.get("comment", ""),
                        revision_number=data.get("revision_number"),
                        content_hash=data.get("content_hash", ""),
                        grades=form.grades() if hasattr(form, "grades") else None,
                        go_live_at=form.go_live_at() if hasattr(form, "go_live_at") else None,
                    )
                except StaleRevision as stale:
                    return self._render_stale(request, obj, name, stale)
                except TransitionRefused as refusal_error:
                    refusal, status = refusal_error.message, refusal_error.status
                else:
                    self._report_done(request, obj, name)
                    return HttpResponseRedirect(change_url)
        else:
            initial = {}
            if revision is not None and name in DECISION_NAMES:
                initial = {
                    "revision_number": revision.number,
                    "content_hash": revision.content_hash,
                }
            form = form_class(initial=initial, **form_kwargs)
        return render(
            request,
            self.transition_template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": obj,
                "title": transition_label(obj, name),
                "label": transition_label(obj, name),
                "name": name,
                "transition_form": None if refusal and request.method == "GET" else form,
                "refusal": refusal,
                "revision": revision,
                "is_decision": name in DECISION_NAMES,
            },
            status=status,
        )

    @staticmethod
    def _refusal(obj, name, user) -> tuple[str, int]:
        """Why the step is not available: the wrong state (409) or the wrong user (403)."""
        refusal = transition_refusal(article=obj, name=name, user=user)
        if refusal is not None:
            return refusal.message, refusal.status
        return str(refusal_reason(article=obj, name=name, user=user)), HTTPStatus.FORBIDDEN

    def _render_stale(self, request, obj, name, stale: StaleRevision):
        return render(
            request,
            self.stale_template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": obj,
                "title": _("The revision has changed"),
                "label": transition_label(obj, name),
                "stale": stale,
                "current": stale.current,
            },
            status=HTTPStatus.CONFLICT,
        )

    def _report_done(self, request, obj, name) -> None:
        obj.refresh_from_db()
        if name == "approve" and obj.status != Article.Status.APPROVED:
            self.message_user(
                request,
                _(
                    "Your approval is recorded. The article goes live once %(needed)s board "
                    "members have approved this revision."
                )
                % {"needed": settings.VETTED_APPROVALS_REQUIRED},
                level=messages.SUCCESS,
            )
            return
        self.message_user(
            request,
            _("Done: “%(label)s”. The article is now %(status)s.")
            % {"label": transition_label(obj, name), "status": obj.get_status_display().lower()},
            level=messages.SUCCESS,
        )

    # -- editors change authors, and only authors; board members read ---------------------

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return policies.is_editor(request.user)
        return policies.may_change_authors(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = [
            f.name
            for f in self.model._meta.get_fields()
            if f.concrete and f.editable and not f.auto_created and f.name != "authors"
        ]
        return [*fields, *self.review_fields]

    def save_model(self, request, obj, form, change):
        # Only the authors field is editable, and it is saved by save_related's service call.
        pass

    def save_related(self, request, form, formsets, change):
        try:
            article_authors_set(
                article=form.instance, user=request.user, authors=form.cleaned_data["authors"]
            )
        except TransitionRefused as refusal:
            self.message_user(request, refusal.message, level=messages.ERROR)

    # -- what the reviewer reads -----------------------------------------------------------

    review_fields = ["review_decisions", "review_diff"]

    @admin.display(description=_("Changes under review"))
    def review_diff(self, obj):
        revision = obj.revision_under_review() if obj else None
        if revision is None:
            return _("Nothing has been submitted yet.")
        live = obj.live_revision
        if live is not None and live.pk == revision.pk:
            return _("The live revision is the newest; there is nothing new to review.")
        diff = revision_diff(live.snapshot if live else None, revision.snapshot)
        return render_to_string(
            "admin/articles/article/_revision_diff.html",
            {
                "diff": diff,
                "revision": revision,
                "live": live,
                "compare_url": reverse("board:compare", args=[obj.pk]),
                # An approved revision waiting for its go-live time: say when, link to it.
                "awaiting_go_live": obj.status == Article.Status.APPROVED,
                "pending_release": pending_release(obj),
                "release_url": reverse("board:release", args=[obj.pk]),
            },
        )

    @admin.display(description=_("Decisions on the newest revision"))
    def review_decisions(self, obj):
        revision = obj.revision_under_review() if obj else None
        if revision is None:
            return "—"
        reviews = revision.reviews.select_related("member__user").order_by("created_at")
        return render_to_string(
            "admin/articles/article/_review_decisions.html",
            {
                "reviews": reviews,
                "revision": revision,
                "approvals_required": settings.VETTED_APPROVALS_REQUIRED,
            },
        )
