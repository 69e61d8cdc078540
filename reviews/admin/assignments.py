"""Assigning board members in the admin: the changelist's bulk action, the article page's
"Assign board members…" page, and the assignment admin's add page.

All three doors show one form (members, due date) and call
``reviews.services.assignments.assignment_create``; none saves a ``ReviewAssignment`` itself.
Each form carries the revision number of every article it was shown for, and the service
refuses an article that moved on since. A bulk assignment is all or nothing.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import policies
from articles.models import Article
from reviews.models import BoardMember, ReviewAssignment
from reviews.services.assignments import AssignmentRefused, assignment_create

BULK_LIMIT = 100
TEMPLATE = "admin/reviews/assign_members.html"


def default_due():
    return (timezone.localtime() + timedelta(days=7)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )


class AssignForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Board members"),
        queryset=BoardMember.objects.active().select_related("user"),
        widget=forms.CheckboxSelectMultiple,
    )
    due_at = forms.DateTimeField(
        label=gettext_lazy("Due"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("When the members' decisions are due (local time)."),
    )

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        if due_at <= timezone.now():
            raise forms.ValidationError(_("The due date has already passed."))
        return due_at


class AssignAddForm(AssignForm):
    """The assignment admin's add page: the article is chosen on the form."""

    article = forms.ModelChoiceField(
        label=gettext_lazy("Article"),
        queryset=Article.objects.filter(status__in=policies.IN_BOARD_HANDS),
        widget=ForeignKeyRawIdWidget(
            ReviewAssignment._meta.get_field("article").remote_field, admin.site
        ),
        help_text=gettext_lazy("A submitted article or one under review."),
    )
    revision_number = forms.IntegerField(required=False, widget=forms.HiddenInput)
    field_order = ["article", "revision_number", "members", "due_at"]


def assign_all(*, articles, members, due_at, user, revision_numbers: dict) -> list[str]:
    """Assign on every article, or on none: the refusals, or an empty list when all passed."""
    problems = []
    with transaction.atomic():
        for article in articles:
            seen = revision_numbers.get(article.pk)
            if seen is None:
                problems.append(
                    _("“%(title)s” was not on the form you filled in; nothing was assigned.")
                    % {"title": article.title}
                )
                continue
            try:
                with transaction.atomic():
                    assignment_create(
                        article=article,
                        members=members,
                        due_at=due_at,
                        user=user,
                        revision_number=seen,
                    )
            except AssignmentRefused as refusal:
                problems.append(refusal.message)
        if problems:
            transaction.set_rollback(True)
    return problems


def _revision_numbers(data, articles) -> dict:
    numbers = {}
    for article in articles:
        value = data.get(f"revision_{article.pk}", "")
        if value.isdigit():
            numbers[article.pk] = int(value)
    return numbers


def _with_revisions(articles):
    """The revision number each article is shown at; the form sends it back."""
    for article in articles:
        number = getattr(article, "latest_number", None)  # the queue's annotation
        if number is None:
            revision = article.revision_under_review()
            number = revision.number if revision else ""
        article.assign_revision_number = number
    return articles


