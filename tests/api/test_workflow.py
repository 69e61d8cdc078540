"""Submit and withdraw through the workflow services; the submit guard as problem+json."""

from http import HTTPStatus

from articles.models import Article, Statement
from citations.models import Citation
from tests import factories
from tests.api.conftest import draft_payload, problem


def _create(writer, payload=None) -> int:
    response = writer.post("/api/v1/drafts", payload or draft_payload())
    assert response.status_code == HTTPStatus.CREATED, response.content
    return response.json()["id"]


def test_submit_freezes_a_revision(writer):
    article_id = _create(writer)

    response = writer.post(f"/api/v1/drafts/{article_id}/submit")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    article = Article.objects.get(pk=article_id)
    assert body["status"] == article.status == Article.Status.SUBMITTED
    revision = article.revision_under_review()
    assert (body["revision"], body["content_hash"]) == (1, revision.content_hash)


def test_submit_guard_problems_carry_their_paths(writer):
    payload = draft_payload()
    payload["sections"][1]["statements"].append({"style": "bullet", "text": "Uncited claim."})
    article_id = _create(writer, payload)
    cited = Citation.objects.filter(statement__section__article_id=article_id).order_by("pk")
    retracted = cited.first().reference
    retracted.retracted = True
    retracted.save()

    response = writer.post(f"/api/v1/drafts/{article_id}/submit")

    assert response.status_code == HTTPStatus.CONFLICT
    body = problem(response)
    assert body["type"].endswith("submission-incomplete")
    found = {(e["code"], e["path"]) for e in body["errors"]}
    assert found == {
        ("retracted", "/sections/0/statements/0/citations/0"),
        ("uncited", "/sections/1/statements/1"),
    }
    assert Article.objects.get(pk=article_id).status == Article.Status.DRAFT


def test_submit_of_an_empty_draft_points_at_sections(writer):
    article_id = _create(writer, draft_payload(sections=[]))

    body = problem(writer.post(f"/api/v1/drafts/{article_id}/submit"))

    assert [(e["code"], e["path"]) for e in body["errors"]] == [("no_sections", "/sections")]


def test_submit_refused_for_an_editor_who_is_not_an_author(writer, make_client, editor):
    article_id = _create(writer)

    response = make_client(editor).post(f"/api/v1/drafts/{article_id}/submit")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Article.objects.get(pk=article_id).status == Article.Status.DRAFT


def test_withdraw_takes_a_submission_back(writer):
    article_id = _create(writer)
    writer.post(f"/api/v1/drafts/{article_id}/submit")

    response = writer.post(f"/api/v1/drafts/{article_id}/withdraw")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == Article.Status.DRAFT
    assert Article.objects.get(pk=article_id).status == Article.Status.DRAFT


def test_withdraw_refused_once_review_started(writer, board_member):
    article_id = _create(writer)
    writer.post(f"/api/v1/drafts/{article_id}/submit")
    factories.start_review_on_latest(
        article=Article.objects.get(pk=article_id), user=board_member.user
    )

    response = writer.post(f"/api/v1/drafts/{article_id}/withdraw")

    assert response.status_code == HTTPStatus.CONFLICT
    assert problem(response)["type"].endswith("transition-refused")
    assert Article.objects.get(pk=article_id).status == Article.Status.UNDER_REVIEW


def test_statement_count_unchanged_by_failed_submit(writer):
    article_id = _create(writer, draft_payload(sections=[]))
    writer.post(f"/api/v1/drafts/{article_id}/submit")
    assert Statement.objects.filter(section__article_id=article_id).count() == 0
    assert not Article.objects.get(pk=article_id).revisions.exists()
