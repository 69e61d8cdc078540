"""The board's comments on statements: a page that reads like the revision under review, with
each statement's threads beside it, and a summary on the article page. Writes go through
reviews.services (comment_add, comment_reply, comment_edit, comment_resolve)."""

from http import HTTPStatus

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from articles import policies
from articles.markdown import render_inline_markdown
from reviews.comments import threads_by_anchor, threads_for_board
from reviews.forms import RevisionSeenForm
from reviews.models import StatementComment
from reviews.services import (
    StaleRevision,
    TransitionRefused,
    comment_add,
    comment_edit,
    comment_reply,
    comment_resolve,
)


class CommentAddForm(RevisionSeenForm):
    anchor = forms.ChoiceField(choices=StatementComment.Anchor.choices, widget=forms.HiddenInput)
    anchor_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    body = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CommentFollowupForm(forms.Form):
    ACTIONS = ("reply", "edit", "resolve")

    thread = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    body = forms.CharField(max_length=5000, required=False, widget=forms.Textarea)


FOLLOWUPS = {"reply": comment_reply, "edit": comment_edit, "resolve": comment_resolve}


class StatementCommentAdminMixin:
    """Adds the comments page and the "Comments on statements" field to the article admin."""

    comments_template = "admin/articles/article/comments.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.comments_view)
        return [
            path("<path:object_id>/comments/", view, name="articles_article_comments"),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "review_comments"]

    @admin.display(description=_("Comments on statements"))
    def review_comments(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        revision = obj.revision_under_review()
        return render_to_string(
            "admin/articles/article/_comment_summary.html",
            {
                "threads": threads_for_board(obj, revision),
                "revision": revision,
                "url": reverse("admin:articles_article_comments", args=[obj.pk]),
            },
        )

    def comments_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        url = reverse("admin:articles_article_comments", args=[article.pk])
        status = HTTPStatus.OK
        if request.method == "POST":
            status = self._comment_post(request, article)
            if status == HTTPStatus.OK:
                return HttpResponseRedirect(url)
        revision = article.revision_under_review()
        threads = threads_for_board(article, revision)
        grouped = threads_by_anchor([item.thread for item in threads])
        may_comment = (
            article.status == article.Status.UNDER_REVIEW
            and revision is not None
            and policies.may_decide(request.user, article, revision)
        )
        sections = []
        for section in (revision.snapshot if revision else {}).get("sections", []):
            statements = [
                {
                    "id": statement["id"],
                    "html": render_inline_markdown(statement.get("text", "")),
                    "threads": grouped.get(("statement", statement["id"]), []),
                }
                for statement in section.get("statements", [])
            ]
            sections.append(
                {
                    "id": section["id"],
                    "heading": section.get("heading", ""),
                    "threads": grouped.get(("section", section["id"]), []),
                    "statements": statements,
                }
            )
        anchored = set(grouped)
        present = {("section", s["id"]) for s in sections} | {
            ("statement", st["id"]) for s in sections for st in s["statements"]
        }
        return render(
            request,
            self.comments_template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": article,
                "title": _("Comments on statements: %(article)s") % {"article": article},
                "revision": revision,
                "sections": sections,
                "may_comment": may_comment,
                "user_id": request.user.pk,
                "elsewhere": [
                    item for item in threads if item.thread.anchor_key in anchored - present
                ],
            },
            status=status,
        )

    def _comment_post(self, request, article) -> int:
        """Run one comment write; report a refusal as a message and return its status."""
        try:
            if "thread" in request.POST:
                form = CommentFollowupForm(request.POST)
                if not form.is_valid():
                    raise TransitionRefused(
                        _("Write a reply first."), status=HTTPStatus.BAD_REQUEST
                    )
                data = form.cleaned_data
                thread = get_object_or_404(
                    StatementComment, pk=data["thread"], article=article, thread__isnull=True
                )
                FOLLOWUPS[data["action"]](thread=thread, user=request.user, body=data["body"])
                done = _("Resolved.") if data["action"] == "resolve" else _("Saved.")
            else:
                form = CommentAddForm(request.POST)
                if not form.is_valid():
                    raise TransitionRefused(
                        _("Write the comment first."), status=HTTPStatus.BAD_REQUEST
                    )
                data = form.cleaned_data
                comment_add(
                    article=article,
                    user=request.user,
                    anchor=data["anchor"],
                    anchor_id=data["anchor_id"],
                    body=data["body"],
                    revision_number=data["revision_number"],
                    content_hash=data["content_hash"],
                )
                done = _("Comment added.")
        except StaleRevision as stale:
            self.message_user(request, stale.message, messages.ERROR)
            return stale.status
        except TransitionRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return refusal.status
        self.message_user(request, done, messages.SUCCESS)
        return HTTPStatus.OK
