import pytest

from tests import factories


@pytest.fixture
def setup(roles, audiences, section_kinds):
    """Roles, audiences and section kinds: what the pages need."""
    return {"audiences": audiences, "kinds": section_kinds}


@pytest.fixture
def co_author(roles):
    return factories.AuthorFactory()


@pytest.fixture
def approved_article(setup, author, board_member):
    article = factories.article_with_evidence(
        authors=[author],
        title="Why do feet cramp during exercise?",
        slug="feet-cramp",
        summary="Usually harmless.",
    )
    return factories.article_publish(article, reviewers=[board_member])
