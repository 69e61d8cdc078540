"""Writing drafts: create, read, replace with If-Match, through the desk's services."""

import json
from http import HTTPStatus

from articles.models import Article, Statement
from citations.models import Reference
from tests import factories
from tests.api.conftest import citation, draft_payload, problem


def test_create_draft_makes_the_tree_and_reports_references(writer, author):
    existing = factories.ReferenceFactory(doi="10.1136/bjsm.2010.081117")

    response = writer.post("/api/v1/drafts", draft_payload())

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    article = Article.objects.get(pk=body["id"])
    assert article.status == Article.Status.DRAFT
    assert list(article.authors.all()) == [author]
    assert article.provenance == Article.Provenance.MACHINE
    assert (article.pipeline_name, article.pipeline_model) == ("answer-drafter", "med-llm-2")
    assert response["ETag"] == f'"{article.version}"'
    assert body["version"] == article.version
    assert [s["heading"] for s in body["sections"]] == ["From the Guidelines", "What studies show"]
    statement = body["sections"][0]["statements"][0]
    assert statement["variants"] == {"patient": "Gently stretch the muscle that cramps."}
    assert body["summary_variants"] == {
        "professional": "EAMC is common; its cause is multifactorial."
    }
    outcomes = {(r["path"], r["outcome"]) for r in body["references"]}
    assert outcomes == {
        ("/sections/0/statements/0/citations/0", "matched"),
        ("/sections/1/statements/0/citations/0", "created"),
    }
    assert body["references"][0]["reference_id"] == existing.pk
    created = Reference.objects.get(doi="10.1080/02640414.2021.1898190")
    assert created.title == "Fatigue" and created.created_by == author


def test_create_matches_a_reference_by_pmid_and_by_id(writer):
    by_pmid = factories.ReferenceFactory(pmid="21471517")
    by_id = factories.ReferenceFactory()
    payload = draft_payload()
    payload["sections"][0]["statements"][0]["citations"] = [
        {"pmid": "PMID: 21471517"},
        {"reference_id": by_id.pk},
    ]

    body = writer.post("/api/v1/drafts", payload).json()

    cited = [c["reference_id"] for c in body["sections"][0]["statements"][0]["citations"]]
    assert cited == [by_pmid.pk, by_id.pk]
    assert {r["outcome"] for r in body["references"][:2]} == {"matched"}


def test_unknown_doi_without_data_is_refused_with_its_path_and_nothing_is_saved(writer):
    payload = draft_payload()
    payload["sections"][1]["statements"][0]["citations"] = [{"doi": "10.9999/not-in-library"}]
    before = (Article.objects.count(), Reference.objects.count())

    response = writer.post("/api/v1/drafts", payload)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    body = problem(response)
    assert body["status"] == 422
    assert [e["path"] for e in body["errors"]] == ["/sections/1/statements/0/citations/0/title"]
    assert body["errors"][0]["code"] == "unknown_identifier"
    assert (Article.objects.count(), Reference.objects.count()) == before


def test_invalid_doi_unknown_slugs_and_missing_pipeline_are_reported_together(writer):
    payload = draft_payload(topic="nope", provenance={"kind": "machine"})
    payload["sections"][0]["kind"] = "opinions"
    payload["sections"][0]["statements"][0]["variants"] = {"martians": "Hi"}

    body = problem(writer.post("/api/v1/drafts", payload))

    paths = {e["path"] for e in body["errors"]}
    assert paths == {
        "/topic",
        "/sections/0/kind",
        "/sections/0/statements/0/variants/martians",
        "/provenance/pipeline",
    }
    assert Article.objects.count() == 0

    payload = draft_payload()
    payload["sections"][0]["statements"][0]["citations"] = [citation("not-a-doi", "T")]
    body = problem(writer.post("/api/v1/drafts", payload))
    assert body["errors"][0]["path"] == "/sections/0/statements/0/citations/0/doi"
    assert body["errors"][0]["code"] == "invalid_doi"
    assert Article.objects.count() == 0


def test_schema_violations_are_problems_with_paths(writer):
    payload = draft_payload(colour="red")
    payload["sections"][0]["statements"][0]["style"] = "poem"
    payload["sections"][0]["statements"][0]["text"] = "x" * 4001

    response = writer.post("/api/v1/drafts", payload)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    paths = {e["path"] for e in problem(response)["errors"]}
    assert {"/colour", "/sections/0/statements/0/style", "/sections/0/statements/0/text"} <= paths


def test_malformed_json_and_non_objects_are_clear_400s(writer):
    for body, title in [
        (b'{"topic": "x",', "not valid JSON"),
        (b"\xff\xfe", "not"),
        (b"[1, 2]", "must be a JSON object"),
    ]:
        response = writer.post("/api/v1/drafts", body)
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert title in problem(response)["title"]
    assert "line 1" in problem(writer.post("/api/v1/drafts", b'{"a": }'))["detail"]
    assert Article.objects.count() == 0


def test_oversized_body_is_refused_with_413(writer, settings):
    settings.VETTED_API_MAX_BODY_BYTES = 10_000
    payload = draft_payload(summary="x" * 20_000)

    response = writer.post("/api/v1/drafts", payload)

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert problem(response)["status"] == 413
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000
    assert writer.post("/api/v1/drafts", payload).status_code == 413
    assert Article.objects.count() == 0


