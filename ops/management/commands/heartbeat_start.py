"""Make sure the worker's heartbeat is queued; run before starting ``db_worker``."""

from django.core.management.base import BaseCommand
from django_tasks_db import DatabaseBackend

from ops.heartbeat import heartbeat_schedule
from ops.tasks import worker_heartbeat


class Command(BaseCommand):
    help = "Queue the task worker's heartbeat unless one is already waiting (idempotent)."

    def handle(self, *args, **options):
        if not isinstance(worker_heartbeat.get_backend(), DatabaseBackend):
            self.stdout.write("Tasks run inline (no worker queue): no heartbeat needed.")
        elif heartbeat_schedule():
            self.stdout.write("Heartbeat queued.")
        else:
            self.stdout.write("A heartbeat is already queued.")
