"""The task worker's heartbeat: a task that records when it ran and queues its next run.

The heartbeat waits in the same queue as every other task, so its age measures two things at
once: that a worker process is alive, and that it is keeping up with the queue. On the
embedded default (ImmediateBackend) tasks run inside the request and there is no worker.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from ops.models import WorkerHeartbeat

# A worker id not seen for this long belongs to a process that is gone.
FORGET_WORKERS_AFTER = timedelta(days=1)


def _heartbeat_task():
    from ops.tasks import worker_heartbeat  # the task module imports this one

    return worker_heartbeat


def heartbeat_record(*, worker_id: str) -> WorkerHeartbeat:
    """Note that ``worker_id`` is alive now, and forget workers long gone."""
    now = timezone.now()
    with transaction.atomic():
        beat, _created = WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id, defaults={"beat_at": now}
        )
        WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return beat


def heartbeat_schedule(*, after: timedelta | None = None, running_id: str | None = None) -> bool:
    """Queue a heartbeat unless one is already waiting; False when there is no worker queue.

    ``running_id`` is the heartbeat now running, which does not count as waiting. Only READY
    rows count: a heartbeat left RUNNING by a killed worker will never finish, so it must not
    stop a new one. If two chains ever start at once, the first to see the other stops.
    """
    task = _heartbeat_task()
    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path)
    if running_id is not None:
        waiting = waiting.exclude(id=running_id)
    if waiting.exists():
        return False
    if after is not None:
        task = task.using(run_after=timezone.now() + after)
    task.enqueue()
    return True


def worker_status() -> dict:
    """The worker part of /healthz: "inline", or the newest heartbeat's age and verdict."""
    backend = _heartbeat_task().get_backend()
    if isinstance(backend, ImmediateBackend):
        return {"status": "inline"}
    if not isinstance(backend, DatabaseBackend):
        return {"status": "unknown", "error": f"no heartbeat for {type(backend).__name__}"}
    latest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if latest is None:
        return {"status": "missing", "error": "no heartbeat yet: is `manage.py db_worker` running?"}
    age = (timezone.now() - latest).total_seconds()
    stale = age > settings.VETTED_WORKER_STALE_SECONDS
    return {
        "status": "stale" if stale else "ok",
        "last_beat": latest.isoformat(),
        "age_s": round(age, 1),
    }