def test_read_own_draft_with_the_boards_comments(writer, author, board_member):
    article_id = writer.post("/api/v1/drafts", draft_payload()).json()["id"]
    article = Article.objects.get(pk=article_id)
    factories.article_submit_for_readers(article)
    factories.start_review_on_latest(article=article, user=board_member.user)
    factories.record_on_latest(
        article=article,
        user=board_member.user,
        decision="request_changes",
        comment="Cite the 2021 consensus statement.",
    )

    response = writer.get(f"/api/v1/drafts/{article_id}")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["status"] == "changes_requested"
    [review] = body["reviews"]
    assert review["decision"] == "request_changes"
    assert review["comment"] == "Cite the 2021 consensus statement."
    assert review["revision"] == 1 and len(review["content_hash"]) == 64
    listing = writer.get("/api/v1/drafts").json()
    assert [item["id"] for item in listing["items"]] == [article_id]


def test_someone_elses_draft_is_404_but_an_editor_may_open_it(make_client, writer, editor, roles):
    article_id = writer.post("/api/v1/drafts", draft_payload()).json()["id"]
    stranger = make_client(factories.AuthorFactory(), ["drafts:write"])

    assert stranger.get(f"/api/v1/drafts/{article_id}").status_code == HTTPStatus.NOT_FOUND
    assert stranger.get("/api/v1/drafts").json()["items"] == []
    replaced = stranger.put(
        f"/api/v1/drafts/{article_id}", draft_payload(), headers={"If-Match": '"1"'}
    )
    assert replaced.status_code == HTTPStatus.NOT_FOUND
    assert make_client(editor).get(f"/api/v1/drafts/{article_id}").status_code == 200


def test_replace_with_current_version_rebuilds_the_tree(writer):
    created = writer.post("/api/v1/drafts", draft_payload()).json()
    payload = draft_payload(question="Are night cramps the same?", summary_variants={})
    payload["sections"] = payload["sections"][1:]

    response = writer.put(
        f"/api/v1/drafts/{created['id']}",
        payload,
        headers={"If-Match": f'"{created["version"]}"'},
    )

    assert response.status_code == HTTPStatus.OK, response.content
    body = response.json()
    assert body["question"] == "Are night cramps the same?"
    assert body["summary_variants"] == {}
    assert [s["heading"] for s in body["sections"]] == ["What studies show"]
    assert body["version"] > created["version"]
    assert body["references"][0]["outcome"] == "matched"
    assert Statement.objects.filter(section__article_id=created["id"]).count() == 1


def test_stale_if_match_is_412_and_changes_nothing(writer):
    created = writer.post("/api/v1/drafts", draft_payload()).json()
    url = f"/api/v1/drafts/{created['id']}"
    first = writer.put(
        url,
        draft_payload(question="First edit?"),
        headers={"If-Match": f'"{created["version"]}"'},
    )
    assert first.status_code == HTTPStatus.OK

    stale = writer.put(
        url, draft_payload(question="Second edit?"), headers={"If-Match": f'"{created["version"]}"'}
    )

    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    body = problem(stale)
    assert body["current_version"] == first.json()["version"]
    assert Article.objects.get(pk=created["id"]).title == "First edit?"


def test_replace_without_if_match_is_428_and_bad_if_match_is_400(writer):
    created = writer.post("/api/v1/drafts", draft_payload()).json()
    url = f"/api/v1/drafts/{created['id']}"

    assert writer.put(url, draft_payload()).status_code == HTTPStatus.PRECONDITION_REQUIRED
    assert writer.put(url, draft_payload(), headers={"If-Match": "abc"}).status_code == 400
    assert Article.objects.get(pk=created["id"]).version == created["version"]


def test_replace_refused_while_the_board_has_the_article(writer):
    created = writer.post("/api/v1/drafts", draft_payload()).json()
    assert writer.post(f"/api/v1/drafts/{created['id']}/submit").status_code == 200
    version = Article.objects.get(pk=created["id"]).version

    response = writer.put(
        f"/api/v1/drafts/{created['id']}",
        draft_payload(question="Sneaky edit?"),
        headers={"If-Match": f'"{version}"'},
    )

    assert response.status_code == HTTPStatus.CONFLICT
    assert problem(response)["type"].endswith("article-locked")
    assert Article.objects.get(pk=created["id"]).title == draft_payload()["question"]


def test_invalid_replace_keeps_the_previous_tree(writer):
    created = writer.post("/api/v1/drafts", draft_payload()).json()
    payload = draft_payload(question="Changed?")
    payload["sections"][1]["statements"][0]["citations"] = [{"doi": "10.9999/unknown"}]

    response = writer.put(
        f"/api/v1/drafts/{created['id']}", payload, headers={"If-Match": f'"{created["version"]}"'}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    after = writer.get(f"/api/v1/drafts/{created['id']}").json()
    assert after["question"] == created["question"]
    assert after["version"] == created["version"]
    assert json.dumps(after["sections"]) == json.dumps(created["sections"])


def test_replace_without_provenance_keeps_it_and_with_it_changes_it(writer):
    created = writer.post("/api/v1/drafts", draft_payload()).json()
    url = f"/api/v1/drafts/{created['id']}"
    payload = draft_payload()
    del payload["provenance"]

    kept = writer.put(url, payload, headers={"If-Match": f'"{created["version"]}"'}).json()
    assert kept["provenance"]["kind"] == "machine"

    payload["provenance"] = {"kind": "person", "pipeline": "ignored"}
    changed = writer.put(url, payload, headers={"If-Match": f'"{kept["version"]}"'}).json()
    assert changed["provenance"] == {"kind": "person", "pipeline": "", "model": ""}
    assert Article.objects.get(pk=created["id"]).provenance == Article.Provenance.PERSON


def test_create_without_provenance_is_written_by_a_person(writer):
    payload = draft_payload()
    del payload["provenance"]
    body = writer.post("/api/v1/drafts", payload).json()
    assert body["provenance"]["kind"] == "person"
