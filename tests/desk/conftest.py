import pytest

from tests import factories


@pytest.fixture
def desk_setup(roles, audiences, section_kinds):
    """Roles, audiences and section kinds: what every desk page needs."""
    return {"audiences": audiences, "kinds": section_kinds}


@pytest.fixture
def author_client(client, author, desk_setup):
    client.force_login(author)
    return client


@pytest.fixture
def draft(author, desk_setup):
    """A complete draft by the author: two sections of two cited bullets each."""
    return factories.article_with_evidence(sections=2, statements=2, authors=[author])
