"""Staff sessions end after idle time; one's sessions are listed and can be signed out, one or
all others, through the session store (db and cached_db alike)."""

from datetime import timedelta
from http import HTTPStatus
from importlib import import_module
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import SessionActivity
from tests import factories

pytestmark = pytest.mark.django_db

SESSIONS = "/account/sessions/"
ENGINES = ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]


@pytest.fixture(params=ENGINES, ids=["db", "cached_db"])
def engine(request):
    with override_settings(SESSION_ENGINE=request.param):
        cache.clear()
        yield request.param


def browser(user, agent: str, address: str) -> Client:
    """A browser that signs in through the desk's login page."""
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(
        "/desk/login/", {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND, response.content
    assert client.get(SESSIONS).status_code == HTTPStatus.OK
    return client


def expires_in(client) -> timedelta:
    return Session.objects.get(session_key=client.session.session_key).expire_date - timezone.now()


def later(seconds: int):
    """Every clock the sessions and the activity record read, moved forward."""
    moved = timezone.now() + timedelta(seconds=seconds)
    return mock.patch("django.utils.timezone.now", return_value=moved)


def test_staff_sessions_get_the_idle_expiry_and_authors_keep_the_default(editor, author):
    staff = browser(editor, "Firefox", "198.51.100.1")
    writer = browser(author, "Safari", "198.51.100.2")
    assert timedelta(minutes=29) < expires_in(staff) <= timedelta(minutes=30)
    assert expires_in(writer) > timedelta(days=13)
    assert str(staff.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == "1800"


def test_an_idle_staff_session_ends_and_an_authors_does_not(editor, author, settings):
    settings.VETTED_STAFF_IDLE_SECONDS = 600
    staff = browser(editor, "Firefox", "198.51.100.1")
    writer = browser(author, "Safari", "198.51.100.2")
    with later(601):
        assert staff.get("/desk/")["Location"].startswith("/desk/login/")
        assert writer.get("/desk/").status_code == HTTPStatus.OK


def test_activity_keeps_a_staff_session_alive_and_is_written_once_a_minute(editor, settings):
    settings.VETTED_STAFF_IDLE_SECONDS = 600
    staff = browser(editor, "Firefox", "198.51.100.1")
    row = SessionActivity.objects.get(user=editor)
    first_seen = row.last_seen
    staff.get("/desk/")
    row.refresh_from_db()
    assert row.last_seen == first_seen  # a second request within the minute writes nothing
    for minutes in (5, 10, 15):  # a request every five minutes, past the ten-minute limit
        with later(minutes * 60), mock.patch("time.time", return_value=_epoch(minutes * 60)):
            assert staff.get("/desk/").status_code == HTTPStatus.OK, minutes
    row.refresh_from_db()
    assert row.last_seen > first_seen + timedelta(minutes=14)


def _epoch(offset: int) -> float:
    return timezone.now().timestamp() + offset


def test_the_list_shows_each_browser_without_exposing_session_keys(editor, engine):
    here = browser(editor, "Firefox on Linux", "198.51.100.1")
    there = browser(editor, "Safari on iPhone", "203.0.113.7")
    page = here.get(SESSIONS).content.decode()
    assert "Firefox on Linux" in page and "Safari on iPhone" in page
    assert "198.51.100.1" in page and "203.0.113.7" in page
    assert "This browser" in page
    for client in (here, there):
        assert client.session.session_key not in page


def test_sign_out_everywhere_else_ends_the_other_sessions_in_the_store(editor, author, engine):
    here = browser(editor, "Firefox", "198.51.100.1")
    phones = [browser(editor, f"Phone {n}", "203.0.113.7") for n in range(2)]
    other_user = browser(author, "Safari", "198.51.100.9")
    keys = [phone.session.session_key for phone in phones]
    response = here.post(SESSIONS, {"everywhere_else": "1"}, follow=True)
    assert "Signed out of 2 other sessions." in response.content.decode()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for phone, key in zip(phones, keys, strict=True):
        assert store(session_key=key).load() == {}
        assert not Session.objects.filter(session_key=key).exists()
        assert phone.get("/desk/")["Location"].startswith("/desk/login/")
    assert here.get("/desk/").status_code == HTTPStatus.OK
    assert other_user.get("/desk/").status_code == HTTPStatus.OK
    assert SessionActivity.objects.filter(user=editor).count() == 1


def test_sign_out_one_session(editor, engine):
    here = browser(editor, "Firefox", "198.51.100.1")
    phone = browser(editor, "Phone", "203.0.113.7")
    laptop = browser(editor, "Laptop", "203.0.113.8")
    row = SessionActivity.objects.get(session_key=phone.session.session_key)
    response = here.post(SESSIONS, {"end": row.pk}, follow=True)
    assert "That session is signed out." in response.content.decode()
    assert phone.get("/desk/")["Location"].startswith("/desk/login/")
    assert laptop.get("/desk/").status_code == HTTPStatus.OK


def test_nobody_signs_out_someone_elses_session(editor, author):
    browser(editor, "Firefox", "198.51.100.1")
    victim = browser(author, "Safari", "198.51.100.2")
    row = SessionActivity.objects.get(user=author)
    attacker = Client()
    attacker.force_login(editor)
    for value in (str(row.pk), "", "abc", "-1", "9" * 30):
        response = attacker.post(SESSIONS, {"end": value}, follow=True)
        assert "That session had already ended." in response.content.decode()
    assert victim.get("/desk/").status_code == HTTPStatus.OK


def test_signing_out_forgets_the_session_and_expired_ones_drop_off_the_list(editor):
    gone = browser(editor, "Old phone", "203.0.113.7")
    here = browser(editor, "Firefox", "198.51.100.1")
    gone.post("/account/logout/")
    assert SessionActivity.objects.filter(user=editor).count() == 1
    stale = browser(editor, "Stale", "203.0.113.9")
    Session.objects.filter(session_key=stale.session.session_key).delete()
    page = here.get(SESSIONS).content.decode()
    assert "Stale" not in page and "Old phone" not in page
    assert SessionActivity.objects.filter(user=editor).count() == 1
