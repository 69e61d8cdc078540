"""Search over public articles: ranked full-text on PostgreSQL, plain match elsewhere."""

from http import HTTPStatus

import pytest

from articles.search import search_articles
from tests import factories


@pytest.fixture
def corpus(audiences):
    approved = factories.article_publish(
        factories.article_with_evidence(
            title="Why do my feet cramp when I exercise?",
            slug="feet-cramp",
            summary="Cramps during exercise are common and usually harmless.",
        )
    )
    pending = factories.article_submit_for_readers(
        factories.article_with_evidence(
            title="Does stretching prevent cramps?",
            slug="stretching",
            summary="Regular stretching may reduce night cramps.",
        )
    )
    draft = factories.article_with_evidence(
        title="Secret cramps draft?", slug="secret", summary="Cramps in a draft."
    )
    return {"approved": approved, "pending": pending, "draft": draft}


def test_search_articles_finds_public_only(corpus):
    found = {result.article.slug for result in search_articles("cramps")}
    assert found == {"feet-cramp", "stretching"}


def test_search_articles_uses_approved_text_not_later_edits(corpus):
    article = factories.reopen(corpus["approved"])
    article.title = "Completely different unreviewed title"
    article.save()
    assert [r.article.slug for r in search_articles("unreviewed")] == []
    assert "feet-cramp" in [r.article.slug for r in search_articles("feet")]


def test_search_articles_marks_pending(corpus):
    results = {r.article.slug: r for r in search_articles("cramps")}
    assert results["feet-cramp"].is_approved is True
    assert results["stretching"].is_approved is False


def test_search_articles_snippet_highlights_and_escapes(audiences):
    factories.article_publish(
        factories.article_with_evidence(
            title="Is <b>salt</b> useful for cramps?",
            slug="salt",
            summary="Salt <script>alert(1)</script> helps some cramps.",
        )
    )
    result = search_articles("salt")[0]
    assert "<mark>" in result.snippet
    assert "<script>" not in result.snippet


def test_search_view_empty_query_is_helpful(client, corpus):
    response = client.get("/search/")
    assert response.status_code == HTTPStatus.OK
    assert "Type a question or a few words" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["'&|!():*", "cramps & (feet | !run):*", "x" * 5000, "'", '"unclosed', "<script>"],
)
def test_search_view_odd_queries_answer_200(client, corpus, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert "<script>" not in response.content.decode().split("Search answers", 1)[1].split(
        "</main>"
    )[0].replace("&lt;script&gt;", "")


def test_search_view_no_match_offers_help(client, corpus):
    html = client.get("/search/", {"q": "zebra"}).content.decode()
    assert "No published answer matches" in html


def test_search_view_lists_results(client, corpus):
    html = client.get("/search/", {"q": "cramps"}).content.decode()
    assert "Why do my feet cramp when I exercise?" in html
    assert "Secret cramps draft?" not in html
    assert "Pending review" in html


@pytest.mark.postgres
def test_search_articles_ranks_title_matches_first(audiences):
    factories.article_publish(
        factories.article_with_evidence(
            title="Magnesium and sleep",
            slug="magnesium-sleep",
            summary="Nothing about the muscle problem here, except cramps once.",
        )
    )
    factories.article_publish(
        factories.article_with_evidence(
            title="Night cramps in older adults",
            slug="night-cramps",
            summary="Common.",
        )
    )
    results = search_articles("cramps")
    assert [r.article.slug for r in results][0] == "night-cramps"


@pytest.mark.postgres
def test_search_articles_websearch_syntax(audiences):
    factories.article_publish(
        factories.article_with_evidence(title="Cramps and running", slug="run", summary="Running.")
    )
    factories.article_publish(
        factories.article_with_evidence(
            title="Cramps and swimming", slug="swim", summary="Swimming."
        )
    )
    assert [r.article.slug for r in search_articles("cramps -swimming")] == ["run"]
    assert [r.article.slug for r in search_articles('"cramps and running"')] == ["run"]
