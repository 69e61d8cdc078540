"""Tasks the stack runs on itself."""

from datetime import timedelta

from django.conf import settings
from django.tasks import TaskContext, task

from ops.heartbeat import heartbeat_record, heartbeat_schedule


@task(takes_context=True)
def worker_heartbeat(context: TaskContext) -> str:
    """Record that this worker is alive, then queue the next beat."""
    worker_ids = context.task_result.worker_ids
    worker_id = worker_ids[-1] if worker_ids else "unknown"
    heartbeat_record(worker_id=worker_id)
    heartbeat_schedule(
        after=timedelta(seconds=settings.VETTED_WORKER_HEARTBEAT_SECONDS),
        running_id=str(context.task_result.id),
    )
    return worker_id
