import pytest

from reviews.services import article_submit
from tests import factories
from tests.factories import start_review_on_latest


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
    start_review_on_latest(article=submitted, user=board_member.user)
    submitted.refresh_from_db()
    return submitted
