import pytest

from reviews.services import article_submit
from tests import factories
from tests.factories import start_review_on_latest


@pytest.fixture
def under_review(author, board_member):
    """A complete article by `author`, submitted and under review by `board_member`."""
    article = factories.article_with_evidence(authors=[author])
    article_submit(article=article, user=author)
    start_review_on_latest(article=article, user=board_member.user)
    article.refresh_from_db()
    return article


def first_statement_id(article) -> int:
    return article.revision_under_review().snapshot["sections"][0]["statements"][0]["id"]


def comment_on(article, member, *, anchor="statement", anchor_id=None, body="Too strong."):
    from reviews.services import comment_add

    revision = article.revision_under_review()
    return comment_add(
        article=article,
        user=member.user,
        anchor=anchor,
        anchor_id=anchor_id if anchor_id is not None else first_statement_id(article),
        body=body,
        revision_number=revision.number,
        content_hash=revision.content_hash,
    )