class ArticleAssignmentMixin:
    """For the article admin: the bulk action, the per-article page and a change-page link."""

    actions = ["assign_members"]

    def has_assign_permission(self, request, obj=None):
        return policies.is_editor(request.user)

    def get_urls(self):
        view = self.admin_site.admin_view(self.assign_view)
        return [
            path("<path:object_id>/assign/", view, name="articles_article_assign"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        can_assign = (
            obj is not None
            and obj.status in policies.IN_BOARD_HANDS
            and self.has_assign_permission(request)
        )
        context["assign_url"] = (
            reverse("admin:articles_article_assign", args=[obj.pk]) if can_assign else ""
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "review_assignments"]

    @admin.display(description=gettext_lazy("Assignments"))
    def review_assignments(self, obj):
        """The assignments on the revision under review: who, due when, and where they stand."""
        if obj is None or obj.pk is None:
            return "—"
        revision = obj.revision_under_review()
        rows = (
            ReviewAssignment.objects.filter(article=obj, revision=revision)
            .select_related("member__user")
            .order_by("due_at", "pk")
        )
        decided = set(revision.reviews.values_list("member_id", flat=True)) if revision else set()
        now = timezone.now()
        items = []
        for row in rows:
            if row.withdrawn_at:
                state = _("withdrawn")
            elif row.member_id in decided:
                state = _("decided")
            elif row.due_at and row.due_at < now:
                state = _("overdue")
            else:
                state = _("open")
            due = f"{timezone.localtime(row.due_at):%Y-%m-%d %H:%M}" if row.due_at else "—"
            items.append(format_html("<li>{} — {} {} ({})</li>", row.member, _("due"), due, state))
        if not items:
            return _("Nobody is assigned to this revision.")
        return format_html("<ul>{}</ul>", format_html_join("", "{}", ((i,) for i in items)))

    @admin.action(description=gettext_lazy("Assign board members…"), permissions=["assign"])
    def assign_members(self, request, queryset):
        articles = list(queryset.select_related("topic").order_by("title", "pk")[: BULK_LIMIT + 1])
        if len(articles) > BULK_LIMIT:
            self.message_user(
                request,
                _("Assign at most %(n)s articles at once.") % {"n": BULK_LIMIT},
                messages.ERROR,
            )
            return None
        elsewhere = [a.title for a in articles if a.status not in policies.IN_BOARD_HANDS]
        if elsewhere:
            self.message_user(
                request,
                _(
                    "Only submitted articles and articles under review are assigned; "
                    "deselect: %(titles)s"
                )
                % {"titles": "; ".join(elsewhere)},
                messages.ERROR,
            )
            return None
        return self._assign_page(
            request,
            articles,
            bulk=True,
            done_url=request.get_full_path(),
            first_show="apply" not in request.POST,
        )

    def assign_view(self, request, object_id):
        if not self.has_assign_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        done_url = reverse("admin:articles_article_change", args=[article.pk])
        return self._assign_page(
            request, [article], bulk=False, done_url=done_url, first_show=request.method != "POST"
        )

    def _assign_page(self, request, articles, *, bulk, done_url, first_show):
        status, problems = 200, []
        if first_show:
            form = AssignForm(initial={"due_at": default_due()})
        else:
            form = AssignForm(data=request.POST)
            if form.is_valid():
                problems = assign_all(
                    articles=articles,
                    members=form.cleaned_data["members"],
                    due_at=form.cleaned_data["due_at"],
                    user=request.user,
                    revision_numbers=_revision_numbers(request.POST, articles),
                )
                if not problems:
                    self.message_user(
                        request,
                        _("Assigned %(members)s to %(count)s article(s).")
                        % {
                            "members": ", ".join(str(m) for m in form.cleaned_data["members"]),
                            "count": len(articles),
                        },
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(done_url)
            status = 400 if not problems else 409
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Assign board members"),
            "form": form,
            "articles": _with_revisions(articles),
            "problems": problems,
            "bulk": bulk,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "cancel_url": done_url,
        }
        return TemplateResponse(request, TEMPLATE, context, status=status)


class AssignmentAddMixin:
    """For the assignment admin: its add page runs the same service, never a model form."""

    def has_add_permission(self, request):
        return policies.is_editor(request.user)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        status, problems = 200, []
        if request.method == "POST":
            form = AssignAddForm(data=request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    assignment_create(
                        article=data["article"],
                        members=data["members"],
                        due_at=data["due_at"],
                        user=request.user,
                        revision_number=data.get("revision_number"),
                    )
                except AssignmentRefused as refusal:
                    problems, status = [refusal.message], refusal.status
                else:
                    self.message_user(request, _("Assigned."), messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:reviews_reviewassignment_changelist")
                    )
            else:
                status = 400
        else:
            initial = {"due_at": default_due()}
            article = Article.objects.filter(pk=request.GET.get("article") or None).first()
            if article is not None:
                revision = article.revision_under_review()
                initial |= {"article": article.pk, "revision_number": revision and revision.number}
            form = AssignAddForm(initial=initial)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Assign board members"),
            "form": form,
            "articles": [],
            "problems": problems,
            "bulk": False,
            "cancel_url": reverse("admin:reviews_reviewassignment_changelist"),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, TEMPLATE, context, status=status)
