"""The board's comments at the desk: an author replies to a thread or marks it resolved."""

from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from desk.permissions import DeskAccessMixin, desk_article_or_404
from reviews import services as workflow
from reviews.models import StatementComment


class CommentFollowupForm(forms.Form):
    action = forms.ChoiceField(choices=[("reply", "reply"), ("resolve", "resolve")])
    body = forms.CharField(max_length=5000, required=False)
    next = forms.CharField(required=False)


class CommentFollowupView(DeskAccessMixin, View):
    """POST: reply to, or resolve, one of the board's comments on this article."""

    http_method_names = ["post"]

    def post(self, request, pk, thread_pk):
        article = desk_article_or_404(request.user, pk)
        thread = get_object_or_404(
            StatementComment, pk=thread_pk, article=article, thread__isnull=True
        )
        form = CommentFollowupForm(request.POST)
        if not form.is_valid():
            raise Http404("No such action.")
        data = form.cleaned_data
        try:
            if data["action"] == "reply":
                workflow.comment_reply(thread=thread, user=request.user, body=data["body"])
                messages.success(request, "Reply sent to the board.")
            else:
                workflow.comment_resolve(thread=thread, user=request.user, body=data["body"])
                messages.success(request, "Comment marked resolved.")
        except workflow.TransitionRefused as refusal:
            if refusal.status == HTTPStatus.FORBIDDEN:
                raise PermissionDenied(refusal.message) from refusal
            messages.error(request, refusal.message)
        target = data["next"]
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("desk:article", article.pk)
