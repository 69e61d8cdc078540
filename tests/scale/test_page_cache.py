"""The article page from the whole-response cache: no SQL, no template, right headers, no token.

Invalidation through the workflow is in test_page_cache_invalidation.py.
"""

import re
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import page_cache
from articles.audiences import AUDIENCE_COOKIE
from articles.models import FollowUpQuestion
from tests import factories

QUESTION = "Does stretching before a run prevent cramps at night?"


@pytest.fixture
def published(audiences, board_member):
    article = factories.article_with_evidence(slug="cached-page", title="Why do calves cramp?")
    statement = article.sections.first().statements.first()
    factories.StatementVariantFactory(
        statement=statement, audience=audiences["professional"], text="Clinician wording."
    )
    return factories.article_publish(article, reviewers=[board_member])


def _get(client, url, **extra):
    """(response, queries, templates drawn)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured.captured_queries), [t.name for t in response.templates]


def test_second_anonymous_read_costs_no_sql_and_no_template(client, published):
    url = published.get_absolute_url()
    first, first_queries, first_templates = _get(client, url)
    again, queries, templates = _get(client, url)
    assert first_queries > 0 and "articles/article_detail.html" in first_templates
    assert (queries, templates) == (0, [])
    assert again.status_code == HTTPStatus.OK
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_audience_cookie_is_served_from_the_cache_in_its_own_wording(client, published):
    url = published.get_absolute_url()
    default_page = client.get(url)
    client.cookies[AUDIENCE_COOKIE] = "professional"
    first, _, _ = _get(client, url)
    again, queries, templates = _get(client, url)
    assert (queries, templates) == (0, [])
    assert "Clinician wording." in again.content.decode()
    assert "Clinician wording." not in default_page.content.decode()
    assert again["ETag"] != default_page["ETag"]
    # The cookie chose the wording: only this reader's browser may keep it, never a CDN.
    assert again["Cache-Control"].startswith("private")
    # An unknown cookie value reads the default wording, from the same stored page.
    client.cookies[AUDIENCE_COOKIE] = "martian<script>"
    odd, queries, _ = _get(client, url)
    assert queries == 0
    assert odd.content == default_page.content


def test_headers_suit_shared_caches_without_splitting_on_cookies(client, published):
    url = published.get_absolute_url()
    for response in (client.get(url), client.get(url)):  # drawn, then stored
        control = response["Cache-Control"]
        assert control.startswith("public")
        assert "s-maxage=" in control and "stale-while-revalidate=" in control
        assert "max-age=0" in control  # browsers revalidate: a 304 is cheap
        assert "cookie" not in response.get("Vary", "").lower()
        assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
        assert response["Last-Modified"].endswith("GMT")
        assert not response.cookies
    query = client.get(url + "?audience=student")
    assert query["Cache-Control"].startswith("public")
    assert "cookie" not in query.get("Vary", "").lower()


@pytest.mark.parametrize("warm", [True, False])
def test_if_none_match_answers_304(client, published, warm):
    url = published.get_absolute_url()
    etag = client.get(url)["ETag"]
    if not warm:
        # The stored page is gone (evicted) but nothing changed: the tokens still match.
        cache.delete(page_cache._pointer_key(published.slug))
    response, queries, templates = _get(client, url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == HTTPStatus.NOT_MODIFIED
    assert response["ETag"] == etag
    assert templates == []
    assert queries == (0 if warm else 1)
    other, _, _ = _get(client, url, HTTP_IF_NONE_MATCH='"someone-else"')
    assert other.status_code == HTTPStatus.OK


def test_shared_page_holds_no_csrf_token_and_sets_no_cookie(client, published):
    url = published.get_absolute_url()
    for response in (client.get(url), client.get(url)):
        html = response.content.decode()
        # The follow-up form's empty field; the audience chooser is a GET form with none.
        assert html.count('name="csrfmiddlewaretoken" value=""') == 1
        assert not re.search(r'name="csrfmiddlewaretoken" value="[^"]', html)
        assert "csrftoken" not in response.cookies
        assert 'src="/static/js/forms.js"' in html
        assert "data-token-form" in html
        # Without scripts, a link to the form drawn for the reader.
        assert f'href="/articles/{published.slug}/ask/#follow-up"' in html


def test_post_without_a_token_is_still_refused(published):
    client = Client(enforce_csrf_checks=True)
    url = published.get_absolute_url()
    client.get(url)
    response = client.post(f"{url}follow-up/", {"question": QUESTION})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Your form was not sent" in response.content.decode()
    # The empty field from the shared page is no token either.
    response = client.post(f"{url}follow-up/", {"question": QUESTION, "csrfmiddlewaretoken": ""})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert FollowUpQuestion.objects.count() == 0


def test_token_endpoint_lets_the_shared_form_post(published):
    client = Client(enforce_csrf_checks=True)
    url = published.get_absolute_url()
    client.get(url)
    answer = client.get("/forms/token/")
    assert answer["Cache-Control"] == "private, no-store"
    token = answer.json()["token"]
    response = client.post(f"{url}follow-up/", {"question": QUESTION, "csrfmiddlewaretoken": token})
    assert response.status_code == HTTPStatus.FOUND
    assert FollowUpQuestion.objects.count() == 1
    # The thank-you message shows: the messages cookie skips the shared page.
    thanks, _, templates = _get(client, url)
    assert "your question has reached our editors" in thanks.content.decode()
    assert thanks["Cache-Control"] == "private, no-cache"
    assert templates


def test_form_page_without_scripts_carries_a_token_and_is_never_stored(published):
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/articles/{published.slug}/ask/")
    assert (
        page["Cache-Control"].startswith("private, no-store") or "no-store" in page["Cache-Control"]
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token
    response = client.post(
        f"/articles/{published.slug}/follow-up/",
        {"question": QUESTION, "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == HTTPStatus.FOUND


def test_signed_in_people_never_get_the_shared_page(client, published, editor):
    url = published.get_absolute_url()
    client.get(url)
    client.force_login(editor)
    response, queries, templates = _get(client, url)
    assert queries > 0 and templates
    assert response["Cache-Control"] == "private, no-cache"
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', response.content.decode())


def test_each_host_has_its_own_copy(client, published, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    url = published.get_absolute_url()
    first = client.get(url, HTTP_HOST="a.example").content.decode()
    second = client.get(url, HTTP_HOST="b.example").content.decode()
    assert "http://a.example/articles/" in first
    assert "http://b.example/articles/" in second


def test_deploy_version_is_part_of_the_key(client, published, settings):
    url = published.get_absolute_url()
    client.get(url)
    settings.VETTED_DEPLOY_VERSION = "release-2"
    page_cache.deploy_version.cache_clear()
    try:
        _, queries, templates = _get(client, url)
    finally:
        page_cache.deploy_version.cache_clear()
    assert queries > 0 and templates


@pytest.mark.parametrize("references", [3, 30])
def test_cold_cache_query_count_is_flat(client, audiences, board_member, references):
    article = factories.article_publish(
        factories.article_with_evidence(
            sections=3,
            statements=10,
            slug=f"flat-{references}",
            references=factories.ReferenceFactory.create_batch(references),
        ),
        reviewers=[board_member],
    )
    cache.clear()
    _, cold, _ = _get(client, article.get_absolute_url())
    # Another audience's first read: the page misses, the data around it is kept.
    _, miss, _ = _get(client, article.get_absolute_url() + "?audience=student")
    # After a change that is not a new approval: the article and its retractions again.
    page_cache.article_changed(article.slug)
    _, changed, _ = _get(client, article.get_absolute_url())
    assert (cold, miss, changed) == (7, 2, 2)
