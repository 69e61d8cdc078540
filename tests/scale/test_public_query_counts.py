"""Every public page costs a pinned number of queries, the same with 3 articles as with 30.

Each count is taken with a cold cache. The numbers are pinned, not only compared, so a new
query on any public page shows up here as a decision to make.
"""

import pytest

from articles import search, views
from articles.listings import numbered_page_cursor
from articles.models import Topic
from articles.sitemaps import ArticleSitemap
from demo.synthetic import TOPICS
from reviews.services import article_archive
from tests import factories
from tests.scale.conftest import queries_for

TOPIC = f"/topics/{TOPICS[0][1]}/"
PAGE = 2


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of two, so that 3 and 30 articles both have a first, a second and a deep page."""
    monkeypatch.setattr(views, "TOPIC_PAGE_SIZE", PAGE)
    monkeypatch.setattr(search, "RESULT_LIMIT", PAGE)
    monkeypatch.setattr(ArticleSitemap, "limit", PAGE)


def _last_topic_page(size: int) -> str:
    """The keyset address of the topic's last page, as ``?page=N`` redirects to it."""
    topic = Topic.objects.get(slug=TOPICS[0][1])
    cursor = numbered_page_cursor(topic, number=(size + PAGE - 1) // PAGE, per_page=PAGE)
    assert cursor is not None
    return f"{TOPIC}?after={cursor}"


def _counts(client, catalogue, url_for) -> list[int]:
    counts = []
    for size in (3, 30):
        catalogue.grow_to(size)
        counts.append(queries_for(client, url_for(size))[0])
    return counts


# Anonymous readers: no session, no user query. Topic pages: the topic, then one page read
# (plus the cursor's revision on a keyset page). Search: the topic list, the page of ids, the
# articles. The sitemap index: the highest id and the newest approval for the articles, the
# topics' count. A section: its id range, or the topics.
PINNED = {
    "/": 3,
    TOPIC: 2,
    "/search/?q=cramps": 3,
    "/search/?q=cramps&page=2": 3,
    "/search/?q=zzzunknown": 2,
    "/board/": 2,
    "/feeds/latest/": 1,
    "/sitemap.xml": 3,
    "/sitemap-articles.xml": 2,
    "/sitemap-articles.xml?p=2": 2,
    "/sitemap-topics.xml": 2,
    "/editorial-policy/": 1,
}


@pytest.mark.parametrize(("url", "expected"), PINNED.items())
def test_public_page_query_count_is_pinned_and_flat(client, catalogue, small_pages, url, expected):
    assert _counts(client, catalogue, lambda size: url) == [expected, expected], url


def test_topic_deep_keyset_page_query_count_is_pinned_and_flat(client, catalogue, small_pages):
    small, large = _counts(client, catalogue, _last_topic_page)
    assert small == large == PINNED[TOPIC] + 1


def test_topic_previous_page_costs_the_same_as_a_next_page(client, catalogue, small_pages):
    catalogue.grow_to(30)
    last = _last_topic_page(30)
    _, body = queries_for(client, last)
    before = body.decode().split('href="?before=')[1].split('"')[0]
    count, body = queries_for(client, f"{TOPIC}?before={before}")
    assert count == PINNED[TOPIC] + 1
    assert body.count(b'class="article-list-item"') == PAGE


def test_gone_page_query_count_is_pinned_and_flat(client, catalogue, small_pages):
    archived = factories.article_publish(
        factories.article_with_evidence(slug="real-archived"),
        reviewers=[factories.BoardMemberFactory()],
    )
    article_archive(article=archived, user=factories.EditorFactory())
    counts = []
    for size in (3, 30):
        catalogue.grow_to(size)
        counts.append(queries_for(client, "/articles/real-archived/", status=410)[0])
    assert counts == [2, 2]


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
