"""A database outage answers a fast, styled 503 with ``Retry-After``, never a traceback 500.

(So does a Redis outage in the one case the cache cannot degrade: a counter that a caller
did not expect to fail; see config/cache.py.)

While PostgreSQL restarts, every query fails with ``OperationalError`` (refused connection,
connection closed under us, the pool's ``PoolTimeout``) or ``InterfaceError`` (a connection
already closed). Two doors lead here:

- ``DatabaseOutageMiddleware.process_exception``: a view or its template failed. This is where
  almost every outage surfaces, since sessions and the signed-in user load lazily in the view.
- ``server_error`` (``handler500``): the error came from a middleware instead, e.g. saving a
  session after the view. Django logs a 500 with its traceback unless the response says it has
  been logged, which ours does: an outage is logged once, as a warning.

Neither door touches the database: the page is rendered with a plain context. Django closes a
connection that raised and no longer answers at the end of the request
(``close_if_unusable_or_obsolete``), and production checks a persistent or pooled connection
before reusing it, so the first request after the database is back succeeds.
"""

import logging
import sys
from http import HTTPStatus

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

from api.problems import ApiProblem, problem_response
from config.cache import CacheUnavailable

logger = logging.getLogger("vetted.outage")

# What a client is told to wait; a restart of PostgreSQL takes a few seconds.
RETRY_AFTER_SECONDS = 5
API_PREFIX = "/api/"


def _outage_errors() -> tuple[type[BaseException], ...]:
    # CacheUnavailable: a cache counter could not count (config/cache.py).
    errors: list[type[BaseException]] = [OperationalError, InterfaceError, CacheUnavailable]
    try:  # psycopg's pool, when installed: a timeout waiting for a connection, a closed pool
        from psycopg_pool import PoolClosed, PoolTimeout
    except ImportError:
        pass
    else:
        errors += [PoolTimeout, PoolClosed]
    return tuple(errors)


OUTAGE_ERRORS = _outage_errors()


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def outage_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 page, logged once as a warning with the request id (the log filter adds it)."""
    # The driver's first line names the cause ("connection refused", "the pool timed out");
    # it stays in the server log and never reaches the page.
    reason = (str(exc).strip().splitlines() or [""])[0][:300]
    logger.warning(
        "Service unavailable: %s %s answered 503 (%s: %s)",
        request.method,
        request.path,
        type(exc).__name__,
        reason,
        extra={"status": HTTPStatus.SERVICE_UNAVAILABLE, "error": type(exc).__name__},
    )
    if request.path.startswith(API_PREFIX):
        # API clients get the API's problem document, not a page.
        response = problem_response(
            ApiProblem(
                status=HTTPStatus.SERVICE_UNAVAILABLE,
                title="Service unavailable.",
                detail=f"The service is briefly unavailable. Retry after {RETRY_AFTER_SECONDS} "
                "seconds.",
                code="unavailable",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
            )
        )
        response._has_been_logged = True
        return response
    context = {"retry_after": RETRY_AFTER_SECONDS, "request_id": getattr(request, "request_id", "")}
    try:
        body = loader.get_template("503.html").render(context)
    except Exception:  # the page that answers an outage must never fail itself
        logger.exception("The 503 page could not be rendered; answering in plain text")
        body = f"Vetted is unavailable for a moment. Please retry in {RETRY_AFTER_SECONDS} seconds."
    response = HttpResponse(body, status=HTTPStatus.SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Django's own error logging (log_response) skips a response marked as logged.
    response._has_been_logged = True
    return response


class DatabaseOutageMiddleware:
    """Turn a database outage raised by a view or its template into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_outage(exception):
            return outage_response(request, exception)
        return None


def server_error(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """``handler500``: an outage raised outside the view is a 503 too; anything else a 500."""
    exc = sys.exception()
    if is_outage(exc):
        return outage_response(request, exc)
    return defaults.server_error(request, *args, **kwargs)
