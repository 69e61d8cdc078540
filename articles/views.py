from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import TemplateView

from articles import page_cache
from articles.audiences import (
    AUDIENCE_COOKIE,
    AUDIENCE_COOKIE_MAX_AGE,
    audience_for_request,
    audiences_for_request,
    default_audience,
)
from articles.forms import AudienceForm, FollowUpForm, SearchForm
from articles.listings import cursor_position, numbered_page_cursor, topic_page
from articles.markdown import render_markdown
from articles.models import Article, EditorialPolicy, Topic
from articles.models.article import PENDING_PUBLIC_STATES
from articles.search import search_page
from articles.selectors import ArticleGone, article_page_context, public_article
from articles.services import (
    FollowUpRateLimited,
    FollowUpRateLimitUnavailable,
    follow_up_create,
)

TOPIC_PAGE_SIZE = 50


def _render_article(
    request,
    article,
    revision,
    *,
    follow_up_form=None,
    status=HTTPStatus.OK,
    shared=False,
    cache_tokens=(),
):
    """Draw the page. ``shared``: the copy every anonymous reader gets, so nothing personal:
    no CSRF token (static/js/forms.js fetches one when a form is used) and no messages."""
    audience = audience_for_request(request)
    context = article_page_context(
        article=article,
        snapshot=revision.snapshot,
        revision=revision,
        audience=audience,
        request=request,
        cache_tokens=cache_tokens,
    )
    # The chooser is drawn from the audience list; no form object needed to draw it.
    context["audience_form"] = True
    context["audience_next"] = request.path
    context["follow_up_form"] = follow_up_form or FollowUpForm()
    context["follow_up_action"] = f"{article.get_absolute_url()}follow-up/"
    context["shared_page"] = shared
    if shared:
        # Reading the messages would open the session, and the page must not depend on it.
        context["messages"] = ()
    return render(request, "articles/article_detail.html", context, status=status)


def _gone(request, article):
    return render(request, "410.html", {"article": article}, status=HTTPStatus.GONE)


def _modified(article, revision) -> float:
    stamps = [article.updated_at, revision.created_at if revision else None]
    return max(stamp for stamp in stamps if stamp).timestamp()


def article_detail(request, slug: str):
    """The public article page, rendered from the displayed revision's snapshot.

    Anonymous readers share stored pages (articles.page_cache): a hit costs no SQL and no
    template. Anyone with a session or a flash message gets a page drawn for them.
    """
    if not page_cache.is_shared_request(request):
        try:
            article, revision = public_article(slug)
        except ArticleGone as gone:
            return _gone(request, gone.args[0])
        response = _render_article(request, article, revision)
        response["Cache-Control"] = "private, no-cache"
        return response
    hit, state = page_cache.cached_response(request, slug)
    if hit is not None:
        return hit
    return _article_shared_render(request, slug, state)


def _article_shared_render(request, slug: str, state):
    """A miss: read the tokens, then the data, draw the shared page and keep it."""
    state.ensure_tokens()
    tokens = (state.gen, state.site)
    slugs, default_slug = (), "-"
    try:
        article, revision = public_article(slug)
    except ArticleGone as gone:
        article = gone.args[0]
        key = state.page_key(request, "gone", "-")
        modified, content_hash, expires = _modified(article, None), "gone", None
        audience, cookie_chose = "-", False
    else:
        audiences = audiences_for_request(request)
        slugs = tuple(a.slug for a in audiences)
        default = default_audience(audiences)
        default_slug = default.slug if default else "-"
        audience, cookie_chose = page_cache.chosen_audience(request, slugs, default_slug)
        content_hash = revision.content_hash
        key = state.page_key(request, content_hash, audience)
        modified = _modified(article, revision)
        due = article.next_review_due
        expires = (
            due.timestamp() if due and article.live_revision_id and due > timezone.now() else None
        )
    etag = page_cache.etag_for(key)
    headers = {"etag": etag, "last_modified": http_date(modified), "cookie_chose": cookie_chose}
    response = page_cache.not_modified(request, etag)
    if response is not None:
        return page_cache.headers_apply(response, **headers)
    if content_hash == "gone":
        response = _gone(request, article)
    else:
        response = _render_article(request, article, revision, shared=True, cache_tokens=tokens)
    page_cache.store(
        request,
        state,
        response,
        content_hash=content_hash,
        audience=audience,
        audiences=slugs,
        default=default_slug,
        modified=modified,
        expires=expires,
    )
    return page_cache.headers_apply(response, **headers)


