"""People with and without a second factor, and codes computed the way a phone computes them."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories


@pytest.fixture
def board_user(roles):
    return factories.BoardMemberFactory(user__username="dr-board").user


@pytest.fixture
def editor(roles):
    return factories.EditorFactory(username="ed")


@pytest.fixture
def author(roles):
    return factories.AuthorFactory(username="writer")


@pytest.fixture
def require_2fa(settings):
    settings.VETTED_REQUIRE_2FA = True


@pytest.fixture
def no_code_throttle(settings):
    """Tests that enter a wrong code and then the right one at once; the throttle itself is
    tested separately with the default factor."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The 6-digit code an authenticator app shows now (or that many 30 s steps later)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0 - steps_ahead * device.step,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{value:0{device.digits}d}"


def enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    """Sign in with the password, set up the app through the pages, and read the backup codes
    from the page that shows them once. The client stays signed in and verified."""
    client.force_login(user)
    response = client.get("/account/two-factor/setup/")
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        "/account/two-factor/setup/",
        {"device": device.pk, "code": code_for(device)},
        follow=True,
    )
    assert response.status_code == 200, response.content
    codes = [code.replace(" ", "") for code in response.context["codes"]]
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def fresh_sign_in(client, user):
    """A new browser: the password only, no code yet."""
    client.logout()
    client.force_login(user)
