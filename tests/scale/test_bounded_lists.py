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


def _links(body: bytes) -> dict[str, str]:
    """The topic page's pagination links, by rel."""
    return {
        rel: href.replace("&amp;", "&")
        for href, rel in re.findall(r'href="([^"]+)" rel="(first|prev|next)"', body.decode())
    }


def _titles(body: bytes) -> list[str]:
    return re.findall(r'class="fw-semibold" href="[^"]+">([^<]+)<', body.decode())


def test_topic_pages_hold_a_fixed_number_of_articles(client, grown):
    """Next links walk every article once, in title order; Previous links walk back."""
    _, body = queries_for(client, TOPIC)
    pages = [body]
    while "next" in _links(pages[-1]):
        pages.append(queries_for(client, f"{TOPIC}{_links(pages[-1])['next']}")[1])
    assert [_items(page) for page in pages] == [4] * 7 + [2]
    seen = [title for page in pages for title in _titles(page)]
    assert len(set(seen)) == 30
    assert seen == sorted(seen)
    assert "prev" not in _links(pages[0]) and "first" not in _links(pages[0])
    back = [pages[-1]]
    while "prev" in _links(back[-1]):
        back.append(queries_for(client, f"{TOPIC}{_links(back[-1])['prev']}")[1])
    assert [_titles(page) for page in back[::-1]] == [_titles(page) for page in pages]


def test_topic_numbered_pages_redirect_to_the_same_place(client, grown):
    _, first = queries_for(client, TOPIC)
    second = client.get(f"{TOPIC}?page=2")
    assert second.status_code == 302
    assert second["Location"] == f"{TOPIC}{_links(first)['next']}"
    last = client.get(f"{TOPIC}?page=8", follow=True)
    assert _items(last.content) == 2
    assert client.get(f"{TOPIC}?page=1")["Location"] == TOPIC
    for odd in ("abc", "0", "-3", "2.5", "", "9" * 30):
        assert client.get(f"{TOPIC}?page={odd}")["Location"] == TOPIC, odd
    assert client.get(f"{TOPIC}?page=9").status_code == 404


@pytest.mark.parametrize("query", ["after=abc", "after=999999", "before=-1", "after=" + "9" * 40])
def test_topic_bad_cursor_is_not_found_not_an_error(client, grown, query):
    assert client.get(f"{TOPIC}?{query}").status_code == 404


def test_topic_cursor_survives_its_article_leaving_the_topic(client, grown):
    """A cursor names an append-only revision: archiving its article does not break the link."""
    from articles.models import Article
    from reviews.services import article_archive
    from tests import factories

    _, first = queries_for(client, TOPIC)
    after = _links(first)["next"]
    cursor_article = Article.objects.get(displayed_revision_id=int(after.split("=")[1]))
    article_archive(article=cursor_article, user=factories.EditorFactory())
    _, second = queries_for(client, f"{TOPIC}{after}")
    assert _items(second) == 4
    assert cursor_article.title not in second.decode()


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
    # 32 articles with consecutive ids, in ranges of 4: 8 pages, the first without ?p=.
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


def test_sitemap_sections_list_each_approved_article_once(client, grown):
    from articles.models import Article

    pages = [queries_for(client, f"/sitemap-articles.xml?p={p}")[1] for p in range(1, 9)]
    assert all(page.count(b"<url>") <= 4 for page in pages)
    locations = re.findall(rb"<loc>[^<]*/articles/([^/<]+)/</loc>", b"".join(pages))
    approved = set(Article.objects.approved_live().values_list("slug", flat=True))
    assert sorted(location.decode() for location in locations) == sorted(approved)


@pytest.mark.parametrize("page", ["0", "9", "abc", "-1"])
def test_sitemap_section_out_of_range_is_not_found(client, grown, page):
    assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 404
