"""The production stack's settings and plumbing: Redis, mail, whitenoise, local serve, tasks,
request ids and logging, request-size limits, the client address behind proxies, error pages.

Settings modules are loaded in a subprocess (`manage.py shell -c`), exactly as gunicorn would
load them; the rest runs in-process under the test settings.
"""

import io
import json
import os
import re
import subprocess
import sys
import textwrap
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from citations.importers import MAX_IMPORT_BYTES
from config import uploads
from config.proxy import client_address

ROOT = Path(__file__).resolve().parent.parent
SECRET = "x" * 20 + "-production-grade-secret-key-for-tests-" + "y" * 20


def run_python(code: str, *, settings: str = "config.settings.production", **env_overrides):
    """Run code with Django set up under ``settings``; env_overrides of None are removed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VETTED_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="vetted.example,testserver",
        DATABASE_URL="sqlite:////tmp/vetted-production-test.sqlite3",
    )
    env.update(env_overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def settings_of(*names: str, **env) -> dict:
    code = f"""
        import json
        from django.conf import settings
        print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}, default=str))
    """
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# Settings -----------------------------------------------------------------------------------


def test_production_redis_url_gives_a_working_redis_cache_and_cached_db_sessions():
    code = """
        from django.conf import settings
        from django.core.cache import caches
        cache = caches["default"]
        cache.set("production-test", "seen", 10)
        print(type(cache).__name__, cache.get("production-test"), settings.SESSION_ENGINE)
    """
    result = run_python(code, REDIS_URL="redis://127.0.0.1:6379/14")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "ResilientRedisCache",  # Django's RedisCache, degraded while Redis is down
        "seen",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_production_console_email_backend_sends_without_smtp_options():
    code = """
        from django.core.mail import send_mail
        send_mail("Hello", "Body of the test message", None, ["editor@vetted.example"])
    """
    result = run_python(code, DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    assert result.returncode == 0, result.stderr
    assert "Subject: Hello" in result.stdout


def test_production_smtp_is_the_default_and_gets_its_options():
    mailers = settings_of("MAILERS", DJANGO_EMAIL_HOST="mail.vetted.example")["MAILERS"]
    assert mailers["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailers["default"]["OPTIONS"]["host"] == "mail.vetted.example"
    assert mailers["default"]["OPTIONS"]["timeout"] == 10


def test_production_runs_tasks_on_the_database_queue_and_serves_static_with_whitenoise():
    values = settings_of("TASKS", "STORAGES", "MIDDLEWARE", "SECURE_SSL_REDIRECT")
    assert values["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    middleware = values["MIDDLEWARE"]
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert values["SECURE_SSL_REDIRECT"] is True


def test_embedded_default_keeps_inline_tasks_and_no_whitenoise(settings):
    assert settings.TASKS["default"]["BACKEND"] == (
        "django.tasks.backends.immediate.ImmediateBackend"
    )
    assert "whitenoise.middleware.WhiteNoiseMiddleware" not in settings.MIDDLEWARE


def test_production_check_deploy_is_clean_with_redis():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VETTED_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_ALLOWED_HOSTS": "vetted.example",
            "DATABASE_URL": "sqlite:////tmp/vetted-production-test.sqlite3",
            "REDIS_URL": "redis://127.0.0.1:6379/14",
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_local_serve_needs_no_secrets_and_relaxes_only_https():
    values = settings_of(
        "ALLOWED_HOSTS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "VETTED_TRUSTED_PROXY_HOPS",
        "DEBUG",
        "SECRET_KEY",
        VETTED_LOCAL_SERVE="1",
        DJANGO_SECRET_KEY=None,
        DJANGO_ALLOWED_HOSTS=None,
    )
    assert values["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert values["SECRET_KEY"].startswith("local-serve-only-insecure-key")
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["VETTED_TRUSTED_PROXY_HOPS"] == 0
    assert values["DEBUG"] is False


def test_local_serve_refuses_a_real_host_name():
    code = "from django.conf import settings; print(settings.ALLOWED_HOSTS)"
    result = run_python(code, VETTED_LOCAL_SERVE="1")  # hosts: vetted.example
    assert result.returncode != 0
    assert "VETTED_LOCAL_SERVE=1 serves loopback addresses only" in result.stderr


def test_production_without_local_serve_keeps_https_and_trusts_one_proxy():
    values = settings_of(
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "VETTED_TRUSTED_PROXY_HOPS",
    )
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "VETTED_TRUSTED_PROXY_HOPS": 1,
    }


def test_production_static_files_are_compressed_with_far_future_headers(tmp_path):
    code = """
        import re
        from django.core.management import call_command
        from django.test import Client
        from django.templatetags.static import static
        call_command("collectstatic", interactive=False, verbosity=0)
        url = static("css/vetted.css")
        assert re.search(r"vetted\\.[0-9a-f]{12}\\.css$", url), url
        response = Client().get(url, secure=True, HTTP_ACCEPT_ENCODING="gzip")
        print(response.status_code, response["Cache-Control"], response.get("Content-Encoding"),
              sep="|")
    """
    result = run_python(code, DJANGO_STATIC_ROOT=str(tmp_path / "static"))
    assert result.returncode == 0, result.stderr
    status, cache_control, encoding = result.stdout.strip().split("|")
    assert status == "200"
    assert cache_control == "max-age=315360000, public, immutable"
    assert encoding == "gzip"


# Request-size limits ------------------------------------------------------------------------


def test_file_upload_memory_limit_is_the_import_limit(settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == MAX_IMPORT_BYTES
    assert settings.FILE_UPLOAD_HANDLERS[0] == "config.uploads.ImportSizeLimitHandler"


def _upload_body(size: int) -> bytes:
    upload = io.BytesIO(b"T" * size)
    upload.name = "refs.ris"
    return encode_multipart(BOUNDARY, {"file": upload, "csrfmiddlewaretoken": "x" * 64})


@pytest.mark.django_db
def test_oversized_declared_upload_is_refused_before_the_body_is_read(client):
    body = _upload_body(6 * 1024 * 1024)
    response = client.generic(
        "POST", "/desk/references/import/", body, content_type=MULTIPART_CONTENT
    )
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    page = response.content.decode()
    # The desk form's own sentence, not a second wording of it.
    assert "This file is 6.0 MB; the limit is 5 MB. Split it into smaller exports." in page
    assert 'href="/desk/references/import/"' in page


@pytest.mark.django_db
def test_file_just_past_the_limit_is_refused_by_the_upload_handler(client):
    body = _upload_body(MAX_IMPORT_BYTES + 1)
    assert len(body) < uploads.MAX_MULTIPART_BYTES  # so only the handler can catch it
    response = client.generic(
        "POST", "/desk/references/import/", body, content_type=MULTIPART_CONTENT
    )
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "the limit is 5 MB" in response.content.decode()


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_upload_handler_stops_reading_at_the_limit(monkeypatch):
    # Lift the whole-body check so the streaming check alone is tested, on a 12 MB file.
    monkeypatch.setattr(uploads, "MAX_MULTIPART_BYTES", 100 * 1024 * 1024)
    body = _upload_body(12 * 1024 * 1024)
    stream = CountingStream(body)
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handlers = [uploads.ImportSizeLimitHandler(), MemoryFileUploadHandler()]
    parser = MultiPartParser(meta, stream, handlers)
    with pytest.raises(uploads.UploadTooLarge):
        parser.parse()
    assert stream.bytes_read < MAX_IMPORT_BYTES + 256 * 1024
    assert stream.bytes_read < len(body) / 2


def test_upload_limit_middleware_passes_ordinary_uploads_through():
    seen = {}

    def view(request):
        seen["file"] = request.FILES["file"].read()
        return HttpResponse("ok")

    upload = io.BytesIO(b"TY  - JOUR\nER  - \n")
    upload.name = "refs.ris"
    request = RequestFactory().post("/desk/references/import/", {"file": upload})
    response = uploads.UploadLimitMiddleware(view)(request)
    assert response.status_code == HTTPStatus.OK
    assert seen["file"] == b"TY  - JOUR\nER  - \n"


# The client address behind proxies ----------------------------------------------------------


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "192.0.2.1, 198.51.100.7", "198.51.100.7"),
        (2, "192.0.2.1, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(settings, hops, forwarded, expected):
    settings.VETTED_TRUSTED_PROXY_HOPS = hops
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


# Deploy files and `make serve`'s preflight ----------------------------------------------------


def test_nginx_body_limit_matches_the_upload_limit():
    conf = (ROOT / "deploy" / "nginx" / "vetted.conf").read_text()
    (limit,) = re.findall(r"^\s*client_max_body_size\s+(\d+)k;", conf, re.MULTILINE)
    assert int(limit) * 1024 == uploads.MAX_MULTIPART_BYTES
    # The headers config/proxy.py and the SSL redirect rely on.
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf


def test_systemd_units_run_the_commands_that_exist():
    from django.core.management import get_commands

    units = "\n".join(p.read_text() for p in (ROOT / "deploy" / "systemd").iterdir())
    for command in re.findall(r"manage\.py (\w+)", units):
        assert command in get_commands(), command
    assert "OnCalendar=" in (ROOT / "deploy/systemd/vetted-overdue-reviews.timer").read_text()


def preflight(**env):
    return subprocess.run(
        [sys.executable, "scripts/preflight.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def test_preflight_names_an_unreachable_postgresql():
    result = preflight(
        DATABASE_URL="postgres://postgres@127.0.0.1:9/vetted", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert result.returncode != 0
    assert "PostgreSQL is not reachable at 127.0.0.1:9" in result.stderr


def test_preflight_names_an_unreachable_redis():
    result = preflight(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        REDIS_URL="redis://127.0.0.1:9/0",
    )
    assert result.returncode != 0
    assert "Redis is not reachable at 127.0.0.1:9" in result.stderr


def test_preflight_creates_a_missing_database():
    import uuid

    import psycopg

    name = f"vetted_preflight_{uuid.uuid4().hex[:8]}"
    try:
        result = preflight(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}",
            REDIS_URL="redis://127.0.0.1:6379/0",
        )
        assert result.returncode == 0, result.stderr
        assert f"Created PostgreSQL database {name!r}" in result.stdout
        again = preflight(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}",
            REDIS_URL="redis://127.0.0.1:6379/0",
        )
        assert again.returncode == 0 and "Created" not in again.stdout
    finally:
        with psycopg.connect(
            host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