@never_cache
@require_GET
def follow_up_page(request, slug: str):
    """The article drawn for this reader, form token included: the follow-up form without
    JavaScript. Never stored anywhere."""
    try:
        article, revision = public_article(slug)
    except ArticleGone as gone:
        return _gone(request, gone.args[0])
    response = _render_article(request, article, revision)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def form_token(request):
    """A CSRF token for the forms of a shared page (static/js/forms.js). Never stored."""
    response = JsonResponse({"token": get_token(request)})
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def follow_up_create_view(request, slug: str):
    """A reader's follow-up question: queued, then back to the article with a message."""
    try:
        article, revision = public_article(slug)
    except ArticleGone as gone:
        return _gone(request, gone.args[0])
    form = FollowUpForm(request.POST)
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
    except FollowUpRateLimitUnavailable:
        # The sender count lives in the cache; without it the form fails closed.
        messages.error(
            request,
            "Your question was not sent. We cannot accept questions for a few minutes; "
            "please send it again shortly. Your words are kept below.",
        )
        response = _render_article(
            request,
            article,
            revision,
            follow_up_form=form,
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = "60"
        # An expected refusal, already logged by the cache (config/cache.py), not a server
        # error: Django's error log skips a response marked as logged.
        response._has_been_logged = True
        return response
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


@require_http_methods(["GET", "POST"])
def audience_set(request):
    """Remember the reader's audience in a cookie and go back where they were.

    A display preference, not a decision: the chooser on the shared article page submits it
    with GET, so it needs no CSRF token and works without scripts. The worst a forged request
    can do is what a link with ``?audience=`` already does, change the wording shown.
    """
    data = request.POST if request.method == "POST" else request.GET
    form = AudienceForm(data)
    next_url = data.get("next") or "/"
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
    # A LIMIT 1 subquery per topic walks the topic's part of the listing index and stops at
    # the first public article; PostgreSQL would turn a plain EXISTS into a semi-join that
    # reads every article. Ordering by the index's next column keeps the planner on the
    # index: unordered, it may pick a sequential scan, which reads every article for a topic
    # that has none.
    shown = Article.objects.public().filter(listing_topic=OuterRef("pk"))
    first = Subquery(shown.order_by("listing_title").values("pk")[:1])
    return Topic.objects.alias(first=first).filter(first__isnull=False).order_by("name")


def home(request):
    """The latest approved answers, answers under review, topics and the search box."""
    # The lists show the displayed revision's question and topic, copied onto the article.
    shown = "listing_topic"
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
    """One topic's public articles, by the question readers see, a keyset page at a time."""
    topic = get_object_or_404(Topic, slug=slug)
    after, before = request.GET.get("after"), request.GET.get("before")
    if "page" in request.GET and not (after or before):
        return _topic_numbered_page(request, topic)
    after_at, before_at = cursor_position(after), cursor_position(before)
    if (after and after_at is None) or (before and before_at is None):
        raise Http404("That page of the topic does not exist.")
    page = topic_page(topic, per_page=TOPIC_PAGE_SIZE, after=after_at, before=before_at)
    if before_at is not None and page.is_first and len(page.articles) < TOPIC_PAGE_SIZE:
        # Nothing before this short page: the first page is the one to show, whole.
        return redirect(topic.get_absolute_url())
    return render(
        request,
        "articles/topic_detail.html",
        {"topic": topic, "articles": page.articles, "page": page},
    )


def _topic_numbered_page(request, topic):
    """``?page=N`` (older links): redirect to the keyset page that starts at the same place."""
    number = _page_number(request)
    if number <= 1:
        return redirect(topic.get_absolute_url())
    cursor = numbered_page_cursor(topic, number=number, per_page=TOPIC_PAGE_SIZE)
    if cursor is None:
        raise Http404("That page of the topic does not exist.")
    return redirect(f"{topic.get_absolute_url()}?after={cursor}")


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
