import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest

from config.settings.base import database_from_url

ROOT = Path(__file__).resolve().parent.parent


def test_database_url_with_pool_disables_persistent_connections():
    config = database_from_url("postgres://postgres@127.0.0.1:5432/vetted?pool=true")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["OPTIONS"]["pool"] is True
    assert config["CONN_MAX_AGE"] == 0


def test_database_url_without_pool_keeps_connections():
    config = database_from_url("postgres://postgres@127.0.0.1:5432/vetted")
    assert config["CONN_MAX_AGE"] == 60


def test_database_url_sqlite_is_the_default_shape():
    config = database_from_url("sqlite:////tmp/x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x" * 20 + "-production-grade-secret-key-for-checks-" + "y" * 20,
        DJANGO_ALLOWED_HOSTS="vetted.example",
        DATABASE_URL="sqlite:////tmp/vetted-deploy-check.sqlite3",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_settings_refuse_missing_secret_key():
    result = _manage("check", env=_production_env(DJANGO_SECRET_KEY=None))
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


@pytest.mark.django_db
def test_admin_accepts_demo_editor(client, demo_site):
    assert client.login(username="editor", password="vetted-editor-demo")
    response = client.get("/admin/")
    assert response.status_code == HTTPStatus.OK
    assert b"Site administration" in response.content or b"workspace" in response.content


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "ok"


def test_project_never_reads_the_shared_folder():
    offenders = []
    for path in ROOT.rglob("*"):
        if any(part in {".venv", "node_modules", ".git"} for part in path.parts):
            continue
        if path == Path(__file__).resolve():
            continue
        if path.is_file() and path.suffix in {".py", ".html", ".sh", ".toml", ""}:
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            if "../shared" in text or "/work/shared" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
