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
    # The production cache hides a Redis outage from pages; its ping does not, so the
    # failure is named here (config/cache.py).
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()
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
    parts = {"database": _timed(check_database), "cache": _timed(check_cache)}
    if parts["database"]["status"] in HEALTHY:
        parts["worker"] = _timed(check_worker)
    else:
        # The heartbeat is read from the database: asking again would only wait for it twice
        # (a pool timeout each) and would not say whether the worker itself is alive.
        parts["worker"] = {"status": "skipped", "error": "the database is not answering"}
    failing = [name for name, part in parts.items() if part["status"] not in HEALTHY | {"skipped"}]
    body = {"status": "failing" if failing else "ok", "failing": failing, **parts}
    status = HTTPStatus.SERVICE_UNAVAILABLE if failing else HTTPStatus.OK
    response = JsonResponse(body, status=status)
    # Each failing check was logged above as a warning; a probe every few seconds during an
    # outage must not add an error line each (Django's log skips a response marked logged).
    response._has_been_logged = True
    return response
