"""The public reader pages: article, home, topic, board, policy, sitemap, feed, robots, errors."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import selectors
from articles.audiences import AUDIENCE_COOKIE
from articles.models import Article, Disclaimer
from articles.services import revision_create
from citations.models import Reference
from tests import factories

DEMO_URL = "/articles/foot-cramps-during-exercise/"


@pytest.fixture
def published(audiences, board_member):
    """An approved article with one professional variant and audience disclaimers."""
    reference = factories.ReferenceFactory(kind=Reference.Kind.GUIDELINE, pmid="12345678")
    article = factories.article_with_evidence(
        sections=2,
        statements=2,
        references=[reference],
        title="Is it safe to run daily?",
        slug="run-daily",
    )
    statement = article.sections.first().statements.first()
    factories.StatementVariantFactory(
        statement=statement, audience=audiences["professional"], text="Clinician wording."
    )
    Disclaimer.objects.create(audience=None, text="Default disclaimer text.")
    Disclaimer.objects.create(audience=audiences["professional"], text="Clinical disclaimer.")
    board_member.user.first_name, board_member.user.last_name = "Ada", "Okafor"
    board_member.user.save()
    board_member.credentials = "MD, FACSM"
    board_member.save()
    return factories.article_publish(article, reviewers=[board_member])


def test_article_detail_demo_shows_every_element(client, demo_site):
    response = client.get(DEMO_URL)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    for text in [
        "Medical Advisory Board",
        'href="/board/"',
        "Educational purpose only",
        "Exercise caution as content is pending human review",
        "Article Review Status",
        "Submitted",
        "Under Review",
        "Approved",
        "Last updated",
        "View editorial policy",
        "Which best describes you?",
        "From the Guidelines",
        "From the Research",
        'href="#ref-1"',
        'id="ref-1"',
        "Professional Medical Disclaimer",
        "Have a follow-up question?",
        'name="website"',
        "application/ld+json",
        'rel="canonical"',
    ]:
        assert text in html, text
    revision = Article.objects.get(slug="foot-cramps-during-exercise").revisions.first()
    assert revision.short_hash in html
    assert f"Revision {revision.number}" in html


def test_article_detail_approved_shows_reviewer_and_no_caution(client, published):
    response = client.get(published.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Educational purpose only" not in html
    assert "Ada Okafor, MD, FACSM" in html
    assert "Reviewed by" in html
    assert "Next review due" in html
    assert "Overdue" not in html
    assert 'aria-current="step"' in html
    assert "https://pubmed.ncbi.nlm.nih.gov/12345678" in html or "doi.org" in html
    assert "Guideline" in html


def test_article_detail_overdue_review_is_marked(client, published):
    Article.objects.filter(pk=published.pk).update(
        next_review_due=timezone.now() - timedelta(days=1)
    )
    html = client.get(published.get_absolute_url()).content.decode()
    assert "Overdue" in html


def test_article_detail_query_audience_overrides_cookie(client, published):
    client.cookies[AUDIENCE_COOKIE] = "patient"
    html = client.get(published.get_absolute_url() + "?audience=professional").content.decode()
    assert "Clinician wording." in html
    assert "Clinical disclaimer." in html
    assert "Default disclaimer text." not in html


@pytest.mark.parametrize("where", ["query", "cookie"])
def test_article_detail_unknown_audience_falls_back_to_default(client, published, where):
    url = published.get_absolute_url()
    if where == "cookie":
        client.cookies[AUDIENCE_COOKIE] = "<script>alert(1)</script>"
        response = client.get(url)
    else:
        response = client.get(url + "?audience=nobody%00%27")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Default disclaimer text." in html
    assert "Clinician wording." not in html
    assert "<script>alert(1)</script>" not in html


def test_audience_set_cookie_then_page_uses_it(client, published):
    response = client.post(
        reverse("articles:audience"),
        {"audience": "professional", "next": published.get_absolute_url()},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == published.get_absolute_url()
    assert response.cookies[AUDIENCE_COOKIE].value == "professional"
    html = client.get(published.get_absolute_url()).content.decode()
    assert "Clinician wording." in html
    assert re.search(r'value="professional"[^>]*\bchecked\b', html)
    assert not re.search(r'value="patient"[^>]*\bchecked\b', html)
    assert "Showing wording for: <strong>I&#x27;m a healthcare professional" in html


def test_audience_chooser_on_the_shared_page_is_a_get_form_that_needs_no_token(published):
    """The cached page's chooser works without scripts: GET, no CSRF field, cookie set."""
    client = Client(enforce_csrf_checks=True)
    html = client.get(published.get_absolute_url()).content.decode()
    chooser = re.search(r'<form id="audience-form"[^>]*>', html).group(0)
    assert 'method="get"' in chooser
    assert "csrfmiddlewaretoken" not in html.split('id="audience-form"')[1].split("</form>")[0]
    response = client.get(
        reverse("articles:audience"),
        {"audience": "professional", "next": published.get_absolute_url()},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.cookies[AUDIENCE_COOKIE].value == "professional"
    offsite = client.get(
        reverse("articles:audience"), {"audience": "student", "next": "https://evil.example/"}
    )
    assert offsite.url == "/"


def test_audience_set_unknown_value_sets_no_cookie(client, published):
    response = client.post(reverse("articles:audience"), {"audience": "martian", "next": "/"})
    assert response.status_code == HTTPStatus.FOUND
    assert AUDIENCE_COOKIE not in response.cookies


def test_audience_set_refuses_offsite_redirect(client, published):
    response = client.post(
        reverse("articles:audience"), {"audience": "student", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_article_detail_draft_is_404_with_helpful_page(client, audiences):
    article = factories.article_with_evidence(slug="still-a-draft")
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "We could not find that page" in response.content.decode()


def test_article_detail_archived_is_410(client, published, editor):
    from reviews.services import article_archive

    article_archive(article=published, user=editor)
    response = client.get(published.get_absolute_url())
    assert response.status_code == HTTPStatus.GONE
    assert "has been withdrawn" in response.content.decode()


def test_article_detail_shows_approved_snapshot_not_later_edits(client, published):
    factories.reopen(published)
    statement = published.sections.first().statements.last()
    statement.text = "An unreviewed edit."
    statement.save()
    html = client.get(published.get_absolute_url()).content.decode()
    assert "An unreviewed edit." not in html


def _retract_all():
    # Through save(), as every door does: a bulk update() would skip the page cache's signal.
    for reference in Reference.objects.all():
        reference.retracted = True
        reference.save()


def test_article_detail_flags_reference_retracted_after_approval(client, published):
    _retract_all()
    html = client.get(published.get_absolute_url()).content.decode()
    assert "Retracted since review" in html
    # The stored snapshot is untouched: what was approved stays what it was.
    assert published.live_revision.snapshot["references"].popitem()[1]["retracted"] is False


def test_article_detail_caches_content_per_revision_and_audience(client, published, monkeypatch):
    calls = []
    real = selectors.page_content

    def counting(snapshot, audience_slug):
        calls.append(audience_slug)
        return real(snapshot, audience_slug)

    monkeypatch.setattr(selectors, "page_content", counting)
    url = published.get_absolute_url()
    client.get(url)
    client.get(url)
    assert calls == ["patient"]
    client.get(url + "?audience=student")
    assert calls == ["patient", "student"]
    # A newer approved revision is a different key: the next request misses the cache.
    factories.article_publish(factories.reopen(published))
    client.get(url)
    assert calls == ["patient", "student", "patient"]


def test_article_page_context_preview_without_revision_renders_banner(rf, audiences):
    from django.template.loader import render_to_string

    article = factories.article_with_evidence(slug="desk-preview")
    from articles.snapshots import build_snapshot

    context = selectors.article_page_context(
        article=article,
        snapshot=build_snapshot(article),
        revision=None,
        audience=audiences["patient"],
        preview=True,
    )
    html = render_to_string("articles/article_detail.html", context, request=rf.get("/desk/"))
    assert "Preview" in html
    assert "Working copy" in html
    assert "application/ld+json" not in html
    assert cache.get(selectors.page_cache_key(revision_create(article=article), "patient")) is None


def test_home_lists_approved_and_pending_and_topics(client, published):
    pending = factories.article_submit_for_readers(
        factories.article_with_evidence(title="Pending question?", slug="pending-q")
    )
    draft = factories.article_with_evidence(title="Secret draft?", slug="secret-draft")
    html = client.get("/").content.decode()
    assert published.title in html
    assert pending.title in html
    assert draft.title not in html
    assert published.topic.name in html
    assert 'action="/search/"' in html


def test_topic_detail_lists_public_articles(client, published):
    factories.article_with_evidence(title="Hidden draft?", slug="hidden", topic=published.topic)
    response = client.get(f"/topics/{published.topic.slug}/")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert published.title in html
    assert "Hidden draft?" not in html


def test_topic_detail_unknown_is_404(client, db):
    assert client.get("/topics/nope/").status_code == HTTPStatus.NOT_FOUND


def test_board_lists_members_with_credentials_and_review_counts(client, published, board_member):
    # The published fixture's approval is this member's one review.
    html = client.get("/board/").content.decode()
    assert "Ada Okafor" in html
    assert "MD, FACSM" in html
    assert board_member.specialty in html
    assert "<strong>1</strong> review done" in html


def test_editorial_policy_uses_real_settings(client, settings, db):
    settings.VETTED_APPROVALS_REQUIRED = 2
    settings.VETTED_REVIEW_INTERVAL_DAYS = 180
    html = client.get("/editorial-policy/").content.decode()
    assert "2 board members approve that same revision" in html
    assert "180 days" in html


def test_sitemap_lists_only_approved_articles(client, published):
    pending = factories.article_submit_for_readers(
        factories.article_with_evidence(slug="pending-in-sitemap")
    )
    body = client.get("/sitemap-articles.xml").content.decode()
    assert published.get_absolute_url() in body
    assert pending.get_absolute_url() not in body


def test_feed_is_atom_with_approved_articles(client, published):
    response = client.get("/feeds/latest/")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/atom+xml")
    assert published.title in response.content.decode()


def test_robots_txt_points_to_sitemap(client, db):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_article_detail_retraction_shows_even_with_warm_cache(client, published):
    url = published.get_absolute_url()
    assert "Retracted since review" not in client.get(url).content.decode()
    _retract_all()
    assert "Retracted since review" in client.get(url).content.decode()


def test_article_detail_pending_shows_caution_and_current_step(client, audiences):
    article = factories.article_submit_for_readers(factories.article_with_evidence(slug="pend"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Educational purpose only" in html
    assert 'data-step="submitted"' in html
    factories.start_review_on_latest(article=article, user=factories.BoardMemberFactory().user)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'data-step="under_review"' in html
    assert "Reviewed by" not in html
