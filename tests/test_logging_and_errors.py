"""Production logging and error pages: one line per request, JSON with a request id,
tracebacks to stderr, nothing printed twice, and pages that say where to go."""

import json
import logging
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.template import loader
from django.test import override_settings
from django.urls import path

from config.logs import JsonFormatter, logging_config
from config.request_log import request_id_for
from tests.test_production import run_python

ROOT = Path(__file__).resolve().parent.parent

SECRET = "x" * 20 + "-production-grade-secret-key-for-tests-" + "y" * 20

# Logging ------------------------------------------------------------------------------------


def test_local_logging_prints_a_django_error_once():
    # Django's own "django" console handler and our root handler each printed it before.
    code = """
        import logging
        logging.getLogger("django.request").error("printed-once-marker")
    """
    result = run_python(code, settings="config.settings.local")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("printed-once-marker") == 1


def test_production_logs_one_json_line_per_request_with_its_id(tmp_path):
    code = """
        from django.test import Client
        client = Client()
        for path in ("/robots.txt", "/robots.txt"):
            response = client.get(path, secure=True, HTTP_X_REQUEST_ID="edge-4f2a9c1e")
            print(response["X-Request-ID"])
        print(client.get("/robots.txt", secure=True)["X-Request-ID"])
    """
    result = run_python(code, DJANGO_STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    returned = result.stdout.split()
    assert returned[:2] == ["edge-4f2a9c1e", "edge-4f2a9c1e"]
    assert re.fullmatch(r"[0-9a-f]{32}", returned[2])
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    requests = [line for line in lines if line["logger"] == "vetted.request"]
    assert [line["request_id"] for line in requests] == returned
    assert requests[0]["method"] == "GET"
    assert requests[0]["path"] == "/robots.txt"
    assert requests[0]["status"] == HTTPStatus.OK
    assert requests[0]["duration_ms"] >= 0


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("4f2a9c1e0b7d4e8f9a6b5c4d3e2f1a0b", True),
        ("6c1f3f3e-2a4b-4c7e-9d3e-6f0a1b2c3d4e", True),
        ("short", False),
        ("has spaces in it", False),
        ("line\nbreak-injected-0001", False),
        ("x" * 200, False),
        ("", False),
    ],
)
def test_request_id_for_accepts_only_sane_incoming_ids(incoming, kept):
    request_id = request_id_for(incoming)
    assert (request_id == incoming) is kept
    assert re.fullmatch(r"[A-Za-z0-9._:-]{8,128}", request_id)


def test_request_log_middleware_sets_header_and_logs_once(client, caplog):
    with caplog.at_level(logging.INFO, logger="vetted.request"):
        response = client.get("/robots.txt?q=private+search")
    (record,) = [r for r in caplog.records if r.name == "vetted.request"]
    assert record.request_id == response["X-Request-ID"]
    assert record.status == HTTPStatus.OK
    assert record.path == "/robots.txt"
    assert "private" not in record.getMessage()


def boom(request):
    raise RuntimeError("kaboom in a view")


urlpatterns = [path("boom/", boom)]


@override_settings(ROOT_URLCONF=__name__)
def test_view_error_is_logged_with_traceback_and_answered_with_the_500_page(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO):
        response = client.get("/boom/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Something went wrong on our side" in response.content.decode()
    (error,) = [r for r in caplog.records if r.name == "django.request"]
    line = JsonFormatter().format(error)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: kaboom in a view" in entry["traceback"]
    # One request line besides the error, not two.
    assert [r.name for r in caplog.records].count("vetted.request") == 1


def test_logging_config_sends_django_records_through_root_only():
    config = logging_config(json_lines=True)
    assert config["loggers"]["django"]["handlers"] == []
    assert config["handlers"]["stderr"]["stream"] == "ext://sys.stderr"
    assert config["handlers"]["stderr"]["formatter"] == "json"


# Error pages --------------------------------------------------------------------------------


def test_500_page_renders_without_any_context():
    page = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in page
    assert 'href="/"' in page


@pytest.mark.django_db
def test_403_page_shows_the_reason_and_where_to_go(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader-without-role"))
    response = client.get("/desk/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    page = response.content.decode()
    assert "You are not allowed to open this page" in page
    assert "The desk is for authors and editors." in page
    assert 'href="/admin/"' in page
    assert 'class="navbar-brand' in page
