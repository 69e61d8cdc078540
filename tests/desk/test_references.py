from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citations.models import Citation, Reference
from desk.views import IMPORT_SESSION_KEY
from tests import factories

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
THREE_RIS = FIXTURES / "desk" / "three-references.ris"


def _upload(client, path: Path, name: str | None = None, content: bytes | None = None):
    data = content if content is not None else path.read_bytes()
    return client.post(
        reverse("desk:reference_import"), {"file": SimpleUploadedFile(name or path.name, data)}
    )


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


def test_import_preview_then_confirm_creates_all(author_client):
    preview = _upload(author_client, THREE_RIS)

    assert preview.status_code == HTTPStatus.OK
    assert len(preview.context["preview"].new) == 3
    assert not Reference.objects.exists()
    token = author_client.session[IMPORT_SESSION_KEY]["token"]

    confirm = author_client.post(reverse("desk:reference_import_confirm"), {"token": token})

    assert confirm.status_code == HTTPStatus.FOUND
    assert Reference.objects.count() == 3
    assert Reference.objects.filter(doi="10.1002/mus.880171102").exists()
    assert IMPORT_SESSION_KEY not in author_client.session


def test_import_preview_shows_existing(author_client):
    existing = factories.ReferenceFactory(doi="10.1002/mus.880171102")

    response = _upload(author_client, THREE_RIS)

    preview = response.context["preview"]
    assert [reference for _record, reference in preview.existing] == [existing]
    assert len(preview.new) == 2
    assert "Already present" in response.text


def test_import_confirm_with_wrong_token_imports_nothing(author_client):
    _upload(author_client, THREE_RIS)

    response = author_client.post(
        reverse("desk:reference_import_confirm"), {"token": "0" * 64}, follow=True
    )

    assert "nothing was imported" in response.text
    assert not Reference.objects.exists()


def test_import_malformed_record_named_and_nothing_saved(author_client):
    response = _upload(author_client, FIXTURES / "imports" / "malformed_record.ris")

    preview = response.context["preview"]
    assert preview.broken
    assert "Record" in response.text or "record" in response.text
    assert "import-blocked" in response.text
    assert not Reference.objects.exists()


@pytest.mark.parametrize("name", ["empty.ris", "empty.bib", "empty.nbib"])
def test_import_empty_file_gets_clear_message(author_client, name):
    response = _upload(author_client, FIXTURES / "imports" / name)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors["file"]
    assert IMPORT_SESSION_KEY not in author_client.session
    assert not Reference.objects.exists()


def test_import_oversized_file_refused(author_client):
    response = _upload(author_client, THREE_RIS, content=b"TY  - JOUR\n" * 500_000)

    # Refused while the body is still being read, with the form's own message.
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "limit is 5 MB" in response.text
    assert not Reference.objects.exists()


def test_import_latin1_file_previews_with_notice(author_client):
    response = _upload(author_client, FIXTURES / "imports" / "latin1.ris")

    assert response.status_code == HTTPStatus.OK
    assert "Latin-1" in response.text


def test_import_page_needs_desk_role(client, roles):
    client.force_login(factories.UserFactory())

    assert client.get(reverse("desk:reference_import")).status_code == HTTPStatus.FORBIDDEN


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


def test_import_confirm_of_broken_file_imports_nothing(author_client):
    _upload(author_client, FIXTURES / "imports" / "malformed_record.ris")
    token = author_client.session[IMPORT_SESSION_KEY]["token"]

    response = author_client.post(reverse("desk:reference_import_confirm"), {"token": token})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Nothing was imported" in response.text
    assert not Reference.objects.exists()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(lambda text: ("TY  - JOUR\n" + text + "\nER  - \n").encode()),
    ),
    name=st.sampled_from(["refs.ris", "refs.bib", "refs.nbib", "refs.txt"]),
)
def test_import_view_never_fails_on_arbitrary_upload(author_client, content, name):
    response = _upload(author_client, THREE_RIS, name=name, content=content)

    assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
    assert not Reference.objects.exists()
