"""Reading approved content: the displayed revision only, with the pages' 404 and 410 rules."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from articles.models import Article
from articles.services import content
from tests import factories
from tests.api.conftest import problem


@pytest.fixture
def reader(make_client, setup):
    return make_client(factories.UserFactory(), ["content:read"])


@pytest.fixture
def published(author, board_member, setup):
    article = factories.article_with_evidence(
        authors=[author], title="Why do my feet cramp?", slug="feet-cramp", topic=setup["topic"]
    )
    return factories.article_publish(article, reviewers=[board_member])


def test_article_is_its_approved_snapshot(reader, published, board_member):
    response = reader.get("/api/v1/articles/feet-cramp")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    revision = published.live_revision
    assert body["title"] == "Why do my feet cramp?"
    assert body["revision"]["number"] == revision.number
    assert body["revision"]["content_hash"] == revision.content_hash
    assert response["ETag"] == f'"{revision.content_hash}"'
    assert body["review"]["status"] == "approved" and body["review"]["approved"]
    assert body["review"]["reviewed_by"][0]["credentials"] == board_member.credentials
    assert body["review"]["last_reviewed_at"]
    assert body["audiences"] == ["patient", "student", "professional"]
    assert len(body["sections"]) == 2
    first = body["sections"][0]["statements"][0]
    assert first["citations"] == [1]
    assert body["references"][0]["number"] == 1
    assert body["references"][0]["formatted"]


def test_etag_answers_304(reader, published):
    etag = reader.get("/api/v1/articles/feet-cramp")["ETag"]

    response = reader.get("/api/v1/articles/feet-cramp", headers={"If-None-Match": etag})

    assert response.status_code == HTTPStatus.NOT_MODIFIED
    assert response["ETag"] == etag
    other = reader.get("/api/v1/articles/feet-cramp", headers={"If-None-Match": '"abc"'})
    assert other.status_code == HTTPStatus.OK


def test_revise_and_edit_never_reaches_the_api(reader, published, author):
    approved = reader.get("/api/v1/articles/feet-cramp").json()
    article = factories.reopen(published)
    statement = article.sections.first().statements.first()
    content.statement_update(
        user=author,
        statement_pk=statement.pk,
        article_pk=article.pk,
        version=article.version,
        style=statement.style,
        text="UNAPPROVED: drink pickle juice.",
    )
    content.article_update(
        user=author,
        article_pk=article.pk,
        version=Article.objects.get(pk=article.pk).version,
        title="UNAPPROVED title?",
        topic=article.topic,
        summary="UNAPPROVED summary",
    )

    response = reader.get("/api/v1/articles/feet-cramp")
    listing = reader.get("/api/v1/articles").json()

    assert response.json() == approved
    assert "UNAPPROVED" not in response.content.decode()
    assert listing["items"][0]["title"] == "Why do my feet cramp?"
    assert "UNAPPROVED" not in str(listing)


def test_pending_article_is_shown_as_pending(reader, author, setup):
    article = factories.article_with_evidence(
        authors=[author], slug="pending", topic=setup["topic"]
    )
    factories.article_submit_for_readers(article)

    response = reader.get("/api/v1/articles/pending")

    body = response.json()
    assert body["review"] == {
        "status": "submitted",
        "approved": False,
        "last_reviewed_at": None,
        "next_review_due": None,
        "reviewed_by": [],
        "provenance": "person",
    }
    assert response["ETag"].endswith('.pending"')


def test_drafts_are_404_and_archived_are_410(reader, published, author, editor, setup):
    factories.article_with_evidence(authors=[author], slug="a-draft", topic=setup["topic"])

    assert problem(reader.get("/api/v1/articles/a-draft"))["status"] == 404
    assert reader.get("/api/v1/articles/nothing-here").status_code == HTTPStatus.NOT_FOUND
    assert "a-draft" not in str(reader.get("/api/v1/articles").json())

    from reviews.services import article_archive

    article_archive(article=published, user=editor)
    assert problem(reader.get("/api/v1/articles/feet-cramp"))["status"] == HTTPStatus.GONE
    assert reader.get("/api/v1/articles").json()["items"] == []


def test_list_is_cursor_paginated(reader, setup, author):
    for i in range(5):
        article = factories.article_with_evidence(
            authors=[author], slug=f"a-{i}", topic=setup["topic"]
        )
        factories.article_submit_for_readers(article)

    first = reader.get("/api/v1/articles", limit=2).json()
    second = reader.get("/api/v1/articles", limit=2, cursor=first["next_cursor"]).json()
    third = reader.get("/api/v1/articles", limit=2, cursor=second["next_cursor"]).json()

    slugs = [item["slug"] for page in (first, second, third) for item in page["items"]]
    assert slugs == [f"a-{i}" for i in range(5)]
    assert third["next_cursor"] is None
    assert problem(reader.get("/api/v1/articles", cursor="!!"))["status"] == 400


def test_list_updated_since(reader, setup, author):
    old = factories.article_with_evidence(authors=[author], slug="old", topic=setup["topic"])
    factories.article_submit_for_readers(old)
    Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=10))
    new = factories.article_with_evidence(authors=[author], slug="new", topic=setup["topic"])
    factories.article_submit_for_readers(new)

    since = (timezone.now() - timedelta(days=1)).isoformat()
    body = reader.get("/api/v1/articles", updated_since=since).json()

    assert [item["slug"] for item in body["items"]] == ["new"]
    bad = reader.get("/api/v1/articles", updated_since="yesterday")
    assert bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY


def test_list_page_queries_do_not_grow_with_the_catalogue(
    reader, setup, author, django_assert_max_num_queries
):
    for i in range(30):
        article = factories.article_with_evidence(
            authors=[author], slug=f"s-{i}", topic=setup["topic"], sections=1, statements=1
        )
        factories.article_submit_for_readers(article)

    with django_assert_max_num_queries(4):
        body = reader.get("/api/v1/articles", limit=25).json()
    assert len(body["items"]) == 25


def test_anonymous_read_only_when_settings_allow(make_client, published, settings):
    anonymous = make_client()
    assert problem(anonymous.get("/api/v1/articles/feet-cramp"))["status"] == 401

    settings.VETTED_API_ANONYMOUS_READ = True

    assert anonymous.get("/api/v1/articles/feet-cramp").status_code == HTTPStatus.OK
    assert anonymous.get("/api/v1/articles").status_code == HTTPStatus.OK
    assert anonymous.post("/api/v1/drafts", {}).status_code == HTTPStatus.UNAUTHORIZED


def test_an_article_that_changes_while_paging_comes_round_again(reader, setup, author, editor):
    articles = []
    for i in range(3):
        article = factories.article_with_evidence(
            authors=[author], slug=f"c-{i}", topic=setup["topic"]
        )
        articles.append(factories.article_submit_for_readers(article))
    first = reader.get("/api/v1/articles", limit=2).json()
    assert [item["slug"] for item in first["items"]] == ["c-0", "c-1"]

    # c-0 changes (here: the board starts its review) after the client has read it.
    factories.start_review_on_latest(article=articles[0], user=factories.BoardMemberFactory().user)
    rest = reader.get("/api/v1/articles", limit=2, cursor=first["next_cursor"]).json()

    assert [item["slug"] for item in rest["items"]] == ["c-2", "c-0"]
    assert rest["items"][1]["review_status"] == "under_review"
