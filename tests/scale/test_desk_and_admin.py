"""The desk dashboard and the admin changelists: paginated, constant queries at any size."""

import pytest

from desk import selectors
from reviews.admin import ArticleAdmin
from tests import factories
from tests.scale.conftest import queries_for


@pytest.fixture
def desk_author(catalogue, client, roles):
    client.force_login(catalogue.author)
    return catalogue


def test_desk_dashboard_query_count_independent_of_size(client, desk_author, monkeypatch):
    monkeypatch.setattr(selectors, "DASHBOARD_PAGE_SIZE", 2)
    counts = []
    for size in (3, 30):
        desk_author.grow_to(size)
        counts.append(queries_for(client, "/desk/")[0])
        counts.append(queries_for(client, "/desk/?page=2")[0])
    assert counts[0] == counts[2]
    assert counts[1] == counts[3]


def test_desk_dashboard_pages_hold_a_fixed_number(client, desk_author, monkeypatch):
    monkeypatch.setattr(selectors, "DASHBOARD_PAGE_SIZE", 4)
    desk_author.grow_to(30)
    _, body = queries_for(client, "/desk/?page=3")
    assert body.count(b'class="list-group-item article-row"') == 4
    assert b"Page 3<" in body
    assert b"page=4" in body


def test_desk_dashboard_puts_changes_requested_first(client, roles, board_member):
    author = factories.AuthorFactory()
    waiting = factories.article_with_evidence(title="Waiting on me?", authors=[author])
    factories.article_with_evidence(title="Quiet draft", authors=[author])
    factories.article_submit_for_readers(waiting)
    factories.start_review_on_latest(article=waiting, user=board_member.user)
    factories.record_on_latest(
        article=waiting, user=board_member.user, decision="request_changes", comment="Cite a trial."
    )
    factories.article_with_evidence(title="Newest draft", authors=[author])
    rows = selectors.dashboard_rows(author)
    assert [row.article.title for row in rows][0] == "Waiting on me?"
    assert rows[0].needs_action


def test_admin_article_changelist_never_counts_everything():
    assert ArticleAdmin.show_full_result_count is False


@pytest.mark.parametrize(
    "query", ["", "?queue=mine", "?queue=overdue", "?status__exact=approved", "?o=-3", "?q=cramps"]
)
def test_admin_article_changelist_query_count_independent_of_size(
    client, catalogue, board_member, query
):
    client.force_login(board_member.user)
    counts = []
    for size in (3, 30):
        catalogue.grow_to(size)
        counts.append(queries_for(client, f"/admin/articles/article/{query}")[0])
    assert counts[0] == counts[1]
