"""Background work of the reference library (Django's tasks framework)."""

from django.tasks import task

from citations.services.import_jobs import import_job_run


@task
def reference_import_run(*, job_id: int) -> str:
    """Import a confirmed file (an ImportJob) in one transaction; returns the job's status."""
    job = import_job_run(job_id=job_id)
    return job.status if job is not None else "missing"
