"""Entering a code after the password: the app's code, a backup code once, no replay, the
throttle, and a safe place to go next."""

from http import HTTPStatus

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import code_for, enrol, fresh_sign_in

pytestmark = pytest.mark.django_db

VERIFY = "/account/verify/"


def test_the_apps_code_lets_a_board_member_into_the_admin(client, board_user, require_2fa):
    device, _ = enrol(client, board_user)
    fresh_sign_in(client, board_user)
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    page = client.get(f"{VERIFY}?next=/admin/").content.decode()
    assert 'autocomplete="one-time-code"' in page
    response = client.post(VERIFY, {"code": code_for(device, 1), "next": "/admin/"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_a_used_code_cannot_be_replayed_in_another_browser(client, board_user):
    device, _ = enrol(client, board_user)  # used the current code
    code = code_for(device, 1)
    first = Client()
    first.force_login(board_user)
    assert first.post(VERIFY, {"code": code}).status_code == HTTPStatus.FOUND
    # Someone who watched the code being typed tries it in their own browser.
    second = Client()
    second.force_login(board_user)
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "already used" in response.content.decode()
    assert second.get("/admin/")["Location"].startswith(VERIFY)
    # And the code of the enrolment itself, which is older, is refused too.
    assert second.post(VERIFY, {"code": code_for(device)}).status_code == HTTPStatus.BAD_REQUEST


def test_a_backup_code_works_once(client, board_user, no_code_throttle):
    _, codes = enrol(client, board_user)
    fresh_sign_in(client, board_user)
    # Typed the way it is shown, with a space and in capitals.
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    response = client.post(VERIFY, {"code": typed}, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "You signed in with a backup code; 9 left" in response.content.decode()
    assert StaticToken.objects.filter(device__user=board_user).count() == 9
    fresh_sign_in(client, board_user)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "That backup code does not match, or it was already used" in response.content.decode()
    assert client.post(VERIFY, {"code": codes[1]}).status_code == HTTPStatus.FOUND


@pytest.fixture
def slow_throttle(settings):
    """The first wrong code blocks the next attempt for 30 s rather than 1 s, so a slow
    machine cannot outwait it between two requests."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    settings.OTP_STATIC_THROTTLE_FACTOR = 30


def test_wrong_codes_are_throttled_even_when_the_right_one_follows(
    client, board_user, slow_throttle
):
    device, _ = enrol(client, board_user)
    fresh_sign_in(client, board_user)
    wrong = f"{(int(code_for(device, 1)) + 1) % 1_000_000:06d}"
    assert client.post(VERIFY, {"code": wrong}).status_code == HTTPStatus.BAD_REQUEST
    response = client.post(VERIFY, {"code": code_for(device, 1)})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Too many wrong codes. Wait 30 seconds" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_backup_codes_are_throttled_too(client, board_user, slow_throttle):
    _, codes = enrol(client, board_user)
    fresh_sign_in(client, board_user)
    assert client.post(VERIFY, {"code": "notacode"}).status_code == HTTPStatus.BAD_REQUEST
    response = client.post(VERIFY, {"code": codes[0]})
    assert "Too many wrong codes" in response.content.decode()
    assert StaticToken.objects.filter(device__user=board_user).count() == 10


def test_verifying_gives_the_session_a_new_key(client, board_user, no_code_throttle):
    device, _ = enrol(client, board_user)
    fresh_sign_in(client, board_user)
    before = client.session.session_key
    client.post(VERIFY, {"code": code_for(device, 1)})
    assert client.session.session_key != before


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_next_never_leaves_the_site(client, board_user, no_code_throttle, target):
    device, _ = enrol(client, board_user)
    fresh_sign_in(client, board_user)
    response = client.post(VERIFY, {"code": code_for(device, 1), "next": target})
    assert response["Location"] == "/admin/"


def test_a_user_without_a_device_is_not_asked_for_a_code(client, author):
    client.force_login(author)
    assert client.get(VERIFY)["Location"] == "/desk/"
    assert not TOTPDevice.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for url in (VERIFY, "/account/two-factor/setup/", "/account/sessions/"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith("/desk/login/?next=")
    assert not TOTPDevice.objects.exists()
