from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from articles.audiences import AUDIENCE_COOKIE, AUDIENCE_COOKIE_MAX_AGE, audience_for_request
from articles.forms import AudienceForm, FollowUpForm, SearchForm
from articles.markdown import render_markdown
from articles.models import Article, EditorialPolicy, Revision, Topic
from articles.models.article import PENDING_PUBLIC_STATES
from articles.search import search_page
from articles.selectors import ArticleGone, article_page_context, public_article
from articles.services import FollowUpRateLimited, follow_up_create

TOPIC_PAGE_SIZE = 50


def _render_article(request, article, revision, *, follow_up_form=None, status=HTTPStatus.OK):
    audience = audience_for_request(request)
    context = article_page_context(
        article=article,
        snapshot=revision.snapshot,
        revision=revision,
        audience=audience,
        request=request,
    )
    context["audience_form"] = AudienceForm(
        audiences=context["audiences"], current=audience, next_url=request.path
    )
    context["follow_up_form"] = follow_up_form or FollowUpForm(
        action=reverse("articles:follow_up", args=[article.slug])
    )
    return render(request, "articles/article_detail.html", context, status=status)


def _gone(request, article):
    return render(request, "410.html", {"article": article}, status=HTTPStatus.GONE)


def article_detail(request, slug: str):
    """The public article page, rendered from the displayed revision's snapshot."""
    try:
        article, revision = public_article(slug)
    except ArticleGone as gone:
        return _gone(request, gone.args[0])
    return _render_article(request, article, revision)


@require_POST
def follow_up_create_view(request, slug: str):
    """A reader's follow-up question: queued, then back to the article with a message."""
    try:
        article, revision = public_article(slug)
    except ArticleGone as gone:
        return _gone(request, gone.args[0])
    form = FollowUpForm(request.POST, action=reverse("articles:follow_up", args=[slug]))
    if not form.is_valid():
        if form.is_honeypot_hit:
            messages.error(request, form.errors["website"][0])
        else:
            messages.error(request, "Your question was not sent. Please fix the problem below.")
        return _render_article(
            request, article, revision, follow_up_form=form, status=HTTPStatus.BAD_REQUEST
        )
    try:
        follow_up_create(
            article=article,
            audience=audience_for_request(request),
            question=form.cleaned_data["question"],
            email=form.cleaned_data["email"],
            client_address=request.META.get("REMOTE_ADDR", ""),
        )
    except FollowUpRateLimited:
        minutes = max(1, settings.VETTED_FOLLOW_UP_WINDOW_SECONDS // 60)
        messages.error(
            request,
            f"You have sent {settings.VETTED_FOLLOW_UP_RATE} questions recently, the most we "
            f"accept from one connection in {minutes} minutes. Please try again later.",
        )
        return _render_article(
            request,
            article,
            revision,
            follow_up_form=form,
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
    messages.success(
        request, "Thank you — your question has reached our editors. We read every one."
    )
    return redirect(f"{article.get_absolute_url()}#follow-up")


class EditorialPolicyView(TemplateView):
    template_name = "articles/editorial_policy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        policy = EditorialPolicy.objects.order_by("-updated_at").first()
        context["policy"] = policy
        context["policy_html"] = render_markdown(policy.body) if policy else ""
        context["approvals_required"] = settings.VETTED_APPROVALS_REQUIRED
        context["review_interval_days"] = settings.VETTED_REVIEW_INTERVAL_DAYS
        context["follow_up_rate"] = settings.VETTED_FOLLOW_UP_RATE
        context["follow_up_window_minutes"] = settings.VETTED_FOLLOW_UP_WINDOW_SECONDS // 60
        return context


@require_POST
def audience_set(request):
    """Remember the reader's audience in a cookie and go back where they were."""
    form = AudienceForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if form.is_valid():
        audience = form.cleaned_data["audience"]
        response.set_cookie(
            AUDIENCE_COOKIE,
            audience.slug,
            max_age=AUDIENCE_COOKIE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
        messages.info(request, f"Showing wording for: {audience.label}.")
    else:
        messages.warning(request, "That option is not available; showing the default wording.")
    return response


def _public_topics():
    """Topics that readers can find an answer in, by the topics of the displayed revisions."""
    # A LIMIT 1 subquery per topic walks the topic's revisions on their index and stops at
    # the first one a public article displays; PostgreSQL would turn a plain EXISTS into a
    # semi-join that reads every article.
    displayed = Article.objects.public().filter(displayed_revision=OuterRef("pk"))
    shown = Revision.objects.filter(Exists(displayed), topic=OuterRef("pk"))
    first = Subquery(shown.order_by().values("pk")[:1])
    return Topic.objects.alias(first=first).filter(first__isnull=False).order_by("name")


def home(request):
    """The latest approved answers, answers under review, topics and the search box."""
    shown = "displayed_revision__topic"
    approved = (
        Article.objects.approved_live()
        .select_related(shown)
        .order_by("-last_reviewed_at", "-pk")[:20]
    )
    # Only these states can show a never-approved revision; naming them lets the status index
    # find the few pending articles instead of walking every approved one by date.
    pending = (
        Article.objects.pending_public()
        .filter(status__in=PENDING_PUBLIC_STATES)
        .select_related(shown)
        .order_by("-updated_at")[:10]
    )
    topics = _public_topics()
    return render(
        request,
        "articles/home.html",
        {"articles": approved, "pending": pending, "topics": topics, "search_form": SearchForm()},
    )


def topic_detail(request, slug: str):
    """One topic's public articles, by the topic and title readers see, a page at a time."""
    topic = get_object_or_404(Topic, slug=slug)
    articles = (
        Article.objects.public()
        .filter(displayed_revision__topic=topic)
        .select_related("displayed_revision__topic")
        .order_by("displayed_revision__title", "pk")
    )
    page = Paginator(articles, TOPIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/topic_detail.html",
        {"topic": topic, "articles": page.object_list, "page": page},
    )


def _page_number(request) -> int:
    """The ``?page=`` number; anything odd is the first page."""
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and 0 < len(value) < 6 else 1


def search(request):
    """Full-text search; empty, long or odd queries still get a helpful page."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = search_page(query, _page_number(request))
    return render(
        request,
        "articles/search.html",
        {
            "search_form": SearchForm(initial={"q": query}),
            "query": query,
            "results": page.results,
            "page": page,
            "topics": _public_topics(),
        },
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /desk/",
        "Disallow: /audience/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
