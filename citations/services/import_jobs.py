"""Imports run by the task worker: confirm a file once, run it in one transaction, report.

``import_job_confirm`` stores the file as an ImportJob and queues ``reference_import_run`` once
the confirming transaction commits. ``import_job_run`` (the task's body) claims the job, reads
the file, then matches and writes every record *and* marks the job done in one transaction:
a worker killed before the commit leaves neither references nor a "done" job behind.

A job whose worker died stays "running" with an old heartbeat. ``import_jobs_fail_stale``
marks such jobs failed, saying nothing was imported; it runs before each import and whenever
someone looks at an import, so no job shows "running" for ever. Failing, rather than queueing
the job again, is deliberate: an import that killed its worker (memory, a timeout) would kill
the next one too, and the person who confirmed it decides whether to try again.
"""

import hashlib
import logging
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from citations.importers import ImportFileError, read_reference_file
from citations.jobs import MAX_STORED_PROBLEMS, ImportJob
from citations.services.imports import references_import_parsed

logger = logging.getLogger(__name__)

# A running job whose heartbeat is older than this has lost its worker. The one long step, the
# write transaction, takes seconds for a 5 MB file (benchmarks/import_job.py).
STALE_AFTER = timedelta(minutes=5)
INTERRUPTED = "The import was interrupted; nothing was imported. Confirm again to retry."
UNEXPECTED = (
    "The import stopped on an unexpected error; nothing was imported. Confirm again to retry, "
    "and tell an editor if it happens again."
)


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_job_for_file(*, sha256: str) -> ImportJob | None:
    """The queued, running or finished job that already claims this file, if any."""
    return ImportJob.objects.live().filter(sha256=sha256).first()


def import_job_confirm(
    *, data: bytes, filename: str, user: AbstractBaseUser | None
) -> tuple[ImportJob, bool]:
    """Queue the import of a file, once: (job, True), or (the existing job, False).

    The same bytes already queued, running or imported give back that job and queue nothing,
    however many confirmations arrive at once: the database's unique index decides the race.
    """
    digest = file_sha256(data)
    for _attempt in range(2):
        existing = import_job_for_file(sha256=digest)
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                job = ImportJob.objects.create(
                    sha256=digest,
                    filename=(filename or "upload")[:255],
                    size=len(data),
                    data=data,
                    created_by=user,
                )
                _enqueue_on_commit(job.pk)
            return job, True
        except IntegrityError:
            # Another confirmation of the same file won the race: look again. (Should that
            # job have failed in between, the second attempt queues this one.)
            continue
    existing = import_job_for_file(sha256=digest)
    if existing is None:
        raise IntegrityError("Could not queue the import; try again.")
    return existing, False


def import_job_retry(*, job: ImportJob, user: AbstractBaseUser | None) -> tuple[ImportJob, bool]:
    """Queue a failed job's file again, as a new job; a live job for it is returned as is."""
    if job.status != ImportJob.Status.FAILED or not job.data:
        return job, False
    return import_job_confirm(data=bytes(job.data), filename=job.filename, user=user)


def _enqueue_on_commit(job_id: int) -> None:
    from citations.tasks import reference_import_run  # the task module imports this one

    transaction.on_commit(lambda: reference_import_run.enqueue(job_id=job_id))


def import_jobs_fail_stale(*, older_than: timedelta = STALE_AFTER) -> int:
    """Mark failed every running job with no heartbeat for ``older_than``; how many were."""
    now = timezone.now()
    return ImportJob.objects.filter(
        status=ImportJob.Status.RUNNING, heartbeat_at__lt=now - older_than
    ).update(
        status=ImportJob.Status.FAILED,
        phase=ImportJob.Phase.FINISHED,
        message=INTERRUPTED,
        finished_at=now,
    )


def _beat(job: ImportJob, **fields) -> None:
    """Save progress outside the import's transaction, so the desk sees it at once."""
    fields["heartbeat_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(**fields)


def _fail(job: ImportJob, message: str, problems: list[str] = ()) -> ImportJob:
    problems = list(problems)
    if len(problems) > MAX_STORED_PROBLEMS:
        hidden = len(problems) - MAX_STORED_PROBLEMS
        problems = [*problems[:MAX_STORED_PROBLEMS], f"… and {hidden} more problems."]
    job.status, job.phase = ImportJob.Status.FAILED, ImportJob.Phase.FINISHED
    job.message, job.problems, job.finished_at = message[:500], problems, timezone.now()
    # Only a job this run still owns: the stale sweep may have given up on it meanwhile.
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
        status=job.status,
        phase=job.phase,
        message=job.message,
        problems=job.problems,
        finished_at=job.finished_at,
    )
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued job to done or failed; a job already claimed or finished is left alone."""
    import_jobs_fail_stale()
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING,
        phase=ImportJob.Phase.PARSING,
        started_at=now,
        heartbeat_at=now,
    )
    job = ImportJob.objects.filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    try:
        parsed = read_reference_file(bytes(job.data), job.filename)
    except ImportFileError as error:
        return _fail(job, f"Nothing was imported: {error}")
    _beat(job, phase=ImportJob.Phase.WRITING, records_total=len(parsed.records))
    try:
        with transaction.atomic():
            preview, created = references_import_parsed(parsed=parsed, user=job.created_by)
            job.status, job.phase = ImportJob.Status.DONE, ImportJob.Phase.FINISHED
            job.created_count = len(created)
            job.matched_count = len(preview.existing)
            job.skipped_count = len(preview.in_file_duplicates)
            job.notices = preview.notices[:MAX_STORED_PROBLEMS]
            job.message = f"Imported {len(created)} new reference{'s' * (len(created) != 1)}."
            job.finished_at = timezone.now()
            job.data = b""  # the hash keeps the import idempotent; the bytes are not needed
            if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
                **{name: getattr(job, name) for name in _DONE_FIELDS}
            ):
                # The stale sweep gave up on this run: keep its verdict, import nothing.
                raise _Abandoned
    except _Abandoned:
        return ImportJob.objects.get(pk=job.pk)
    except ValidationError as error:
        return _fail(job, "Nothing was imported: the file has problems.", error.messages)
    except Exception:
        logger.exception("Reference import %s failed", job.pk)
        return _fail(job, UNEXPECTED)
    except BaseException:
        # The worker is told to stop at once (a second SIGTERM: SystemExit): the transaction
        # has rolled back, so say so now rather than after STALE_AFTER.
        _fail(job, INTERRUPTED)
        raise
    return job


_DONE_FIELDS = (
    "status",
    "phase",
    "created_count",
    "matched_count",
    "skipped_count",
    "notices",
    "message",
    "finished_at",
    "data",
)


class _Abandoned(Exception):
    """The job was marked failed by the stale sweep while this run was still writing."""
