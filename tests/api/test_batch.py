"""POST /api/v1/drafts/batch: up to 100 drafts, each all or nothing, reported per item."""

from http import HTTPStatus

from articles.models import Article, EvidenceSection, Statement
from citations.models import Reference
from tests.api.conftest import draft_payload, problem


def test_batch_reports_each_item_and_keeps_the_good_ones(writer):
    bad = draft_payload(question="Broken?")
    bad["sections"][1]["statements"][0]["citations"] = [{"doi": "10.9999/unknown"}]
    drafts = [draft_payload(question="First?"), bad, draft_payload(question="Third?")]

    response = writer.post("/api/v1/drafts/batch", {"drafts": drafts})

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert (body["created"], body["failed"]) == (2, 1)
    assert [r["status"] for r in body["results"]] == [201, 422, 201]
    failed = body["results"][1]["problem"]
    assert failed["errors"][0]["path"] == "/drafts/1/sections/1/statements/0/citations/0/title"
    assert sorted(Article.objects.values_list("title", flat=True)) == ["First?", "Third?"]
    # The failed item left no section, statement or reference behind.
    assert EvidenceSection.objects.count() == 4
    assert Reference.objects.count() == 2


def test_batch_of_more_than_100_is_refused_whole(writer):
    response = writer.post("/api/v1/drafts/batch", {"drafts": [draft_payload()] * 101})

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert problem(response)["errors"][0]["path"] == "/drafts"
    assert Article.objects.count() == 0


def test_batch_is_idempotent(writer):
    key = {"Idempotency-Key": "batch-1"}
    drafts = {"drafts": [draft_payload(question=f"Q{i}?") for i in range(3)]}
    first = writer.post("/api/v1/drafts/batch", drafts, headers=key).json()
    again = writer.post("/api/v1/drafts/batch", drafts, headers=key).json()
    assert first == again
    assert Article.objects.count() == 3


def test_a_thousand_drafts_in_batches_of_100(writer, settings):
    settings.VETTED_API_RATE = 10_000
    for batch in range(10):
        drafts = []
        for i in range(100):
            draft = draft_payload(question=f"Question {batch}-{i}?", summary_variants={})
            draft["sections"] = draft["sections"][1:]
            drafts.append(draft)
        response = writer.post("/api/v1/drafts/batch", {"drafts": drafts})
        assert response.status_code == HTTPStatus.OK
        assert response.json()["created"] == 100

    assert Article.objects.count() == 1000
    assert Statement.objects.count() == 1000
    # The DOI was created once, then matched by every other draft.
    assert Reference.objects.count() == 1
    assert Article.objects.filter(provenance=Article.Provenance.MACHINE).count() == 1000
