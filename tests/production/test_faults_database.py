"""A database outage answers a fast, styled 503, never a traceback 500, and heals by itself.

In-process tests simulate the outage by making every cursor raise. The subprocess tests run
the production settings against a real PostgreSQL (the one CI and `make serve` use), through
Django's WSGI handler so its connection housekeeping runs as under gunicorn: a port where
nothing listens, and a server that drops every connection of ours, with and without
``?pool=true``. scripts/fault_drill.py restarts a real server under load.
"""

import json
import logging
import textwrap
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from psycopg_pool import PoolTimeout

from config.outage import RETRY_AFTER_SECONDS, is_outage
from tests import factories
from tests.test_production import run_python

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(audiences):
    return factories.article_submit_for_readers(
        factories.article_with_evidence(slug="fault-page", title="Can a fever be good for you?")
    )


def _refuse(*args, **kwargs):
    raise OperationalError('connection to server at "db.internal" failed: Connection refused')


def _assert_outage_page(response):
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "We will be back in a moment" in html
    assert "css/vetted.css" in html  # the site's look, not a bare page
    # No traceback, no driver message, no host name.
    for leak in ("Traceback", "OperationalError", "db.internal", "refused"):
        assert leak not in html
    assert response["X-Request-ID"] in html


@pytest.mark.parametrize("page", ["home", "article", "search"])
def test_outage_in_a_view_is_a_503_page_logged_once_as_a_warning(
    client, article, monkeypatch, caplog, page
):
    url = {"home": "/", "article": article.get_absolute_url(), "search": "/search/?q=fever"}[page]
    assert client.get(url).status_code == HTTPStatus.OK
    cache.clear()  # a cold cache: the page needs the database
    monkeypatch.setattr(connection, "cursor", _refuse)
    with caplog.at_level(logging.INFO):
        response = client.get(url)
    _assert_outage_page(response)
    outage = [r for r in caplog.records if r.name == "vetted.outage"]
    assert len(outage) == 1
    assert outage[0].levelno == logging.WARNING
    assert outage[0].request_id == response["X-Request-ID"]
    assert "Connection refused" in outage[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_article_page_already_in_the_cache_keeps_serving_during_an_outage(
    client, article, monkeypatch
):
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.OK
    monkeypatch.setattr(connection, "cursor", _refuse)
    page = client.get(article.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    assert "Can a fever be good for you?" in page.content.decode()


def test_outage_in_the_api_is_a_503_problem_document(client, monkeypatch):
    from api.tokens import token_create

    _, raw = token_create(user=factories.UserFactory(), scopes=["content:read"])
    monkeypatch.setattr(connection, "cursor", _refuse)
    response = client.get("/api/v1/articles", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["status"] == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["type"].endswith("/unavailable")
    assert "refused" not in response.content.decode()


def test_outage_on_a_form_post_is_a_503_and_nothing_is_saved(client, article, monkeypatch):
    from articles.models import FollowUpQuestion

    monkeypatch.setattr(connection, "cursor", _refuse)
    response = client.post(
        f"{article.get_absolute_url()}follow-up/",
        {"question": "Is a fever of 38 degrees dangerous for adults?", "email": ""},
    )
    _assert_outage_page(response)
    monkeypatch.undo()
    assert FollowUpQuestion.objects.count() == 0


class FailingMiddleware:
    """Fails after the view, as saving a session to an unreachable database would."""

    error: Exception = InterfaceError("connection already closed")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise self.error


class NotAnOutageMiddleware(FailingMiddleware):
    error = RuntimeError("a bug, not an outage")


def test_outage_raised_by_a_middleware_is_a_503_through_handler500(settings, caplog):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.FailingMiddleware"]
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/robots.txt")
    _assert_outage_page(response)
    # Logged once, as a warning: Django's own "Internal Server Error" traceback is not added.
    assert [r.name for r in caplog.records if r.levelno >= logging.WARNING] == ["vetted.outage"]


def test_other_errors_raised_by_a_middleware_still_get_the_500_page(settings, caplog):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.NotAnOutageMiddleware"]
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Something went wrong on our side" in response.content.decode()
    (error,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.name == "django.request"


def test_outage_errors_include_the_pool_timeout_but_not_programming_errors():
    from django.db import IntegrityError, ProgrammingError

    assert is_outage(PoolTimeout("couldn't get a connection after 3.00 sec"))
    assert is_outage(OperationalError("server closed the connection unexpectedly"))
    assert is_outage(InterfaceError("connection already closed"))
    assert not is_outage(ProgrammingError("column does not exist"))
    assert not is_outage(IntegrityError("duplicate key"))
    assert not is_outage(ValueError("bad input"))


# Production settings against a real server, in a subprocess -------------------------------

WSGI_REQUEST = """
    import json, time
    from django.core.wsgi import get_wsgi_application
    from django.test import RequestFactory

    from django.conf import settings

    # Nothing was collected for this run: plain static storage instead of the manifest. And
    # no task tables in this database: /healthz's worker part must not query (and fail).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    app = get_wsgi_application()

    def get(path):
        # Through the WSGI handler, as gunicorn calls it: request_started and request_finished
        # run Django's connection housekeeping, which the test client skips.
        environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
        seen = {}
        started = time.perf_counter()
        result = app(environ, lambda status, headers: seen.update(status=status))
        body = b"".join(result)
        result.close()  # sends request_finished, as gunicorn does
        took = time.perf_counter() - started
        return int(seen["status"].split()[0]), body.decode(), took
"""


def _production(code: str, database_url: str):
    result = run_python(
        textwrap.dedent(WSGI_REQUEST) + textwrap.dedent(code),
        DATABASE_URL=database_url,
        REDIS_URL="redis://127.0.0.1:6379/13",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_SECURE_SSL_REDIRECT="false",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("pool", [False, True], ids=["persistent", "pool"])
def test_production_unreachable_postgresql_answers_503_fast(pool):
    url = "postgres://postgres@127.0.0.1:6399/vetted" + ("?pool=true" if pool else "")
    outcome = _production(
        """
        status, body, took = get("/")
        health, health_body, health_took = get("/healthz")
        print(json.dumps({"status": status, "took": took, "page": "back in a moment" in body,
                          "health": health, "failing": json.loads(health_body)["failing"],
                          "health_took": health_took}))
        """,
        url,
    )
    assert outcome["status"] == HTTPStatus.SERVICE_UNAVAILABLE
    assert outcome["page"]
    # Refused at once without a pool; the pool waits its 2 s timeout, never 30.
    assert outcome["took"] < 5
    # The next request within a second does not wait again (config/pgpool).
    assert outcome["health_took"] < 1
    assert outcome["health"] == HTTPStatus.SERVICE_UNAVAILABLE
    assert "database" in outcome["failing"]


@pytest.mark.parametrize("pool", [False, True], ids=["persistent", "pool"])
def test_production_drops_a_connection_the_server_killed_and_reconnects(pool):
    """The server ends our connections (as a restart does); the next request still succeeds."""
    name = f"vetted-fault-{'pool' if pool else 'persistent'}"
    url = f"postgres://postgres@127.0.0.1:5432/postgres?application_name={name}"
    outcome = _production(
        f"""
        import psycopg

        def database_ok():
            status, body, _ = get("/healthz")
            return json.loads(body)["database"]["status"]

        before = database_ok()
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres",
                             autocommit=True) as admin:
            killed = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s", [{name!r}]
            ).fetchone()[0]
        time.sleep(0.2)
        after = [database_ok() for _ in range(3)]
        print(json.dumps({{"before": before, "killed": killed, "after": after}}))
        """,
        url + ("&pool=true" if pool else ""),
    )
    assert outcome["before"] == "ok"
    assert outcome["killed"] >= 1  # a connection was kept (persistent or pooled) and killed
    assert outcome["after"] == ["ok", "ok", "ok"]
