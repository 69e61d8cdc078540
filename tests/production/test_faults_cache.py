"""Redis down: the public site serves uncached, /healthz names the cache, the follow-up form
fails closed while reading stays open, and cached_db sessions read the database.

The production cache backend (config.cache.ResilientRedisCache) points at 127.0.0.1:6390,
where nothing listens, so every connection is really refused; the working case uses the
Redis server CI and `make serve` run on 127.0.0.1:6379 (database 12).
"""

import logging
from http import HTTPStatus

import pytest
import redis
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import override_settings

from api.tokens import token_create
from articles.models import FollowUpQuestion
from tests import factories

pytestmark = pytest.mark.django_db

DOWN = "redis://127.0.0.1:6390/0"
UP = "redis://127.0.0.1:6379/12"
QUESTION = "Is it safe to exercise with a mild fever and a sore throat?"


def resilient(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "vetted-faults",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def redis_down(**extra):
    return override_settings(
        CACHES=resilient(DOWN),
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        **extra,
    )


@pytest.fixture
def article(audiences):
    return factories.article_submit_for_readers(
        factories.article_with_evidence(slug="fever-run", title="Can I run with a fever?")
    )


def _ask(client, article):
    return client.post(
        f"{article.get_absolute_url()}follow-up/",
        {"question": QUESTION, "email": "", "website": ""},
        REMOTE_ADDR="203.0.113.9",
    )


def test_public_pages_render_uncached_while_redis_is_down(client, article, caplog):
    with redis_down(), caplog.at_level(logging.INFO):
        for _ in range(2):  # the second read would come from the cache if Redis were up
            page = client.get(article.get_absolute_url())
            assert page.status_code == HTTPStatus.OK
            assert "Can I run with a fever?" in page.content.decode()
        assert client.get("/").status_code == HTTPStatus.OK
        assert client.get("/search/?q=fever").status_code == HTTPStatus.OK
    warnings = [r for r in caplog.records if r.name == "vetted.cache"]
    # Logged, but not once per call: one line per process per half minute.
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_healthz_names_the_cache_while_redis_is_down_and_is_green_when_it_is_back(client):
    with redis_down():
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["cache"]["status"] == "error"
    assert body["cache"]["error"] == "ConnectionError"
    with override_settings(CACHES=resilient(UP)):
        back = client.get("/healthz")
    assert back.status_code == HTTPStatus.OK
    assert back.json()["cache"]["status"] == "ok"


def test_follow_up_form_fails_closed_while_reading_stays_open(client, article):
    with redis_down():
        refused = _ask(client, article)
        assert refused.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert refused["Retry-After"] == "60"
        html = refused.content.decode()
        assert "We cannot accept questions for a few minutes" in html
        assert "Your question was not sent" in html
        # The reader's words are kept in the form to send again later.
        assert QUESTION in html
        assert FollowUpQuestion.objects.count() == 0
        # Reading the same article stays open.
        assert client.get(article.get_absolute_url()).status_code == HTTPStatus.OK
    with override_settings(CACHES=resilient(UP)):
        cache.clear()
        assert _ask(client, article).status_code == HTTPStatus.FOUND
    assert FollowUpQuestion.objects.count() == 1


def test_api_reading_stays_open_while_redis_is_down(client, article):
    _, raw = token_create(user=factories.UserFactory(), scopes=["content:read"])
    with redis_down():
        response = client.get("/api/v1/articles", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == HTTPStatus.OK
    assert [item["slug"] for item in response.json()["items"]] == ["fever-run"]


def test_signed_in_sessions_read_the_database_while_redis_is_down(client, author):
    with redis_down():
        client.force_login(author)
        for _ in range(2):
            desk = client.get("/desk/")
            assert desk.status_code == HTTPStatus.OK
            assert desk.context["user"] == author


def test_signing_out_while_redis_is_down_ends_the_session(client, author):
    from django.contrib.sessions.models import Session

    with redis_down():
        client.force_login(author)
        assert Session.objects.count() == 1
        response = client.post("/desk/logout/")
        assert response.status_code == HTTPStatus.FOUND
        assert Session.objects.count() == 0
        assert client.get("/desk/").status_code == HTTPStatus.FOUND  # to the sign-in page


def test_removals_made_while_redis_is_down_are_replayed_when_it_is_back(monkeypatch):
    """An ended session must not come back from Redis once Redis returns."""
    with override_settings(CACHES=resilient(UP)):
        cache.clear()
        cache.set("session-a", "signed in")
        cache.set("session-b", "signed in")
        client = cache._cache
        working = client.get_client

        def refuse(*args, **kwargs):
            raise redis.ConnectionError("Connection refused")

        monkeypatch.setattr(client, "get_client", refuse)
        assert cache.delete("session-a") is False
        cache.delete_many(["session-b"])
        monkeypatch.setattr(client, "get_client", working)
        cache._breaker.reset()
        # The first call that reaches Redis again replays both removals.
        assert cache.get("unrelated") is None
        assert cache.get("session-a") is None
        assert cache.get("session-b") is None
        cache.clear()


# The limiter and the backend on their own ------------------------------------------------


def test_follow_up_limit_counts_in_the_cache_so_simultaneous_questions_cannot_slip_past(
    client, article, settings
):
    """The database count is 0, but the window's counter already holds the limit."""
    from articles.services.follow_ups import _count_in_cache, client_hash

    settings.VETTED_FOLLOW_UP_RATE = 2
    client_key = client_hash("203.0.113.9")
    assert [_count_in_cache(client=client_key) for _ in range(2)] == [1, 2]
    response = _ask(client, article)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "questions recently" in str(list(get_messages(response.wsgi_request))[0])
    assert FollowUpQuestion.objects.count() == 0


def test_follow_up_limit_fails_closed_on_any_cache_that_cannot_count():
    """Django's plain RedisCache raises redis's own error; the limiter refuses all the same."""
    from articles.services.follow_ups import FollowUpRateLimitUnavailable, _count_in_cache

    plain = resilient(DOWN)
    plain["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
    with override_settings(CACHES=plain), pytest.raises(FollowUpRateLimitUnavailable):
        _count_in_cache(client="someone")


def test_resilient_cache_degrades_reads_writes_and_removals_and_refuses_counts():
    from config.cache import CacheUnavailable

    with override_settings(CACHES=resilient(DOWN)):
        assert cache.get("k", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("k") is False
        assert cache.set("k", 1) is None
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.add("k", 1) is False
        assert cache.touch("k") is False
        assert cache.delete("k") is False
        assert cache.delete_many(["k"]) is None
        for refused in (
            lambda: cache.incr("k"),
            lambda: cache.decr("k"),
            cache.clear,
        ):
            with pytest.raises(CacheUnavailable):
                refused()
        # A caller that knows only Django's API sees "no such counter".
        assert issubclass(CacheUnavailable, ValueError)
        with pytest.raises(redis.ConnectionError):
            cache.ping()


def test_resilient_cache_stops_asking_a_dead_redis_for_a_moment(monkeypatch):
    import config.cache

    with override_settings(CACHES=resilient(DOWN)):
        calls = []
        client = cache._cache
        original = client.get_client

        def counting(*args, **kwargs):
            calls.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(client, "get_client", counting)
        for _ in range(20):
            cache.get("k")
        assert len(calls) == 1
        monkeypatch.setattr(config.cache, "RETRY_SECONDS", 0.0)
        cache._breaker.reset()
        cache.get("k")
        cache.get("k")
        assert len(calls) == 3


def test_resilient_cache_works_like_redis_cache_when_redis_is_up():
    with override_settings(CACHES=resilient(UP)):
        cache.clear()
        cache.set("k", {"a": 1})
        assert cache.get("k") == {"a": 1}
        assert cache.add("n", 1) is True
        assert cache.incr("n") == 2
        with pytest.raises(ValueError):
            cache.incr("missing")
        cache.delete("k")
        assert cache.get("k") is None
        cache.ping()
        cache.clear()
