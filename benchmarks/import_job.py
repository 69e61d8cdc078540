"""Reference imports as background work: how long each request and the worker's task take.

Run: .venv/bin/python benchmarks/import_job.py [RECORDS ...]   (default: 3000 12000)
Uses its own temporary SQLite database, or PostgreSQL with --database postgres://.../name: a
database of your own, which is migrated and then EMPTIED (flush) before the run.

For each size, a synthetic RIS file (12,000 records is about 4.9 MB, just under the 5 MB limit)
goes through the desk as a user would: the upload request (preview), the confirm request (which
only queues the job, on django-tasks-db's database queue as in production), then the worker's
task. Baseline, measured in the same run: the whole-file preview the upload request used to do
(every record parsed and matched while the user waits). The budget is 2 s for any request.
A second file repeating every record shows matching against a library that already holds them
(all "matched"); the task time per record should stay flat from 3,000 to 12,000 records.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REQUEST_BUDGET_S = 2.0
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def _run(sizes: list[int]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.urls import reverse

    from articles.roles import roles_ensure
    from citations.jobs import ImportJob
    from citations.services import import_job_run, references_import_preview
    from tests import factories
    from tests.citations.import_files import synthetic_ris

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    roles_ensure()
    client = Client()
    client.force_login(factories.AuthorFactory())
    header = (
        f"{'records':>8} {'MB':>5} {'library':>8} {'old preview s':>14} {'preview req s':>14} "
        f"{'ratio':>6} {'confirm req s':>14} {'task s':>7} {'task µs/rec':>12} {'outcome':>24}"
    )
    print(header)
    print("-" * len(header))
    worst_request = 0.0
    first = 0
    for count in sizes:
        for label, data in (
            ("new", synthetic_ris(count, first=first, tag="synth")),
            ("matched", synthetic_ris(count, first=first, tag="synth") + b"\n"),
        ):
            _preview, old = _timed(references_import_preview, data=data, filename="refs.ris")
            upload = SimpleUploadedFile(f"{label}.ris", data)
            response, preview_s = _timed(
                client.post, reverse("desk:reference_import"), {"file": upload}
            )
            assert response.status_code == 200, response.status_code
            token = client.session["desk_import"]["token"]
            with override_settings(TASKS=DATABASE_QUEUE):
                response, confirm_s = _timed(
                    client.post, reverse("desk:reference_import_confirm"), {"token": token}
                )
            assert response.status_code == 302, response.status_code
            job = ImportJob.objects.get(sha256=token)
            job, task_s = _timed(import_job_run, job_id=job.pk)
            assert job.status == ImportJob.Status.DONE, job.message
            outcome = f"{job.created_count} new, {job.matched_count} matched"
            worst_request = max(worst_request, preview_s, confirm_s)
            print(
                f"{count:>8} {len(data) / 1024 / 1024:>5.1f} {label:>8} {old:>14.2f} "
                f"{preview_s:>14.3f} {preview_s / old:>6.2f} {confirm_s:>14.3f} {task_s:>7.2f} "
                f"{task_s / count * 1e6:>12.0f} {outcome:>24}"
            )
        first += count
    verdict = "within" if worst_request < REQUEST_BUDGET_S else "OVER"
    print(f"\nslowest request: {worst_request:.3f} s ({verdict} the {REQUEST_BUDGET_S} s budget)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[3000, 12000])
    parser.add_argument("--database", help="a PostgreSQL URL of your own (default: SQLite)")
    options = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = options.database or f"sqlite:///{tmp}/bench.sqlite3"
        import django

        django.setup()
        from django.db import connection

        print(f"database: {connection.vendor}\n")
        _run(options.sizes)


if __name__ == "__main__":
    main()
