"""The go-live page of an approved revision waiting for its time: see, move or cancel it.

Editors and the members who approved the revision may act (services.releases checks again).
The revision itself goes live only through the release task, never from this page.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from reviews.releases import ScheduledRelease
from reviews.services import TransitionRefused
from reviews.services.releases import (
    may_schedule,
    pending_release,
    release_cancel,
    release_schedule,
)


class ReleaseForm(forms.Form):
    action = forms.ChoiceField(choices=[("schedule", "schedule"), ("cancel", "cancel")])
    revision_number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    go_live_at = forms.DateTimeField(
        label=_("New go-live time (UTC)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(label=_("Note for the audit trail"), required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "schedule" and not cleaned.get("go_live_at"):
            self.add_error("go_live_at", _("Choose the time the revision goes live."))
        return cleaned


def release_view(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    if not admin.site._registry[Article].has_view_permission(request, article):
        raise PermissionDenied
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    newest = article.revision_under_review()
    waiting = (
        newest
        if article.status == Article.Status.APPROVED
        and newest is not None
        and newest.pk != article.live_revision_id
        else None
    )
    status = 200
    form = ReleaseForm(initial={"revision_number": waiting.number if waiting else 1})
    if request.method == "POST":
        form = ReleaseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == "cancel":
                    release_cancel(article=article, user=request.user, note=data["note"])
                    messages.success(request, _("Go-live cancelled: readers keep the live page."))
                else:
                    release_schedule(
                        article=article,
                        user=request.user,
                        go_live_at=data["go_live_at"],
                        revision_number=data["revision_number"],
                        note=data["note"],
                    )
                    messages.success(request, _("Go-live time set."))
                return redirect("board:release", article.pk)
            except TransitionRefused as refusal:
                messages.error(request, refusal.message)
                status = refusal.status
        else:
            status = 400
    return render(
        request,
        "reviews/release.html",
        {
            **admin.site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "title": _("Go-live"),
            "change_url": change_url,
            "waiting": waiting,
            "pending": pending_release(article),
            "may_act": bool(waiting) and may_schedule(request.user, waiting),
            "form": form,
            "events": ScheduledRelease.objects.filter(article=article)
            .select_related("revision", "by")
            .order_by("-created_at", "-pk")[:50],
        },
        status=status,
    )


release = admin.site.admin_view(release_view)
