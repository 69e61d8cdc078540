"""Idempotency-Key: a retried POST creates nothing twice."""

from http import HTTPStatus

from api.models import IdempotentRequest
from articles.models import Article
from citations.models import Reference
from tests import factories
from tests.api.conftest import draft_payload, problem

KEY = {"Idempotency-Key": "push-2026-11-25-0001"}


def test_retry_with_the_same_key_replays_and_creates_nothing(writer):
    first = writer.post("/api/v1/drafts", draft_payload(), headers=KEY)
    again = writer.post("/api/v1/drafts", draft_payload(), headers=KEY)

    assert first.status_code == again.status_code == HTTPStatus.CREATED
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Article.objects.count() == 1
    assert Reference.objects.count() == 2


def test_same_key_with_another_body_is_422(writer):
    writer.post("/api/v1/drafts", draft_payload(), headers=KEY)

    response = writer.post("/api/v1/drafts", draft_payload(question="Other?"), headers=KEY)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert problem(response)["type"].endswith("idempotency-key-reused")
    assert Article.objects.count() == 1


def test_keys_belong_to_their_user(writer, make_client):
    other = make_client(factories.AuthorFactory())
    writer.post("/api/v1/drafts", draft_payload(), headers=KEY)

    assert other.post("/api/v1/drafts", draft_payload(), headers=KEY).status_code == 201
    assert Article.objects.count() == 2


def test_without_a_key_each_post_creates(writer):
    writer.post("/api/v1/drafts", draft_payload())
    writer.post("/api/v1/drafts", draft_payload())
    assert Article.objects.count() == 2
    assert IdempotentRequest.objects.count() == 0


def test_a_failed_request_is_not_stored_so_a_fixed_retry_may_reuse_the_key(writer):
    bad = writer.post("/api/v1/drafts", draft_payload(topic="missing"), headers=KEY)
    assert bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert IdempotentRequest.objects.count() == 0


def test_submit_retry_is_replayed_not_refused(writer):
    article_id = writer.post("/api/v1/drafts", draft_payload()).json()["id"]
    url = f"/api/v1/drafts/{article_id}/submit"

    first = writer.post(url, headers=KEY)
    again = writer.post(url, headers=KEY)

    assert first.status_code == again.status_code == HTTPStatus.OK
    assert again.json() == first.json()
    assert Article.objects.get(pk=article_id).revisions.count() == 1


def test_expired_key_runs_again(writer, settings):
    settings.VETTED_API_IDEMPOTENCY_HOURS = 0
    writer.post("/api/v1/drafts", draft_payload(), headers=KEY)
    writer.post("/api/v1/drafts", draft_payload(), headers=KEY)
    assert Article.objects.count() == 2
