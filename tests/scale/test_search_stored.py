"""Search reads stored documents of displayed revisions: FTS5 on SQLite, tsvector on PostgreSQL."""

from http import HTTPStatus

import pytest
from django.db import connection

from articles.search import fts5_query, search_page
from reviews.services import article_transition
from tests import factories


def _slugs(query: str, page: int = 1, per_page: int | None = None) -> list[str]:
    return [r.article.slug for r in search_page(query, page, per_page=per_page).results]


@pytest.fixture
def sodium(audiences):
    """An approved article whose rare words live only in a statement and a reference."""
    reference = factories.ReferenceFactory(
        title="Quinine for muscle cramps",
        authors=[{"family": "El-Tawil", "given": "Shaimaa"}],
    )
    article = factories.article_with_evidence(
        title="Why do my feet cramp?",
        slug="feet",
        summary="Cramps are **common** and usually harmless.",
        references=[reference],
    )
    statement = article.sections.first().statements.first()
    statement.text = "Low sodium and hyperexcitability of nerves may play a part."
    statement.save()
    return factories.article_publish(article)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("hyperexcitability", ["feet"]),
        ("sodium", ["feet"]),
        ("quinine", ["feet"]),
        ("El-Tawil", ["feet"]),
        ("Shaimaa", ["feet"]),
        ("feet cramping", ["feet"]),
        ("cramps -sodium", []),
        ('"low sodium"', ["feet"]),
        ('"sodium low"', []),
        ("zebra or sodium", ["feet"]),
    ],
)
def test_search_finds_words_from_the_whole_displayed_revision(sodium, query, found):
    assert _slugs(query) == found


def test_search_snippet_is_plain_text_never_markdown(sodium):
    result = search_page("common").results[0]
    assert "**" not in result.snippet
    assert "<mark>common</mark>" in result.snippet


def test_search_finds_new_approved_text_and_forgets_the_old(sodium):
    article = factories.reopen(sodium)
    article.title = "Why do my toes curl at night?"
    article.save()
    assert _slugs("toes") == []
    factories.article_publish(article)
    assert _slugs("toes") == ["feet"]
    assert _slugs("feet") == []


def test_search_forgets_an_archived_article(sodium):
    editor = factories.EditorFactory()
    article_transition(article=sodium, name="archive", user=editor, comment="Out of date.")
    assert _slugs("sodium") == []


def test_search_pages_do_not_overlap(audiences):
    for number in range(5):
        factories.article_publish(
            factories.article_with_evidence(
                title=f"Cramps question {number}", slug=f"cramps-{number}"
            )
        )
    pages = [search_page("cramps", page, per_page=2) for page in (1, 2, 3)]
    slugs = [r.article.slug for page in pages for r in page.results]
    assert sorted(slugs) == [f"cramps-{n}" for n in range(5)]
    assert [page.has_next for page in pages] == [True, True, False]
    assert [page.has_previous for page in pages] == [False, True, True]


@pytest.mark.parametrize(
    "query",
    [
        "'&|!():*",
        'cramps & (feet | !run):* NEAR(a b) "x" AND OR NOT',
        '"unclosed quote',
        "-",
        "--sodium",
        "\x00",
        "sod\x00ium",
        "é" * 1000,
        "cramps " * 200,
        ('"sodium cramps" -quinine OR feet:* & !x | (y) \x00 ' * 40)[:1000],
        "\x00" * 1000,
        "OR OR OR",
        "^sodium* col:feet",
    ],
)
def test_search_hostile_input_answers_200(client, sodium, query):
    response = client.get("/search/", {"q": query, "page": "2"})
    assert response.status_code == HTTPStatus.OK
    response = client.get("/search/", {"q": query})
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999999999999", "2.5", ""])
def test_search_odd_page_numbers_answer_200(client, sodium, page):
    assert client.get("/search/", {"q": "sodium", "page": page}).status_code == HTTPStatus.OK


def test_fts5_query_quotes_every_term():
    assert fts5_query('cramps "low sodium" -quinine') == (
        '(("cramps") AND ("low sodium")) NOT "quinine"'
    )
    assert fts5_query("feet or toes") == '("feet" OR "toes")'
    assert fts5_query("the and of") == ""
    assert fts5_query('NEAR(a b) col:x "') == '("near") AND ("b") AND ("col x")'


@pytest.mark.postgres
def test_search_uses_the_stored_vectors_gin_index(sodium):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT revision_id FROM articles_revision_search"
            " WHERE document @@ websearch_to_tsquery('english', 'sodium')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "articles_revision_search_document" in plan


@pytest.mark.postgres
def test_search_ranks_question_above_summary(audiences):
    factories.article_publish(
        factories.article_with_evidence(
            title="Magnesium and sleep", slug="magnesium", summary="Cramps once, in passing."
        )
    )
    factories.article_publish(
        factories.article_with_evidence(title="Night cramps", slug="night", summary="Common.")
    )
    assert _slugs("cramps")[0] == "night"


def test_search_ranks_question_above_statements(audiences):
    factories.article_publish(
        factories.article_with_evidence(title="Why do I snore?", slug="snore", summary="Often.")
    )
    factories.article_publish(
        factories.article_with_evidence(title="Sleep apnoea", slug="apnoea", summary="Snore less.")
    )
    assert _slugs("snore")[0] == "snore"


def test_search_triggers_and_list_indexes_survive_every_migration(db):
    """A migration that remakes articles_revision on SQLite must put these back (see 0010)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index')")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger UNION SELECT indexname FROM pg_indexes")
        names = {row[0] for row in cursor.fetchall()}
    trigger = (
        "articles_revision_fts_insert"
        if connection.vendor == "sqlite"
        else "articles_revision_search_insert"
    )
    expected = {
        trigger,
        "articles_revision_topic_title",
        "articles_revision_topic_id",
        "articles_article_listing",
        "articles_article_reviewed",
        "articles_article_updated",
    }
    assert expected <= names
