from http import HTTPStatus

import pytest
from django.urls import reverse

from articles.models import Article, Statement
from tests import factories

pytestmark = pytest.mark.django_db


def _article_post(article, version, **fields):
    return {
        "title": article.title,
        "topic": article.topic_id,
        "summary": article.summary,
        "version": version,
        **fields,
    }


def test_stale_article_edit_is_refused_and_loses_neither_side(client, draft, author, desk_setup):
    co_author = factories.AuthorFactory()
    draft.authors.add(co_author)
    opened_version = draft.version
    client.force_login(author)
    first = client.post(
        reverse("desk:article", args=[draft.pk]),
        _article_post(draft, opened_version, summary="Alice's summary."),
    )
    client.force_login(co_author)

    second = client.post(
        reverse("desk:article", args=[draft.pk]),
        _article_post(draft, opened_version, summary="Bob's summary."),
    )

    assert first.status_code == HTTPStatus.FOUND
    assert second.status_code == HTTPStatus.CONFLICT
    assert Article.objects.get(pk=draft.pk).summary == "Alice's summary."
    changes = second.context["conflict"]
    assert [(c.label, c.yours, c.saved) for c in changes] == [
        ("Summary", "Bob's summary.", "Alice's summary.")
    ]
    assert "Edit conflict" in second.text
    form = second.context["article_form"]
    assert form["summary"].value() == "Bob's summary."
    # The form now carries the saved version, so a deliberate re-save after merging works.
    assert int(form["version"].value()) == Article.objects.get(pk=draft.pk).version


def test_tree_edit_makes_an_open_article_form_stale(author_client, draft):
    section = draft.sections.first()
    opened_version = draft.version
    author_client.post(
        reverse("desk:statement_add", args=[draft.pk, section.pk]),
        {"style": "bullet", "text": "Added by someone.", "version": opened_version},
    )

    response = author_client.post(
        reverse("desk:article", args=[draft.pk]),
        _article_post(draft, opened_version, title="Renamed?"),
    )

    assert response.status_code == HTTPStatus.CONFLICT
    assert Article.objects.get(pk=draft.pk).title == draft.title
    assert Statement.objects.filter(text="Added by someone.").exists()


def test_stale_statement_edit_shows_both_texts(author_client, draft):
    statement = Statement.objects.filter(section__article=draft).first()
    opened_version = draft.version
    url = reverse("desk:statement", args=[draft.pk, statement.pk])
    author_client.post(url, {"style": "bullet", "text": "Their text.", "version": opened_version})

    response = author_client.post(
        url, {"style": "bullet", "text": "My text.", "version": opened_version}
    )

    assert response.status_code == HTTPStatus.CONFLICT
    statement.refresh_from_db()
    assert statement.text == "Their text."
    assert [(c.yours, c.saved) for c in response.context["conflict"]] == [
        ("My text.", "Their text.")
    ]
    assert response.context["form"]["text"].value() == "My text."


def test_stale_statement_add_keeps_input_and_saves_nothing(author_client, draft):
    section = draft.sections.first()
    count = Statement.objects.count()

    response = author_client.post(
        reverse("desk:statement_add", args=[draft.pk, section.pk]),
        {"style": "bullet", "text": "Typed while stale.", "version": draft.version - 1},
    )

    assert response.status_code == HTTPStatus.CONFLICT
    assert Statement.objects.count() == count
    assert "Typed while stale." in response.text


def test_stale_reference_edit_is_refused_with_field_diff(author_client):
    reference = factories.ReferenceFactory(title="Original title", year=2020)
    opened_version = reference.version
    url = reverse("desk:reference_edit", args=[reference.pk])
    data = {
        "kind": reference.kind,
        "authors": "Smith, J",
        "title": "Their title",
        "journal": reference.journal,
        "year": 2020,
        "doi": reference.doi,
        "version": opened_version,
    }
    assert author_client.post(url, data).status_code == HTTPStatus.FOUND

    response = author_client.post(url, {**data, "title": "My title", "year": 2021})

    assert response.status_code == HTTPStatus.CONFLICT
    reference.refresh_from_db()
    assert (reference.title, reference.year) == ("Their title", 2020)
    diff = {c.label: (c.yours, c.saved) for c in response.context["conflict"]}
    assert diff == {"Title": ("My title", "Their title"), "Year": ("2021", "2020")}
    assert response.context["form"]["title"].value() == "My title"
