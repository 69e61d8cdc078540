from http import HTTPStatus

import pytest
from django.urls import reverse

from articles.models import Article, Revision, Statement
from citations.models import Citation
from tests import factories

pytestmark = pytest.mark.django_db


def _set_status(article, status):
    Article.objects.filter(pk=article.pk).update(status=status)
    return Article.objects.get(pk=article.pk)


def test_submit_refused_lists_linked_problems_then_accepted(author_client, draft):
    section = draft.sections.order_by("order").first()
    uncited = Statement.objects.filter(section=section).order_by("order").last()
    Citation.objects.filter(statement=uncited).delete()
    retracted = factories.ReferenceFactory(retracted=True, title="A retracted trial")
    Citation.objects.create(
        statement=Statement.objects.filter(section=section).first(), reference=retracted, order=9
    )

    refused = author_client.post(reverse("desk:article_submit", args=[draft.pk]))

    assert refused.status_code == HTTPStatus.CONFLICT
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
    assert not Revision.objects.filter(article=draft).exists()
    links = {p["code"]: p["url"] for p in refused.context["problems"]}
    assert links["uncited"].endswith(f"#statement-{uncited.pk}")
    assert links["retracted"] == reverse("desk:reference_edit", args=[retracted.pk])
    assert f"Statement 2 in “{section.heading}” has no citation." in refused.text
    assert f'href="{links["uncited"]}"' in refused.text

    Citation.objects.filter(reference=retracted).delete()
    Citation.objects.create(statement=uncited, reference=factories.ReferenceFactory(), order=0)
    accepted = author_client.post(reverse("desk:article_submit", args=[draft.pk]))

    assert accepted.status_code == HTTPStatus.FOUND
    assert Article.objects.get(pk=draft.pk).status == Article.Status.SUBMITTED
    assert Revision.objects.filter(article=draft).count() == 1


def test_submit_refused_for_empty_article_links_to_sections(author_client, author):
    article = factories.ArticleFactory(authors=[author])

    response = author_client.post(reverse("desk:article_submit", args=[article.pk]))

    assert response.status_code == HTTPStatus.CONFLICT
    assert "Add at least one evidence section." in response.text


def test_submit_get_not_allowed(author_client, draft):
    response = author_client.get(reverse("desk:article_submit", args=[draft.pk]))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_under_review_article_is_read_only(author_client, draft):
    article = _set_status(draft, Article.Status.UNDER_REVIEW)
    section = article.sections.first()
    statement = section.statements.first()
    count = Statement.objects.count()

    page = author_client.get(reverse("desk:article", args=[article.pk]))
    edit = author_client.post(
        reverse("desk:article", args=[article.pk]),
        {
            "title": "Changed under review?",
            "topic": article.topic_id,
            "version": article.version,
        },
    )
    add = author_client.post(
        reverse("desk:statement_add", args=[article.pk, section.pk]),
        {"style": "bullet", "text": "Sneaky.", "version": article.version},
    )
    delete = author_client.post(
        reverse("desk:statement_delete", args=[article.pk, statement.pk]),
        {"version": article.version},
    )

    assert page.status_code == HTTPStatus.OK
    assert "read-only" in page.text
    assert 'name="title"' not in page.text
    assert [edit.status_code, add.status_code, delete.status_code] == [HTTPStatus.CONFLICT] * 3
    assert "read-only" in add.text
    assert Article.objects.get(pk=article.pk).title == draft.title
    assert Statement.objects.count() == count


def test_withdraw_returns_submission_to_draft(author_client, draft):
    author_client.post(reverse("desk:article_submit", args=[draft.pk]))

    response = author_client.post(reverse("desk:article_withdraw", args=[draft.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_withdraw_refused_for_draft_with_conflict(author_client, draft):
    response = author_client.post(reverse("desk:article_withdraw", args=[draft.pk]))

    assert response.status_code == HTTPStatus.CONFLICT
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_revise_reopens_rejected_article(author_client, draft):
    _set_status(draft, Article.Status.REJECTED)

    response = author_client.post(reverse("desk:article_revise", args=[draft.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
