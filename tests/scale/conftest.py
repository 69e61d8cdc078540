"""A catalogue that grows: synthetic articles in bulk, plus a few made through the workflow."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.synthetic import synthetic_articles_create
from tests import factories


class Catalogue:
    """Grow the catalogue to a size; count the queries a page costs with a cold cache."""

    def __init__(self, author):
        self.author = author
        self.size = 0

    def grow_to(self, size: int) -> None:
        synthetic_articles_create(count=size - self.size, author=self.author, topic_count=1)
        self.size = size


def queries_for(client, url: str, status: int = 200) -> tuple[int, bytes]:
    """The number of SQL queries of one GET with a cold cache, and the body (of that status)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(captured.captured_queries), response.content


@pytest.fixture
def catalogue(audiences):
    """The demo's references and section kinds, one published and one pending article."""
    factories.default_section_kinds()
    references = factories.ReferenceFactory.create_batch(4, title="Cramp trial")
    board = [factories.BoardMemberFactory(), factories.BoardMemberFactory()]
    factories.article_publish(
        factories.article_with_evidence(references=references, slug="real-approved"),
        reviewers=board,
    )
    factories.article_submit_for_readers(
        factories.article_with_evidence(references=references, slug="real-pending")
    )
    return Catalogue(factories.AuthorFactory())
