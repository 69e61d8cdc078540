"""The desk's import pages: upload and preview, confirm, then the import's own page."""

import io
import time
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citations.jobs import ImportJob
from citations.models import Reference
from desk.views import IMPORT_SESSION_KEY
from desk.views.imports import PREVIEW_RECORDS
from tests import factories
from tests.citations.import_files import synthetic_ris

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
THREE_RIS = FIXTURES / "desk" / "three-references.ris"


def upload(client, path: Path = THREE_RIS, name: str | None = None, content: bytes | None = None):
    data = content if content is not None else path.read_bytes()
    return client.post(
        reverse("desk:reference_import"), {"file": SimpleUploadedFile(name or path.name, data)}
    )


def confirm(client, capture, token: str | None = None):
    """Confirm the previewed file; the queued import runs when the request's work commits."""
    token = token or client.session[IMPORT_SESSION_KEY]["token"]
    with capture(execute=True):
        return client.post(reverse("desk:reference_import_confirm"), {"token": token})


def test_import_preview_then_confirm_queues_a_job_and_shows_its_result(
    author_client, author, django_capture_on_commit_callbacks
):
    preview = upload(author_client)

    assert preview.status_code == HTTPStatus.OK
    assert len(preview.context["preview"].new) == 3
    assert not Reference.objects.exists()

    response = confirm(author_client, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("desk:reference_import_job", args=[job.pk])
    assert IMPORT_SESSION_KEY not in author_client.session
    assert Reference.objects.count() == 3
    assert Reference.objects.filter(doi="10.1002/mus.880171102", created_by=author).exists()
    page = author_client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    assert 'class="import-created">3<' in page.text
    assert 'http-equiv="refresh"' not in page.text  # finished: no more refreshing


def test_import_job_page_refreshes_while_the_job_waits(author_client, author):
    job = ImportJob.objects.create(sha256="a" * 64, filename="refs.ris", created_by=author)

    page = author_client.get(job.get_absolute_url())

    assert page.status_code == HTTPStatus.OK
    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert "Waiting for the worker" in page.text
    assert "<script>" not in page.text  # nothing inline for the CSP to refuse


def test_import_job_page_is_for_its_author_and_editors_only(client, author, editor, board_member):
    job = ImportJob.objects.create(sha256="b" * 64, filename="refs.ris", created_by=author)
    url = job.get_absolute_url()

    client.force_login(factories.AuthorFactory())
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert job.filename not in client.get(reverse("desk:reference_import_jobs")).text
    client.force_login(board_member.user)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(editor)
    assert client.get(url).status_code == HTTPStatus.OK
    assert job.filename in client.get(reverse("desk:reference_import_jobs")).text
    client.force_login(author)
    assert client.get(url).status_code == HTTPStatus.OK
    client.logout()
    assert client.get(url).status_code == HTTPStatus.FOUND  # to the login page


def test_import_double_click_imports_once_and_shows_the_same_job(
    author_client, django_capture_on_commit_callbacks
):
    upload(author_client)
    token = author_client.session[IMPORT_SESSION_KEY]["token"]

    first = confirm(author_client, django_capture_on_commit_callbacks, token)
    second = confirm(author_client, django_capture_on_commit_callbacks, token)

    assert ImportJob.objects.count() == 1
    assert Reference.objects.count() == 3
    assert second.status_code == HTTPStatus.FOUND
    assert second["Location"] == first["Location"]


def test_import_same_file_again_later_imports_nothing_twice(
    author_client, django_capture_on_commit_callbacks
):
    upload(author_client)
    first = confirm(author_client, django_capture_on_commit_callbacks)

    again = upload(author_client)
    assert again.context["earlier_job"] == ImportJob.objects.get()
    assert "already confirmed for import" in again.text
    second = confirm(author_client, django_capture_on_commit_callbacks)

    assert second["Location"] == first["Location"]
    assert ImportJob.objects.count() == 1
    assert Reference.objects.count() == 3


def test_import_same_file_by_another_author_is_not_shown_their_job(
    client, author, django_capture_on_commit_callbacks, desk_setup
):
    client.force_login(author)
    upload(client)
    confirm(client, django_capture_on_commit_callbacks)
    client.force_login(factories.AuthorFactory())
    upload(client)

    response = confirm(client, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("desk:references")
    assert ImportJob.objects.count() == 1
    assert Reference.objects.count() == 3


def test_import_confirm_with_wrong_token_imports_nothing(author_client):
    upload(author_client)

    response = author_client.post(
        reverse("desk:reference_import_confirm"), {"token": "0" * 64}, follow=True
    )

    assert "nothing was imported" in response.text
    assert not Reference.objects.exists()
    assert not ImportJob.objects.exists()


def test_import_confirm_of_a_replaced_preview_is_refused(
    author_client, django_capture_on_commit_callbacks
):
    upload(author_client)
    stale = author_client.session[IMPORT_SESSION_KEY]["token"]
    upload(author_client, content=synthetic_ris(2, tag="other"), name="other.ris")

    response = confirm(author_client, django_capture_on_commit_callbacks, stale)

    assert response["Location"] == reverse("desk:reference_import")
    assert not ImportJob.objects.exists()
    assert not Reference.objects.exists()


def test_import_malformed_record_named_and_nothing_saved(author_client):
    response = upload(author_client, FIXTURES / "imports" / "malformed_record.ris")

    preview = response.context["preview"]
    assert preview.broken
    assert "record" in response.text.lower()
    assert "import-blocked" in response.text
    assert not Reference.objects.exists()


def test_import_confirm_of_broken_file_imports_nothing(
    author_client, django_capture_on_commit_callbacks
):
    upload(author_client, FIXTURES / "imports" / "malformed_record.ris")

    response = confirm(author_client, django_capture_on_commit_callbacks)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Nothing was imported" in response.text
    assert not Reference.objects.exists()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("name", ["empty.ris", "empty.bib", "empty.nbib"])
def test_import_empty_file_gets_clear_message(author_client, name):
    response = upload(author_client, FIXTURES / "imports" / name)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors["file"]
    assert IMPORT_SESSION_KEY not in author_client.session
    assert not Reference.objects.exists()


def test_import_oversized_file_refused(author_client):
    response = upload(author_client, content=b"TY  - JOUR\n" * 500_000)

    # Refused while the body is still being read, with the form's own message.
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "limit is 5 MB" in response.text
    assert not Reference.objects.exists()


def test_import_latin1_file_previews_with_notice(author_client):
    response = upload(author_client, FIXTURES / "imports" / "latin1.ris")

    assert response.status_code == HTTPStatus.OK
    assert "Latin-1" in response.text


def test_import_page_needs_desk_role(client, roles):
    client.force_login(factories.UserFactory())

    assert client.get(reverse("desk:reference_import")).status_code == HTTPStatus.FORBIDDEN
    assert client.get(reverse("desk:reference_import_jobs")).status_code == HTTPStatus.FORBIDDEN


def test_import_large_file_previews_a_sample_then_imports_every_record(
    author_client, django_capture_on_commit_callbacks
):
    count = PREVIEW_RECORDS * 3
    response = upload(author_client, content=synthetic_ris(count), name="big.ris")

    assert response.context["sampled"] is True
    assert response.context["total"] == count
    assert len(response.context["preview"].new) == PREVIEW_RECORDS
    assert f"s {count} records</button>" in response.text

    confirm(author_client, django_capture_on_commit_callbacks)

    assert Reference.objects.count() == count
    assert ImportJob.objects.get().created_count == count


def test_import_large_file_broken_after_the_sample_fails_naming_the_record(
    author_client, django_capture_on_commit_callbacks
):
    count = PREVIEW_RECORDS * 2
    data = synthetic_ris(count) + b"TY  - JOUR\nTI  - Cut off here\nPY  - 2001\n"
    response = upload(author_client, content=data, name="cut.ris")
    assert not response.context["preview"].broken  # the sample is whole

    redirect_to = confirm(author_client, django_capture_on_commit_callbacks)["Location"]

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert not Reference.objects.exists()
    page = author_client.get(redirect_to)
    assert f"Record {count + 1}" in page.text
    assert "does not end with an “ER  -” line" in page.text
    assert "Nothing was imported" in page.text


def test_import_failed_job_confirm_again_queues_a_new_one(
    author_client, author, django_capture_on_commit_callbacks
):
    job = ImportJob.objects.create(
        sha256="c" * 64,
        filename="refs.ris",
        data=THREE_RIS.read_bytes(),
        created_by=author,
        status=ImportJob.Status.FAILED,
        message="The import was interrupted; nothing was imported. Confirm again to retry.",
    )
    page = author_client.get(job.get_absolute_url())
    assert "Confirm again" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(reverse("desk:reference_import_retry", args=[job.pk]))

    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert again.status == ImportJob.Status.DONE
    assert Reference.objects.count() == 3


def test_import_retry_of_someone_elses_job_is_not_found(client, author, desk_setup):
    job = ImportJob.objects.create(
        sha256="d" * 64,
        filename="refs.ris",
        data=b"TY  - JOUR\nER  - \n",
        created_by=author,
        status=ImportJob.Status.FAILED,
    )
    client.force_login(factories.AuthorFactory())

    response = client.post(reverse("desk:reference_import_retry", args=[job.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert ImportJob.objects.count() == 1


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
    response = upload(author_client, name=name, content=content)

    assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
    assert not Reference.objects.exists()


@pytest.mark.parametrize("token", ["", "x" * 65, "not hex", "0" * 64])
def test_import_confirm_bad_token_never_fails(author_client, token):
    response = author_client.post(reverse("desk:reference_import_confirm"), {"token": token})

    assert response.status_code == HTTPStatus.FOUND
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("pk", [0, 999999])
def test_import_job_page_unknown_job_is_not_found(author_client, pk):
    assert author_client.get(f"/desk/references/imports/{pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_import_confirm_on_the_database_queue_answers_before_the_worker_runs(
    client, author, desk_setup, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(author)
    upload(client)

    response = client.post(
        reverse("desk:reference_import_confirm"),
        {"token": client.session[IMPORT_SESSION_KEY]["token"]},
    )

    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == ImportJob.Status.QUEUED
    assert not Reference.objects.exists()
    assert "Waiting for the worker" in client.get(job.get_absolute_url()).text

    call_command("db_worker", "--batch", "--interval", "0", stdout=io.StringIO())

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Reference.objects.count() == 3
    assert "import-result" in client.get(job.get_absolute_url()).text


@pytest.mark.parametrize(
    "tail",
    [b"\n" * 300_000, b" \t\n" * 300_000, (b"x" * 2000 + b"\n") * 2000, b"@a\n" * 300_000],
)
def test_import_upload_padding_and_garbage_answers_quickly(author_client, tail):
    # Timing figures are in benchmarks/import_sniffing.py; this guard only catches a hang
    # (the quadratic sniffer needed minutes for 200,000 blank lines).
    started = time.perf_counter()
    response = upload(author_client, content=THREE_RIS.read_bytes() + tail, name="refs")

    assert time.perf_counter() - started < 5
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
    assert not Reference.objects.exists()
