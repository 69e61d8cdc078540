"""``/healthz``: is the database answering, the cache working, the task worker alive?

Each part costs at most one or two round trips: ``SELECT 1``, a cache write and read of one
key, and one indexed read of the newest worker heartbeat. The answer is 200 when every part
is fine and 503 naming the failing parts, for load balancers and uptime checks alike.
"""

import logging
import time
import uuid
from collections.abc import Callable
from http import HTTPStatus

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from ops import heartbeat

logger = logging.getLogger("vetted.health")

# A part in one of these states is fine; anything else fails the check.
HEALTHY = frozenset({"ok", "inline"})


def _timed(check: Callable[[], dict]) -> dict:
    """Run one check; its result gains a latency, and any exception becomes its failure."""
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # a health check reports every failure; it never raises
        logger.warning("Health check %s failed", check.__name__, exc_info=True)
        # The exception's class only: its text can hold a host name or a password.
        result = {"status": "error", "error": type(exc).__name__}
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return result


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def check_cache() -> dict:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        return {"status": "error", "error": "the value written was not read back"}
    return {"status": "ok"}


def check_worker() -> dict:
    return heartbeat.worker_status()


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON with each part's status and latency; 503 names what fails."""
    parts = {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "worker": _timed(check_worker),
    }
    failing = [name for name, part in parts.items() if part["status"] not in HEALTHY]
    body = {"status": "failing" if failing else "ok", "failing": failing, **parts}
    status = HTTPStatus.SERVICE_UNAVAILABLE if failing else HTTPStatus.OK
    return JsonResponse(body, status=status)
