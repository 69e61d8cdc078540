"""The board's workspace in the admin: review queue filters, transitions through the services,
the diff of the revision under review, and the read-only audit trail."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm.admin import FSMAdminMixin, FSMObjectTransition, FSMTransitionContext
from django_fsm_log.models import StateLog

from articles.models import Article, Revision
from reviews.diff import revision_diff
from reviews.forms import ApproveForm, RejectForm, RequestChangesForm, TransitionCommentForm
from reviews.models import BoardMember, Review, ReviewAssignment
from reviews.services import (
    DECISION_TRANSITIONS,
    TRANSITION_NAMES,
    TransitionRefused,
    article_transition,
    transition_allowed_for,
)

DECISION_NAMES = set(DECISION_TRANSITIONS.values())


def member_for(user) -> BoardMember | None:
    if not (user and user.is_authenticated):
        return None
    return BoardMember.objects.filter(user=user, is_active=True).first()


def latest_revision_subquery():
    return Subquery(
        Revision.objects.filter(article=OuterRef("pk")).order_by("-number").values("pk")[:1]
    )


def awaiting_review_for(queryset, user):
    """Submitted or under review, not authored by the user, no conflict, not yet decided."""
    member = member_for(user)
    if member is None:
        return queryset.none()
    decided = Review.objects.filter(member=member, revision_id=OuterRef("latest_revision_pk"))
    return (
        queryset.filter(status__in=[Article.Status.SUBMITTED, Article.Status.UNDER_REVIEW])
        .exclude(authors=user)
        .exclude(topic__in=member.conflicts.all())
        .annotate(latest_revision_pk=latest_revision_subquery())
        .exclude(Exists(decided))
    )


def has_decided(*, article: Article, user) -> bool:
    member = member_for(user)
    revision = article.revision_under_review()
    return bool(member and revision) and Review.objects.filter(
        member=member, revision=revision
    ).exists()


class AwaitingMyReviewFilter(admin.SimpleListFilter):
    title = _("review queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("mine", _("Awaiting my review")), ("overdue", _("Overdue for re-review"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return awaiting_review_for(queryset, request.user)
        if self.value() == "overdue":
            return queryset.overdue(timezone.now())
        return queryset


class ReadOnlyAdminMixin:
    """For records nobody may add, change or delete through the admin: reviews, audit, revisions."""

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


@dataclass
class WorkflowButton(FSMTransitionContext):
    url: str = ""
    has_form: bool = False


class NoFieldsForm(forms.Form):
    """A confirmation: the transition needs nothing more than a click."""


def _never(*args, **kwargs) -> bool:
    return False


class ReviewWorkflowAdminMixin(FSMAdminMixin):
    """FSM admin whose every transition is re-checked and run by reviews.services."""

    fsm_fields = ["status"]
    fsm_forms = {
        "approve": ApproveForm,
        "request_changes": RequestChangesForm,
        "reject": RejectForm,
        "request_rereview": TransitionCommentForm,
        "archive": TransitionCommentForm,
        "restore": TransitionCommentForm,
    }
    change_form_template = "admin/articles/article/change_form.html"
    fsm_transition_form_template = "admin/articles/article/transition_form.html"

    # -- which buttons a user sees -------------------------------------------------------

    def workflow_buttons(self, request, obj) -> list[WorkflowButton]:
        """Only the transitions this user may run now; the server checks again on POST."""
        if obj is None:
            return []
        buttons = []
        for name in TRANSITION_NAMES:
            transition = self._get_fsm_transition_by_name(obj=obj, transition_name=name)
            if not self.is_fsm_transition_visible(transition):
                continue
            if not transition_allowed_for(article=obj, name=name, user=request.user):
                continue
            if name in DECISION_NAMES and has_decided(article=obj, user=request.user):
                continue
            buttons.append(WorkflowButton(
                name=name, label=self.get_fsm_label(transition),
                help_text=self.get_help_text(transition),
                url=reverse("admin:articles_article_transition", args=[obj.pk, name]),
                has_form=self.get_fsm_transition_form(transition) is not None,
            ))
        return buttons

    def _get_fsm_extra_context(self, *, request, obj):
        buttons = self.workflow_buttons(request, obj)
        if not buttons:
            return []
        return [FSMObjectTransition(
            fsm_field="status", block_label=str(_("Review workflow")),
            available_transitions=buttons,
        )]

    # -- running a transition: always through the services --------------------------------

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None) -> bool:
        comment = (kwargs or {}).get("comment", "") or ""
        try:
            article_transition(
                article=obj, name=transition_name, user=request.user, comment=comment
            )
        except TransitionRefused as refusal:
            self.message_user(request, refusal.message, level=messages.ERROR)
            for problem in refusal.problems:
                self.message_user(request, problem.message, level=messages.WARNING)
            return False
        obj.refresh_from_db()
        label = self._label_for(obj, transition_name)
        if transition_name == "approve" and obj.status != Article.Status.APPROVED:
            self.message_user(request, _(
                "Your approval is recorded. The article goes live once %(needed)s board "
                "members have approved this revision."
            ) % {"needed": self._approvals_required()}, level=messages.SUCCESS)
        else:
            self.message_user(
                request, _("Done: “%(label)s”. The article is now %(status)s.")
                % {"label": label, "status": obj.get_status_display().lower()},
                level=messages.SUCCESS,
            )
        return True

    @staticmethod
    def _approvals_required() -> int:
        from django.conf import settings

        return settings.VETTED_APPROVALS_REQUIRED

    def _label_for(self, obj, name: str) -> str:
        return str(self.get_fsm_label(
            self._get_fsm_transition_by_name(obj=obj, transition_name=name)
        ))

    def _change_url(self, obj) -> str:
        return reverse("admin:articles_article_change", args=[obj.pk])

    def response_change(self, request, obj):
        # A transition posted to the change form itself still goes through the services.
        name = request.POST.get(self.fsm_post_param)
        if not name:
            return super(FSMAdminMixin, self).response_change(request, obj)
        return self.fsm_transition_view(request, str(obj.pk), name)

    def fsm_transition_view(self, request, object_id, transition_name, **kwargs):
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if transition_name not in TRANSITION_NAMES:
            self.message_user(request, _("There is no such workflow step."), messages.ERROR)
            return HttpResponseRedirect(self._change_url(obj))
        visible = {button.name: button for button in self.workflow_buttons(request, obj)}
        if transition_name not in visible:
            self.message_user(request, _(
                "You cannot “%(label)s” this article now: either the article is %(status)s or "
                "this step is not yours to take. Nothing was changed."
            ) % {"label": self._label_for(obj, transition_name),
                 "status": obj.get_status_display().lower()}, messages.ERROR)
            return HttpResponseRedirect(self._change_url(obj))
        transition = self._get_fsm_transition_by_name(obj=obj, transition_name=transition_name)
        form_class = self.get_fsm_transition_form(transition) or NoFieldsForm
        posted = request.method == "POST" and (
            form_class is NoFieldsForm or "_workflow_confirm" in request.POST
        )
        form = form_class(data=request.POST if posted else None)
        if posted and form.is_valid():
            self._apply_fsm_transition(
                obj=obj, transition_name=transition_name, request=request,
                kwargs=form.cleaned_data,
            )
            return HttpResponseRedirect(self._change_url(obj))
        return render(request, self.fsm_transition_form_template, {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "transition": visible[transition_name],
            "transition_form": form,
            "revision": obj.revision_under_review(),
        })

    # -- read-only while under review -----------------------------------------------------

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.is_content_editable:
            content = [f.name for f in self.model._meta.get_fields()
                       if f.concrete and f.editable and not f.auto_created]
            fields += [f for f in content if f not in fields]
        return fields

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and not obj.is_content_editable:
            for inline in inlines:
                # Shown, never editable, while the article is out of its authors' hands.
                inline.has_add_permission = _never
                inline.has_change_permission = _never
                inline.has_delete_permission = _never
        return inlines

    def has_change_permission(self, request, obj=None):
        # Content is frozen outside draft and changes requested; transitions still work
        # through their own view, which checks its own permissions.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.is_content_editable)

    # -- what the reviewer reads -----------------------------------------------------------

    @admin.display(description=_("Changes under review"))
    def review_diff(self, obj):
        revision = obj.revision_under_review() if obj else None
        if revision is None:
            return _("Nothing has been submitted yet.")
        live = obj.live_revision
        if live is not None and live.pk == revision.pk:
            return _("The live revision is the newest; there is nothing new to review.")
        diff = revision_diff(live.snapshot if live else None, revision.snapshot)
        return render_to_string("admin/articles/article/_revision_diff.html", {
            "diff": diff, "revision": revision, "live": live,
        })

    @admin.display(description=_("Decisions on the newest revision"))
    def review_decisions(self, obj):
        revision = obj.revision_under_review() if obj else None
        if revision is None:
            return "—"
        reviews = revision.reviews.select_related("member__user").order_by("created_at")
        return render_to_string("admin/articles/article/_review_decisions.html", {
            "reviews": reviews, "revision": revision,
            "approvals_required": self._approvals_required(),
        })


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
    readonly_fields = [
        "timestamp", "content_type", "object_id", "transition", "source_state", "state", "by",
        "description",
    ]
