"""Provenance: the board sees and filters it; readers are told while a machine draft waits."""

from http import HTTPStatus

import pytest

from articles.models import Article
from tests import factories
from tests.api.conftest import draft_payload

NOTE = "drafted by machine"


@pytest.fixture
def machine_article(writer):
    body = writer.post("/api/v1/drafts", draft_payload()).json()
    assert writer.post(f"/api/v1/drafts/{body['id']}/submit").status_code == 200
    return Article.objects.get(pk=body["id"])


def test_a_person_written_api_draft_says_so(writer):
    body = writer.post("/api/v1/drafts", draft_payload(provenance={"kind": "person"})).json()
    assert body["provenance"] == {"kind": "person", "pipeline": "", "model": ""}


def test_board_queue_shows_and_filters_provenance(client, machine_article, board_member, setup):
    person = factories.article_with_evidence(
        authors=[factories.AuthorFactory()], title="Written by hand?", topic=setup["topic"]
    )
    factories.article_submit_for_readers(person)
    client.force_login(board_member.user)

    page = client.get("/admin/articles/article/").content.decode()
    assert "Machine-drafted" in page and "Written by a person" in page
    assert "provenance__exact=machine" in page

    filtered = client.get("/admin/articles/article/", {"provenance__exact": "machine"})
    assert machine_article.title in filtered.content.decode()
    assert "Written by hand?" not in filtered.content.decode()


def test_review_page_shows_pipeline_and_model(client, machine_article, board_member):
    client.force_login(board_member.user)
    page = client.get(f"/admin/articles/article/{machine_article.pk}/change/").content.decode()
    assert "Machine-drafted" in page and "answer-drafter" in page and "med-llm-2" in page


def test_public_page_of_a_pending_machine_draft_says_so(client, machine_article):
    response = client.get(machine_article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "pending human review" in page and NOTE in page


def test_no_machine_note_once_approved_or_for_a_person(
    client, machine_article, board_member, setup
):
    factories.start_review_on_latest(article=machine_article, user=board_member.user)
    factories.record_on_latest(article=machine_article, user=board_member.user, decision="approve")
    assert NOTE not in client.get(machine_article.get_absolute_url()).content.decode()

    person = factories.article_with_evidence(
        authors=[factories.AuthorFactory()], slug="by-hand", topic=setup["topic"]
    )
    factories.article_submit_for_readers(person)
    page = client.get("/articles/by-hand/").content.decode()
    assert "pending human review" in page and NOTE not in page


def test_editorial_policy_explains_machine_drafted_review(client, db):
    page = client.get("/editorial-policy/").content.decode()
    assert "machine-drafted" in page and "same review" in page
