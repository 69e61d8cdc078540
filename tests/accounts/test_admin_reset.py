"""A lost phone: an editor resets a colleague's two-factor sign-in from the admin, audited;
nobody resets their own, and only editors see the devices."""

from http import HTTPStatus

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import enrol

pytestmark = pytest.mark.django_db

DEVICES = "/admin/otp_totp/totpdevice/"


def reset(client, device):
    return client.post(
        DEVICES, {"action": "reset_two_factor", "_selected_action": [device.pk]}, follow=True
    )


def test_editor_resets_a_board_members_two_factor_and_it_is_recorded(
    client, editor, board_user, require_2fa
):
    member_browser = Client()
    device, _ = enrol(member_browser, board_user)
    member_browser.get("/admin/")  # recorded in the session list
    enrol(client, editor)
    page = client.get(DEVICES).content.decode()
    assert "dr-board" in page
    assert device.key not in page  # keys are never shown
    response = reset(client, device)
    assert response.status_code == HTTPStatus.OK
    assert "two-factor sign-in reset and signed out everywhere" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=board_user).exists()
    assert not StaticDevice.objects.filter(user=board_user).exists()
    entry = LogEntry.objects.get(object_id=str(board_user.pk))
    assert entry.user == editor
    assert "Reset two-factor sign-in" in entry.get_change_message()
    # The member's open session ended; at the next sign-in they set up a phone again.
    assert member_browser.get("/admin/")["Location"].startswith("/admin/login/")
    member_browser.force_login(board_user)
    assert member_browser.get("/admin/")["Location"].startswith("/account/two-factor/setup/")


def test_nobody_resets_their_own_two_factor(client, editor):
    device, _ = enrol(client, editor)
    response = reset(client, device)
    assert "cannot reset your own" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not LogEntry.objects.exists()


def test_board_members_do_not_see_or_reset_devices(client, board_user, editor):
    device, _ = enrol(Client(), editor)
    client.force_login(board_user)
    assert client.get(DEVICES).status_code == HTTPStatus.FORBIDDEN
    assert reset(client, device).status_code == HTTPStatus.FORBIDDEN
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_device_admin_has_no_add_change_or_delete(client, editor, board_user):
    device, _ = enrol(Client(), board_user)
    client.force_login(editor)
    assert client.get(f"{DEVICES}add/").status_code == HTTPStatus.FORBIDDEN
    response = client.post(f"{DEVICES}{device.pk}/change/", {"name": "x", "key": "00"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert client.post(f"{DEVICES}{device.pk}/delete/", {"post": "yes"}).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk, name="Authenticator app").exists()
