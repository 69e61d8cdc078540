"""Preview through the public page's own rendering, and the author's workflow steps."""

from http import HTTPStatus

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from articles.audiences import audience_for_request
from articles.selectors import article_page_context
from articles.snapshots import build_snapshot
from desk.permissions import DeskAccessMixin, desk_article_or_404
from desk.views.article_page import render_article_page
from reviews import services as workflow

# Preview and workflow -----------------------------------------------------------------------


class ArticlePreviewView(DeskAccessMixin, View):
    """The working copy through the public page's own rendering path, with a Preview banner."""

    def get(self, request, pk):
        article = desk_article_or_404(request.user, pk)
        context = article_page_context(
            article=article,
            snapshot=build_snapshot(article),
            revision=None,
            audience=audience_for_request(request),
            preview=True,
            request=request,
        )
        return render(request, "articles/article_detail.html", context)


class TransitionView(DeskAccessMixin, View):
    http_method_names = ["post"]
    success_message = ""

    def transition(self, article, user):
        raise NotImplementedError

    def post(self, request, pk):
        article = desk_article_or_404(request.user, pk)
        try:
            self.transition(article, request.user)
        except workflow.TransitionRefused as refusal:
            if refusal.status == HTTPStatus.NOT_FOUND:
                raise Http404(refusal.message) from refusal
            messages.error(request, refusal.message)
            return render_article_page(
                request, article, status=refusal.status, problems=refusal.problems
            )
        messages.success(request, self.success_message)
        return redirect("desk:article", article.pk)


class ArticleSubmitView(TransitionView):
    success_message = "Submitted to the Medical Advisory Board. Its content is now read-only."

    def transition(self, article, user):
        # The optional reader-facing "what changed" note, kept with the new revision.
        summary = self.request.POST.get("change_summary", "").strip()[:1000]
        # "Corrects an error", with the note readers see on the corrections page.
        workflow.article_submit(
            article=article,
            user=user,
            change_summary=summary,
            corrects_error=bool(self.request.POST.get("corrects_error")),
            correction_note=self.request.POST.get("correction_note", "").strip()[:1000],
        )


class ArticleWithdrawView(TransitionView):
    success_message = "Submission withdrawn; the article is a draft again."

    def transition(self, article, user):
        workflow.article_withdraw(article=article, user=user)


class ArticleReviseView(TransitionView):
    success_message = "A new working copy is open. Readers keep seeing the approved revision."

    def transition(self, article, user):
        workflow.article_revise(article=article, user=user)
