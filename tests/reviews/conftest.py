import pytest

from reviews.services import article_start_review, article_submit
from tests import factories


@pytest.fixture
def draft(author):
    """A complete draft by `author`, ready to submit."""
    return factories.article_with_evidence(authors=[author])


@pytest.fixture
def submitted(draft, author):
    article_submit(article=draft, user=author)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def under_review(submitted, board_member):
    article_start_review(article=submitted, user=board_member.user)
    submitted.refresh_from_db()
    return submitted
