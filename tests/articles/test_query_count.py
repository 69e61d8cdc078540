"""The article page costs the same few queries whatever the article's size."""

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

# 8, plus the board's certainty grades and the review history: one query each, whatever the size.
MAX_QUERIES = 10


def _article(count: int, slug: str):
    references = factories.ReferenceFactory.create_batch(count)
    article = factories.article_with_evidence(
        sections=3,
        statements=count // 3 or 1,
        references=references,
        slug=slug,
    )
    return factories.article_publish(article, reviewers=[factories.BoardMemberFactory()])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(captured.captured_queries)


@pytest.mark.parametrize("warm", [False, True])
def test_article_page_query_count_constant_for_6_and_60_references(client, roles, audiences, warm):
    small = _article(6, "small")
    large = _article(60, "large")
    assert len(large.live_revision.snapshot["references"]) == 60
    if warm:
        client.get(small.get_absolute_url())
        client.get(large.get_absolute_url())
    else:
        cache.clear()
    small_count = _queries(client, small.get_absolute_url())
    if not warm:
        cache.clear()
    large_count = _queries(client, large.get_absolute_url())
    assert small_count == large_count
    assert small_count <= MAX_QUERIES


def test_article_page_query_count_pending_article_is_constant(client, audiences):
    small = factories.article_submit_for_readers(
        factories.article_with_evidence(sections=1, statements=2, slug="p-small")
    )
    large = factories.article_submit_for_readers(
        factories.article_with_evidence(
            sections=4,
            statements=15,
            slug="p-large",
            references=factories.ReferenceFactory.create_batch(30),
        )
    )
    # Cold each time: a page the cache already holds costs no query at all.
    cache.clear()
    small_count = _queries(client, small.get_absolute_url())
    cache.clear()
    assert small_count == _queries(client, large.get_absolute_url())
