from http import HTTPStatus

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from articles.audiences import AUDIENCE_COOKIE, AUDIENCE_COOKIE_MAX_AGE, audience_for_request
from articles.markdown import render_markdown
from articles.models import Article, Audience, EditorialPolicy
from articles.selectors import ArticleGone, article_page_context, public_article


def article_detail(request, slug: str):
    """The public article page, rendered from the displayed revision's snapshot."""
    try:
        article, revision = public_article(slug)
    except ArticleGone as gone:
        return render(
            request, "articles/article_gone.html", {"article": gone.args[0]},
            status=HTTPStatus.GONE,
        )
    context = article_page_context(
        article=article, snapshot=revision.snapshot, revision=revision,
        audience=audience_for_request(request),
    )
    return render(request, "articles/article_detail.html", context)


class EditorialPolicyView(TemplateView):
    template_name = "articles/editorial_policy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        policy = EditorialPolicy.objects.order_by("-updated_at").first()
        context["policy"] = policy
        context["policy_html"] = render_markdown(policy.body) if policy else ""
        context["approvals_required"] = settings.VETTED_APPROVALS_REQUIRED
        context["review_interval_days"] = settings.VETTED_REVIEW_INTERVAL_DAYS
        return context


@require_POST
def audience_set(request):
    """Remember the reader's audience in a cookie and go back where they were."""
    slug = request.POST.get("audience", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if Audience.objects.filter(slug=slug).exists():
        response.set_cookie(
            AUDIENCE_COOKIE, slug, max_age=AUDIENCE_COOKIE_MAX_AGE, samesite="Lax",
            secure=request.is_secure(), httponly=True,
        )
    return response


def home(request):
    articles = (
        Article.objects.approved_live().select_related("topic").order_by("-last_reviewed_at")[:20]
    )
    return render(request, "articles/home.html", {"articles": articles})
