"""Kill the worker in the middle of an import: nothing of the file is saved, and the job ends
failed with a clear message instead of "running" for ever. Then "Confirm again" imports it.

The worker is a real second process running the import task against the test database. On
PostgreSQL that is the test database itself; SQLite's test database lives in this process's
memory, so the test copies it to a file first and points the worker at the copy. The worker
writes the first batch of records, signals, and waits before the second, inside the import's
open transaction; the test SIGKILLs it there. PostgreSQL rolls back the dead connection's
transaction, SQLite rolls back the hot journal the next time the file is opened.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from citations.jobs import ImportJob
from citations.models import Reference
from citations.services.import_jobs import INTERRUPTED, file_sha256
from tests.citations.import_files import synthetic_ris

ROOT = Path(settings.BASE_DIR)
RECORDS = 120
BATCH = 40
TAG = "killtest"

WORKER = textwrap.dedent(
    """
    import pathlib, sys, time
    import django
    django.setup()
    from citations.models import Reference
    from citations.services import imports
    from citations.tasks import reference_import_run

    marker = pathlib.Path(sys.argv[1])
    imports.WRITE_BATCH = int(sys.argv[3])
    insert = Reference.objects.bulk_create
    written = []

    def insert_until_the_second_batch(objs, *args, **kwargs):
        if written:  # the first batch is written and its savepoint released
            marker.write_text(str(len(written)))
            time.sleep(120)  # inside the import's transaction: killed here
        written.extend(insert(objs, *args, **kwargs))
        return written[-len(objs):]

    Reference.objects.bulk_create = insert_until_the_second_batch
    reference_import_run.enqueue(job_id=int(sys.argv[2]))
    """
)

INSPECT = textwrap.dedent(
    """
    import json, sys
    from datetime import timedelta
    import django
    django.setup()
    from citations.jobs import ImportJob
    from citations.models import Reference
    from citations.services import import_job_retry, import_jobs_fail_stale
    from citations.services.import_jobs import import_job_run

    tag, job_id = sys.argv[1], int(sys.argv[2])
    mine = Reference.objects.filter(doi__startswith=f"10.5555/{tag}.")
    job = ImportJob.objects.get(pk=job_id)
    seen = {"references_after_kill": mine.count(), "status_after_kill": job.status}
    seen["swept_too_early"] = import_jobs_fail_stale()  # a 5-minute timeout: not yet
    seen["swept"] = import_jobs_fail_stale(older_than=timedelta(0))
    job.refresh_from_db()
    seen["status"], seen["message"] = job.status, job.message
    again, created = import_job_retry(job=job, user=None)
    import_job_run(job_id=again.pk)  # what the worker does with the new job
    again.refresh_from_db()
    seen["retry"] = [created, again.status, again.created_count, mine.count()]
    print(json.dumps(seen))
    """
)


def _database_url(tmp_path: Path) -> str:
    """A URL the worker process can open that holds this test's data."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    copy = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}"


def _run(code: str, *args: str, env: dict, wait: bool = True):
    command = [sys.executable, "-c", code, *args]
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, env=env)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_import_leaves_nothing_then_the_job_fails_and_can_retry(tmp_path):
    data = synthetic_ris(RECORDS, first=900_000, tag=TAG)
    job = ImportJob.objects.create(
        sha256=file_sha256(data), filename="kill.ris", size=len(data), data=data
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(tmp_path),
    }
    marker = tmp_path / "half-written"

    worker = _run(WORKER, str(marker), str(job.pk), str(BATCH), env=env, wait=False)
    try:
        deadline = time.monotonic() + 90
        while not marker.exists() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the worker never reached the middle of the import"
        assert int(marker.read_text()) == BATCH  # a batch is written, the rest is not
        if connection.vendor == "postgresql":
            # Mid-import, from outside: the job is running, none of its rows are visible.
            job.refresh_from_db()
            assert (job.status, job.phase) == (ImportJob.Status.RUNNING, ImportJob.Phase.WRITING)
            assert job.records_total == RECORDS
            assert not Reference.objects.filter(doi__startswith=f"10.5555/{TAG}.").exists()
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    seen = json.loads(_run(INSPECT, TAG, str(job.pk), env=env).strip().splitlines()[-1])

    assert seen["references_after_kill"] == 0
    assert seen["status_after_kill"] == ImportJob.Status.RUNNING
    assert seen["swept_too_early"] == 0
    assert seen["swept"] == 1
    assert seen["status"] == ImportJob.Status.FAILED
    assert seen["message"] == INTERRUPTED
    assert seen["retry"] == [True, ImportJob.Status.DONE, RECORDS, RECORDS]
