"""/healthz: database, cache and worker, each with a status and a latency; 503 names the failure.

The cache checks use the Redis server that CI and `make serve` run on 127.0.0.1:6379, and an
address where nothing listens for the failure case.
"""

import io
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ops.heartbeat import heartbeat_record, heartbeat_schedule
from ops.models import WorkerHeartbeat
from ops.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_healthz_embedded_default_is_ok_with_inline_worker(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert body["database"]["status"] == "ok"
    assert body["cache"]["status"] == "ok"
    assert body["worker"]["status"] == "inline"
    for part in ("database", "cache", "worker"):
        assert isinstance(body[part]["latency_ms"], float | int)
        assert body[part]["latency_ms"] >= 0
    assert "no-cache" in response["Cache-Control"]


def test_healthz_database_down_answers_503_naming_it(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "db.internal" failed: password=secret')

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["status"] == "failing"
    assert body["failing"] == ["database"]
    assert body["database"] == {
        "status": "error",
        "error": "OperationalError",
        "latency_ms": body["database"]["latency_ms"],
    }
    # The driver's message can carry host names and passwords; it stays in the server log.
    assert "secret" not in response.content.decode()


@override_settings(TASKS=DATABASE_TASKS)
def test_healthz_database_down_skips_the_worker_whose_heartbeat_lives_there(client, monkeypatch):
    calls = []

    def refuse(*args, **kwargs):
        calls.append(1)
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["failing"] == ["database"]
    assert body["worker"] == {"status": "skipped", "error": "the database is not answering"}
    # One attempt, not a second wait (a pool timeout) for the heartbeat.
    assert len(calls) == 1


def test_healthz_real_redis_is_ok(client):
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:6379/15")):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["cache"]["status"] == "ok"


def test_healthz_unreachable_redis_answers_503_naming_the_cache(client):
    # Port 9 (discard) has no Redis: the connection is refused at once.
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:9/0")):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["cache"]["status"] == "error"
    assert body["cache"]["latency_ms"] < 3000


@override_settings(TASKS=DATABASE_TASKS)
def test_healthz_worker_without_heartbeat_is_missing(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["failing"] == ["worker"]
    assert body["worker"]["status"] == "missing"
    assert "db_worker" in body["worker"]["error"]


@override_settings(TASKS=DATABASE_TASKS, VETTED_WORKER_STALE_SECONDS=120)
def test_healthz_worker_fresh_heartbeat_is_ok_and_old_one_is_stale(client):
    beat = heartbeat_record(worker_id="worker-a")
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["worker"]["status"] == "ok"
    assert response.json()["worker"]["age_s"] < 5

    WorkerHeartbeat.objects.filter(pk=beat.pk).update(beat_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    worker = response.json()["worker"]
    assert worker["status"] == "stale"
    assert worker["age_s"] >= 300


@override_settings(TASKS=DATABASE_TASKS)
def test_healthz_reads_a_bounded_number_of_rows(client, django_assert_max_num_queries):
    now = timezone.now()
    WorkerHeartbeat.objects.bulk_create(
        WorkerHeartbeat(worker_id=f"w{n}", beat_at=now - timedelta(seconds=n)) for n in range(200)
    )
    with django_assert_max_num_queries(2):
        response = client.get("/healthz")
    assert response.json()["worker"]["age_s"] < 5


# The heartbeat chain, run by the real db_worker ---------------------------------------------


def _waiting_heartbeats():
    return DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path, status="READY")


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, VETTED_WORKER_HEARTBEAT_SECONDS=30)
def test_db_worker_runs_the_heartbeat_and_queues_exactly_one_next_beat(client):
    assert heartbeat_schedule() is True
    # A second start (two workers, a restart) does not start a second chain.
    assert heartbeat_schedule() is False
    call_command(
        "db_worker",
        batch=True,
        startup_delay=False,
        worker_id="worker-test",
        verbosity=0,
        stdout=io.StringIO(),
    )
    assert WorkerHeartbeat.objects.get().worker_id == "worker-test"
    (following,) = _waiting_heartbeats()
    assert following.run_after > timezone.now() + timedelta(seconds=20)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["worker"]["status"] == "ok"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_heartbeat_start_command_is_idempotent():
    out = io.StringIO()
    call_command("heartbeat_start", stdout=out)
    call_command("heartbeat_start", stdout=out)
    assert _waiting_heartbeats().count() == 1
    assert out.getvalue().splitlines() == ["Heartbeat queued.", "A heartbeat is already queued."]


def test_heartbeat_start_command_with_inline_tasks_queues_nothing():
    out = io.StringIO()
    call_command("heartbeat_start", stdout=out)
    assert "inline" in out.getvalue()
    assert not DBTaskResult.objects.exists()
