"""Log formatting: a request id on every record, JSON lines in production, plain text locally.

This module must not import Django settings: gunicorn's master process loads it (through
``config/gunicorn.py``) before Django is set up.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being handled in this thread or task, set by RequestLogMiddleware.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_RECORD_ATTRIBUTES = frozenset(
    {*logging.LogRecord("", 0, "", 0, "", (), None).__dict__, "message", "asctime"}
)
# Extras that are objects, not data (Django's "django.request" passes the HttpRequest).
_SKIPPED_EXTRAS = frozenset({"request", "request_id"})


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record, so both formatters can show it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in record.__dict__.items():
            if key in _RECORD_ATTRIBUTES or key in _SKIPPED_EXTRAS or key.startswith("_"):
                continue
            entry.setdefault(key, value)
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes newlines, so a traceback stays on its one line.
        return json.dumps(entry, default=str, ensure_ascii=False)


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, json_lines: bool) -> dict:
    """The LOGGING setting: everything through one stderr handler on the root logger.

    Django installs its own defaults first (``django.utils.log.DEFAULT_LOGGING``): a console
    handler on the "django" logger that prints when DEBUG is on. A record that also propagated
    to our root handler was printed twice; so "django" gets no handler of its own here and
    everything is printed once, by root.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "config.logs.JsonFormatter"},
            "plain": {"format": PLAIN_FORMAT},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json" if json_lines else "plain",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            # 4xx answers are already in the request line; keep 5xx with their tracebacks.
            "django.request": {"handlers": [], "level": "ERROR", "propagate": True},
            # runserver's own request lines would repeat ours; its errors still come through.
            "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
            # The task framework reports every run at INFO; in the web process only problems.
            "django.tasks": {"handlers": [], "level": "WARNING", "propagate": True},
            "vetted": {"handlers": [], "level": "INFO", "propagate": True},
        },
    }
