"""One log line per request, tagged with a request id that the response carries back."""

import logging
import re
import time
import uuid

from config.logs import current_request_id

logger = logging.getLogger("vetted.request")

# What a proxy or load balancer may hand us (nginx's $request_id is 32 hex digits, others send
# UUIDs). Anything else, such as spaces, newlines or a kilobyte of text, is replaced, so a
# client cannot forge log lines or bloat them.
INCOMING_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def request_id_for(incoming: str) -> str:
    """The incoming X-Request-ID when it is sane, else a fresh one."""
    if INCOMING_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Tag the request with an id, log its outcome once, and answer with ``X-Request-ID``.

    Goes first in MIDDLEWARE, so the time covers every other middleware and even a response
    another middleware makes on its own (a redirect, a lockout page) is logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request.headers.get("X-Request-ID", ""))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            # The path only: query strings can hold what a reader searched for.
            logger.info(
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "client": request.META.get("REMOTE_ADDR", ""),
                },
            )
            return response
        finally:
            current_request_id.reset(token)
