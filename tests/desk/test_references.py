from http import HTTPStatus

import pytest
from django.urls import reverse

from citations.models import Citation, Reference
from tests import factories

pytestmark = pytest.mark.django_db


def test_reference_create_normalizes_doi_and_pmid(author_client, author):
    response = author_client.post(
        reverse("desk:reference_create"),
        {
            "kind": "narrative_review",
            "authors": "Layzer, RB",
            "title": "The origin of muscle fasciculations and cramps",
            "journal": "Muscle & Nerve",
            "year": 1994,
            "doi": "https://doi.org/10.1002/MUS.880171102",
            "pmid": "PMID: 7935546",
        },
    )

    reference = Reference.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert reference.doi == "10.1002/mus.880171102"
    assert reference.pmid == "7935546"
    assert reference.authors == [{"family": "Layzer", "given": "RB"}]
    assert reference.created_by == author


def test_reference_create_bad_doi_is_form_error(author_client):
    response = author_client.post(
        reverse("desk:reference_create"),
        {
            "kind": "other",
            "title": "Something",
            "doi": "not a doi",
        },
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors["doi"]
    assert not Reference.objects.exists()


def test_reference_duplicate_doi_links_to_existing(author_client):
    existing = factories.ReferenceFactory(doi="10.1136/bjsm.2008.050401")

    response = author_client.post(
        reverse("desk:reference_create"),
        {
            "kind": "other",
            "title": "A differently typed title",
            "doi": "doi:10.1136/BJSM.2008.050401",
        },
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Reference.objects.count() == 1
    link = reverse("desk:reference_edit", args=[existing.pk])
    assert f'href="{link}"' in response.text
    assert response.context["duplicates"] == [existing]


def test_reference_edit_duplicate_pmid_links_to_existing(author_client):
    existing = factories.ReferenceFactory(pmid="17277604")
    other = factories.ReferenceFactory()

    response = author_client.post(
        reverse("desk:reference_edit", args=[other.pk]),
        {
            "kind": other.kind,
            "title": other.title,
            "authors": "Smith, J",
            "doi": other.doi,
            "pmid": "17277604",
            "version": other.version,
        },
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["duplicates"] == [existing]
    other.refresh_from_db()
    assert other.pmid == ""


def test_reference_list_search_by_doi(author_client):
    factories.ReferenceFactory(title="Quinine trial", doi="10.1000/quinine")
    factories.ReferenceFactory(title="Stretching trial")

    response = author_client.get(reverse("desk:references"), {"q": "10.1000/QUININE"})

    assert "Quinine trial" in response.text
    assert "Stretching trial" not in response.text


def test_reference_delete_refused_when_cited(author_client, draft):
    reference = Citation.objects.filter(statement__section__article=draft).first().reference

    response = author_client.post(reverse("desk:reference_delete", args=[reference.pk]))

    assert response.status_code == HTTPStatus.CONFLICT
    assert Reference.objects.filter(pk=reference.pk).exists()
    assert draft.title in response.text


def test_reference_delete_uncited(author_client):
    reference = factories.ReferenceFactory()

    response = author_client.post(reverse("desk:reference_delete", args=[reference.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert not Reference.objects.filter(pk=reference.pk).exists()


def test_reference_retract_refused_for_author(author_client, draft):
    reference = Citation.objects.filter(statement__section__article=draft).first().reference
    response = author_client.post(
        reverse("desk:reference_retract", args=[reference.pk]),
        {"reason": "Fabricated data.", "notice": "10.1000/retract"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Reference.objects.get(pk=reference.pk).retracted is False
    page = author_client.get(reverse("desk:reference_edit", args=[reference.pk]))
    assert "Mark retracted" not in page.content.decode()


def test_reference_retract_by_editor_lists_citing_drafts(client, editor, draft):
    reference = Citation.objects.filter(statement__section__article=draft).first().reference
    client.force_login(editor)
    response = client.post(
        reverse("desk:reference_retract", args=[reference.pk]),
        {"reason": "Fabricated data.", "notice": "10.1000/Retract"},
        follow=True,
    )
    reference.refresh_from_db()
    assert reference.retracted
    assert reference.retraction_note == "Fabricated data."
    assert reference.retraction_notice == "10.1000/retract"
    assert f"cannot be submitted until the citation is replaced: “{draft.title}”" in (
        response.content.decode()
    )


def test_reference_retract_needs_reason_and_notice(client, editor, draft):
    reference = Citation.objects.filter(statement__section__article=draft).first().reference
    client.force_login(editor)
    response = client.post(
        reverse("desk:reference_retract", args=[reference.pk]),
        {"reason": "", "notice": ""},
        follow=True,
    )
    assert "This field is required." in response.content.decode()
    assert Reference.objects.get(pk=reference.pk).retracted is False


def test_reference_create_same_title_and_year_links_to_existing(author_client):
    existing = factories.ReferenceFactory(title="Muscle cramps", year=2005, doi="")

    response = author_client.post(
        reverse("desk:reference_create"),
        {
            "kind": "narrative_review",
            "title": "Muscle Cramps.",
            "year": 2005,
        },
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["duplicates"] == [existing]
    assert Reference.objects.count() == 1
