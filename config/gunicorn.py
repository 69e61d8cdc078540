"""gunicorn settings: ``gunicorn -c config/gunicorn.py config.wsgi:application``.

Every value can be overridden from the environment (GUNICORN_BIND, WEB_CONCURRENCY,
GUNICORN_TIMEOUT) or on the command line.
"""

import os


def _cpu_count() -> int:
    # The CPUs this process may use (a container or systemd's CPUAffinity), not the host's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers spend most of their time waiting on PostgreSQL: two per CPU, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cpu_count() + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then, staggered, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The workers' liveness files on tmpfs, so a slow disk never looks like a hung worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Nothing uses gunicorn's control socket; without it no file appears in $HOME.
control_socket_disable = True

# Django logs one line per request itself (config/request_log.py, with the request id);
# gunicorn's own access log would repeat it. Its error log goes to stderr as JSON lines.
accesslog = None
errorlog = "-"
loglevel = "info"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
        }
    },
    # gunicorn merges this over its own defaults key by key: "root" must name our handler.
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}
