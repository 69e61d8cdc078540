"""Public lists have a fixed size: more articles mean more pages, never longer pages."""

import re

import pytest

from articles import feeds, search, views
from articles.sitemaps import ArticleSitemap
from demo.synthetic import TOPICS
from tests.scale.conftest import queries_for

TOPIC = f"/topics/{TOPICS[0][1]}/"


@pytest.fixture
def grown(catalogue, monkeypatch):
    monkeypatch.setattr(views, "TOPIC_PAGE_SIZE", 4)
    monkeypatch.setattr(search, "RESULT_LIMIT", 4)
    monkeypatch.setattr(feeds, "FEED_SIZE", 5)
    monkeypatch.setattr(ArticleSitemap, "limit", 4)
    catalogue.grow_to(30)
    return catalogue


def _items(body: bytes) -> int:
    return body.count(b'class="article-list-item"')


def test_topic_pages_hold_a_fixed_number_of_articles(client, grown):
    _, first = queries_for(client, TOPIC)
    _, last = queries_for(client, f"{TOPIC}?page=8")
    assert _items(first) == 4
    assert _items(last) == 30 - 7 * 4
    assert b"Page 8 of 8" in last


def test_home_lists_are_sliced(client, grown):
    grown.grow_to(60)
    _, body = queries_for(client, "/")
    assert _items(body) <= 20 + 10


def test_search_pages_link_to_the_next_and_previous(client, grown):
    _, body = queries_for(client, "/search/?q=synthetic+OR+cramps+OR+question&page=2")
    html = body.decode()
    assert html.count('<li class="search-result') == 4
    assert 'rel="prev"' in html
    assert 'rel="next"' in html
    assert "page=3" in html


def test_feed_has_a_fixed_number_of_entries(client, grown):
    _, body = queries_for(client, "/feeds/latest/")
    assert body.count(b"<entry>") == 5


def test_sitemap_is_an_index_of_paged_sections(client, grown):
    _, index = queries_for(client, "/sitemap.xml")
    assert b"<sitemapindex" in index
    article_pages = re.findall(rb"sitemap-articles\.xml(?:\?p=(\d+))?<", index)
    # 31 approved articles, 4 to a page: 8 pages, the first without ?p=.
    assert len(article_pages) == 8
    assert b"<lastmod>" in index
    _, section = queries_for(client, "/sitemap-articles.xml?p=2")
    assert section.count(b"<url>") == 4
    _, topics = queries_for(client, "/sitemap-topics.xml")
    assert b"/topics/muscle-cramps/" in topics


def test_sitemap_section_lists_approved_articles_only(client, grown):
    _, body = queries_for(client, "/sitemap-articles.xml")
    assert b"/real-approved/" in body or b"synthetic-" in body
    pages = [queries_for(client, f"/sitemap-articles.xml?p={p}")[1] for p in range(1, 9)]
    everything = b"".join(pages)
    assert b"/real-approved/" in everything
    assert b"/real-pending/" not in everything
