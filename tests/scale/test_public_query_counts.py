"""Every public list costs the same queries with 3 articles as with 30, with a cold cache."""

import pytest

from articles import search, views
from articles.sitemaps import ArticleSitemap
from demo.synthetic import TOPICS
from tests.scale.conftest import queries_for

TOPIC = f"/topics/{TOPICS[0][1]}/"


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of two, so that 3 and 30 articles both have a first, a second and a deep page."""
    monkeypatch.setattr(views, "TOPIC_PAGE_SIZE", 2)
    monkeypatch.setattr(search, "RESULT_LIMIT", 2)
    monkeypatch.setattr(ArticleSitemap, "limit", 2)


def _counts(client, catalogue, url_for) -> list[int]:
    counts = []
    for size in (3, 30):
        catalogue.grow_to(size)
        counts.append(queries_for(client, url_for(size))[0])
    return counts


@pytest.mark.parametrize(
    "url",
    [
        "/",
        TOPIC,
        f"{TOPIC}?page=2",
        "/search/?q=cramps",
        "/search/?q=cramps&page=2",
        "/search/?q=zzzunknown",
        "/board/",
        "/feeds/latest/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-articles.xml?p=2",
        "/sitemap-topics.xml",
    ],
)
def test_public_page_query_count_independent_of_catalogue_size(client, catalogue, small_pages, url):
    small, large = _counts(client, catalogue, lambda size: url)
    assert small == large, url


def test_topic_deep_page_query_count_matches_first_page(client, catalogue, small_pages):
    catalogue.grow_to(30)
    first, _ = queries_for(client, TOPIC)
    deep, body = queries_for(client, f"{TOPIC}?page=15")
    assert deep == first
    assert b"Page 15 of 15" in body


def test_topic_last_page_query_count_stays_flat(client, catalogue, small_pages):
    small, large = _counts(client, catalogue, lambda size: f"{TOPIC}?page={(size + 1) // 2}")
    assert small == large


def test_search_deep_page_query_count_matches_first_page(client, catalogue, small_pages):
    catalogue.grow_to(30)
    first, _ = queries_for(client, "/search/?q=synthetic+OR+cramps")
    deep, _ = queries_for(client, "/search/?q=synthetic+OR+cramps&page=9")
    assert deep == first


@pytest.mark.parametrize("url", ["/", TOPIC, "/sitemap-articles.xml", "/search/?q=synthetic"])
def test_full_page_query_count_independent_of_items_on_it(client, catalogue, url):
    """3 items on the page, then 30: no query per item (the default page sizes hold both)."""
    small, large = _counts(client, catalogue, lambda size: url)
    assert small == large, url
