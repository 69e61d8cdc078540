"""Background imports (citations.services.import_jobs): one job per file, run all or nothing,
and a job whose worker died is not left "running" for ever."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from citations.jobs import ImportJob
from citations.models import Reference
from citations.services import (
    import_job_confirm,
    import_job_retry,
    import_job_run,
    import_jobs_fail_stale,
)
from citations.services.import_jobs import INTERRUPTED, STALE_AFTER, file_sha256
from citations.tasks import reference_import_run
from tests.citations.helpers import fixture
from tests.citations.import_files import synthetic_ris
from tests.factories import ReferenceFactory

pytestmark = pytest.mark.django_db


def queued(data: bytes, user=None, filename: str = "refs.ris") -> ImportJob:
    return ImportJob.objects.create(
        sha256=file_sha256(data), filename=filename, size=len(data), data=data, created_by=user
    )


def test_import_job_run_imports_and_reports_created_matched_skipped(author):
    ReferenceFactory(doi="10.5555/synth.1")
    data = synthetic_ris(5) + synthetic_ris(1, first=3)  # record 6 repeats record 4
    job = queued(data, author)

    result = import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert result.status == job.status == ImportJob.Status.DONE
    assert (job.created_count, job.matched_count, job.skipped_count) == (4, 1, 1)
    assert job.records_total == 6
    assert job.message == "Imported 4 new references."
    assert any("Record 6" in notice and "record 4" in notice for notice in job.notices)
    assert bytes(job.data) == b""  # the hash stays; the bytes are no longer needed
    assert job.started_at <= job.finished_at
    assert Reference.objects.filter(created_by=author).count() == 4


def test_import_job_run_twice_imports_once(author):
    job = queued(synthetic_ris(3), author)

    import_job_run(job_id=job.pk)
    again = import_job_run(job_id=job.pk)

    assert again.status == ImportJob.Status.DONE
    assert Reference.objects.count() == 3


def test_import_job_run_of_a_missing_job_does_nothing():
    assert import_job_run(job_id=424242) is None
    assert reference_import_run.call(job_id=424242) == "missing"


def test_import_job_broken_records_fail_naming_each_and_import_nothing(author):
    job = queued(fixture("malformed_record.ris"), author)

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("Nothing was imported")
    assert job.problems and all(problem.startswith("Record ") for problem in job.problems)
    assert not Reference.objects.exists()
    assert bytes(job.data)  # kept, so that "Confirm again" can retry it


def test_import_job_cut_off_medline_record_is_named_with_its_line(author):
    data = fixture("good.nbib")
    cut = data[: data.rindex(b"TI  - ") + 20]  # the last record ends mid-title
    job = queued(cut, author, "pubmed.nbib")

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert any("cut off" in problem and "line" in problem for problem in job.problems)
    assert not Reference.objects.exists()


def test_import_job_bibtex_key_clash_is_reported(author):
    clash = (
        b"@article{same,\n  title = {First paper},\n  year = {2001},\n}\n\n"
        b"@article{same,\n  title = {Another paper},\n  year = {2002},\n}\n"
    )
    job = queued(clash, author, "clash.bib")

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.problems == [
        "Record 2 (“Another paper”): Record — reuses the BibTeX key “same” of record 1 "
        "(“First paper”) (line 1) but describes another reference (line 6). Give each entry "
        "its own key, e.g. “sameb”."
    ]
    assert not Reference.objects.exists()


@pytest.mark.parametrize("data", [b"\x00\x01\x02 binary", b"just some words\n" * 10])
def test_import_job_unreadable_file_fails_with_the_reason(author, data):
    job = queued(data, author, "refs.txt")

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("Nothing was imported: ")
    assert len(job.message) > len("Nothing was imported: ")


def test_import_job_unexpected_error_fails_and_rolls_back(author, monkeypatch):
    from citations.services import imports

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports.Reference.objects, "bulk_create", explode)
    job = queued(synthetic_ris(3), author)

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "nothing was imported" in job.message
    assert "disk on fire" not in job.message
    assert not Reference.objects.exists()


def test_import_job_database_allows_one_live_job_per_file(author):
    data = synthetic_ris(2)
    first = queued(data, author)

    with pytest.raises(IntegrityError), transaction.atomic():
        queued(data, author)

    ImportJob.objects.filter(pk=first.pk).update(status=ImportJob.Status.FAILED)
    second = queued(data, author)  # a failed job leaves room for another try
    with pytest.raises(IntegrityError), transaction.atomic():
        queued(data)
    assert second.pk != first.pk


def test_import_job_confirm_same_bytes_twice_gives_the_same_job(
    author, editor, django_capture_on_commit_callbacks
):
    data = synthetic_ris(4)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job, created = import_job_confirm(data=data, filename="a.ris", user=author)
        again, created_again = import_job_confirm(data=data, filename="b.ris", user=editor)

    assert (created, created_again) == (True, False)
    assert again.pk == job.pk
    assert len(callbacks) == 1  # queued once
    assert Reference.objects.count() == 4


def test_import_job_retry_only_for_a_failed_job(author, django_capture_on_commit_callbacks):
    data = synthetic_ris(2)
    job = queued(data, author)
    assert import_job_retry(job=job, user=author) == (job, False)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED)
    job.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        again, created = import_job_retry(job=job, user=author)

    assert created and again.pk != job.pk
    again.refresh_from_db()
    assert again.status == ImportJob.Status.DONE
    assert Reference.objects.count() == 2


def _running(data: bytes, *, beat_ago: timedelta) -> ImportJob:
    job = queued(data)
    beat = timezone.now() - beat_ago
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, started_at=beat, heartbeat_at=beat
    )
    return job


def test_import_jobs_fail_stale_marks_only_jobs_without_a_recent_heartbeat():
    stale = _running(synthetic_ris(1), beat_ago=STALE_AFTER + timedelta(seconds=1))
    alive = _running(synthetic_ris(1, first=1), beat_ago=timedelta(seconds=5))
    waiting = queued(synthetic_ris(1, first=2))

    assert import_jobs_fail_stale() == 1

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {
        stale.pk: ImportJob.Status.FAILED,
        alive.pk: ImportJob.Status.RUNNING,
        waiting.pk: ImportJob.Status.QUEUED,
    }
    assert ImportJob.objects.get(pk=stale.pk).message == INTERRUPTED


def test_import_job_run_sweeps_stale_jobs_first(author):
    stale = _running(synthetic_ris(1), beat_ago=STALE_AFTER * 2)
    job = queued(synthetic_ris(2, first=5), author)

    import_job_run(job_id=job.pk)

    assert ImportJob.objects.get(pk=stale.pk).status == ImportJob.Status.FAILED


def test_import_job_run_claims_only_a_queued_job():
    job = _running(synthetic_ris(2), beat_ago=timedelta(seconds=1))

    result = import_job_run(job_id=job.pk)

    assert result.status == ImportJob.Status.RUNNING
    assert not Reference.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_import_job_confirm_concurrent_double_click_makes_one_job(roles):
    """Eight confirmations of one file at once, each on its own connection: one job."""
    data = synthetic_ris(3)
    threads = 8
    barrier = threading.Barrier(threads)

    def confirm(_):
        try:
            barrier.wait()
            with transaction.atomic():
                job, created = import_job_confirm(data=data, filename="refs.ris", user=None)
            return job.pk, created
        finally:
            close_old_connections()
            connection.close()

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(confirm, range(threads)))

    assert len({pk for pk, _created in results}) == 1
    assert sum(created for _pk, created in results) == 1
    assert ImportJob.objects.count() == 1


def test_import_job_worker_told_to_stop_mid_import_fails_at_once(author, monkeypatch):
    from citations.services import imports

    def stop(*args, **kwargs):
        raise SystemExit(1)  # what db_worker does on a second SIGTERM

    monkeypatch.setattr(imports.Reference.objects, "bulk_create", stop)
    job = queued(synthetic_ris(3), author)

    with pytest.raises(SystemExit):
        import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.message) == (ImportJob.Status.FAILED, INTERRUPTED)
    assert not Reference.objects.exists()


def test_import_job_admin_lists_jobs_read_only(client, author):
    from tests.factories import EditorFactory

    job = queued(synthetic_ris(1), author, "admin.ris")
    client.force_login(EditorFactory(is_superuser=True))

    listing = client.get("/admin/citations/importjob/")
    page = client.get(f"/admin/citations/importjob/{job.pk}/change/")

    assert listing.status_code == page.status_code == 200
    assert "admin.ris" in listing.text
    assert "TY  - JOUR" not in page.text  # the file's bytes are not shown


def _queries(function, **kwargs) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function(**kwargs)
    return len(captured.captured_queries)


def _library_matches(first: int) -> None:
    """One DOI, one PMID and one title of the records from ``first`` already in the library."""
    from citations.importers import read_reference_file

    ReferenceFactory(doi=f"10.5555/synth.{first}", pmid="")
    ReferenceFactory(doi="", pmid=str(30000000 + first + 1))
    fields = read_reference_file(synthetic_ris(1, first=first + 2), "one.ris").records[0].fields
    ReferenceFactory(doi="", pmid="", title=fields["title"].upper(), year=fields["year"])


def test_import_job_run_queries_do_not_grow_with_the_file(author):
    """4 or 40 records, each file with a DOI, a PMID and a title match: the same queries."""
    small, large = queued(synthetic_ris(4, first=0)), queued(synthetic_ris(40, first=100))
    _library_matches(0)
    _library_matches(100)

    assert _queries(import_job_run, job_id=small.pk) == _queries(import_job_run, job_id=large.pk)
    counts = ImportJob.objects.values_list("created_count", "matched_count").order_by("pk")
    assert list(counts) == [(1, 3), (37, 3)]
