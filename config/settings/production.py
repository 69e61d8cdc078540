"""Production settings: every secret comes from the environment.

``VETTED_LOCAL_SERVE=1`` is set by ``scripts/serve.sh`` (``make serve``) only. It runs these
settings on a developer machine: a fixed local secret key, loopback host names only, plain
HTTP without secure cookies, no trusted proxy, and local PostgreSQL and Redis by default.
It is never for a real host, and refuses any host name that is not a loopback one.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from config.logs import logging_config

from .base import *  # noqa: F403
from .base import MIDDLEWARE, database_from_url

LOCAL_SERVE = os.environ.get("VETTED_LOCAL_SERVE") == "1"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
LOCAL_SERVE_DEFAULTS = {
    "DJANGO_SECRET_KEY": "local-serve-only-insecure-key-never-use-on-a-real-host-3f9c1a7e",
    "DJANGO_ALLOWED_HOSTS": ",".join(LOOPBACK_HOSTS),
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/vetted",
}


def require_env(name: str) -> str:
    value = os.environ.get(name) or (LOCAL_SERVE_DEFAULTS.get(name) if LOCAL_SERVE else None)
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production.")
    return value


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_flag(name: str, default: bool) -> bool:
    return os.environ.get(name, "true" if default else "false").lower() == "true"


# ------------------------------------------------------------------------------
# GENERAL
# ------------------------------------------------------------------------------
DEBUG = False
SECRET_KEY = require_env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in require_env("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
if LOCAL_SERVE and not set(ALLOWED_HOSTS) <= set(LOOPBACK_HOSTS):
    raise ImproperlyConfigured(
        "VETTED_LOCAL_SERVE=1 serves loopback addresses only (127.0.0.1, localhost): it uses "
        "a published secret key and no HTTPS. Unset it to serve a real host name."
    )

# ------------------------------------------------------------------------------
# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {"default": database_from_url(require_env("DATABASE_URL"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails a request (and /healthz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # After a database restart no request is handed a dead connection: a persistent one is
    # checked before reuse, a pooled one by the pool, which gives up waiting after 2 s (not
    # less: after a second failed check in one request psycopg_pool pauses 1 s) and then,
    # for a second, fails at once (config/pgpool), so an outage answers a fast 503
    # (config/outage.py). A sync gunicorn worker needs one connection at a time, so it never
    # waits for another reason. See scripts/fault_drill.py.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["OPTIONS"].get("pool"):
        from psycopg_pool import ConnectionPool

        # Django's PostgreSQL backend, failing fast right after the pool timed out.
        DATABASES["default"]["ENGINE"] = "config.pgpool"
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "check": ConnectionPool.check_connection,
            "timeout": float(os.environ.get("VETTED_DB_POOL_TIMEOUT", "2")),
            "min_size": 1,
            "max_size": int(os.environ.get("VETTED_DB_POOL_MAX_SIZE", "4")),
            # Retry a lost server for up to a minute before the pool reports failure.
            "reconnect_timeout": 60,
        }

# ------------------------------------------------------------------------------
# SECURITY
# ------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not LOCAL_SERVE and env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP on the private side.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not LOCAL_SERVE
CSRF_COOKIE_SECURE = not LOCAL_SERVE
SECURE_HSTS_SECONDS = 0 if LOCAL_SERVE else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Proxies that append to X-Forwarded-For in front of gunicorn: nginx, as in deploy/. With
# `make serve` clients talk to gunicorn directly, so the header is not trusted at all.
VETTED_TRUSTED_PROXY_HOPS = (
    0 if LOCAL_SERVE else int(os.environ.get("DJANGO_TRUSTED_PROXY_HOPS", "1"))
)

# ------------------------------------------------------------------------------
# STATIC: whitenoise serves compressed, hashed files with far-future cache headers
# ------------------------------------------------------------------------------
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 :],
]

# ------------------------------------------------------------------------------
# MAIL
# ------------------------------------------------------------------------------
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_PATH = os.environ.get("DJANGO_EMAIL_BACKEND", SMTP_BACKEND)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
# Only the SMTP backend takes these; any other backend refuses unknown OPTIONS.
if EMAIL_BACKEND_PATH == SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
        "username": os.environ.get("DJANGO_EMAIL_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
        "use_tls": env_flag("DJANGO_EMAIL_USE_TLS", True),
        "timeout": int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10")),
    }

# ------------------------------------------------------------------------------
# CACHE AND SESSIONS
# ------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, degraded while Redis is down: pages render uncached and
            # sessions read the database (config/cache.py).
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vetted",
            # redis-py picks hiredis's parser by itself when it is installed. Short timeouts
            # keep a Redis outage from holding requests.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
# Sessions read from the cache and fall back to the database, which keeps them across a
# cache flush or restart.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# ------------------------------------------------------------------------------
# TASKS: a database queue, run by `manage.py db_worker` (django-tasks-db)
# ------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# ------------------------------------------------------------------------------
# LOGGING
# ------------------------------------------------------------------------------
LOGGING = logging_config(json_lines=True)

# ------------------------------------------------------------------------------
# VETTED
# ------------------------------------------------------------------------------
VETTED_APPROVALS_REQUIRED = int(os.environ.get("VETTED_APPROVALS_REQUIRED", "1"))
VETTED_REVIEW_INTERVAL_DAYS = int(os.environ.get("VETTED_REVIEW_INTERVAL_DAYS", "365"))
VETTED_ASSIGNMENT_REMINDER_DAYS = int(os.environ.get("VETTED_ASSIGNMENT_REMINDER_DAYS", "2"))
# Board members, editors and staff enrol a second factor on their first sign-in and enter
# a code each time after (accounts/). Staff sessions end after 30 idle minutes.
VETTED_REQUIRE_2FA = env_flag("VETTED_REQUIRE_2FA", True)
VETTED_STAFF_IDLE_SECONDS = int(os.environ.get("VETTED_STAFF_IDLE_SECONDS", "1800"))
