"""Setting up two-factor sign-in: the QR page, confirming with a real code, backup codes shown
once, regenerating them, a new phone, and stale or unverified set-up forms."""

from http import HTTPStatus

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import code_for, enrol, fresh_sign_in

pytestmark = pytest.mark.django_db

SETUP = "/account/two-factor/setup/"
BACKUP = "/account/two-factor/backup-codes/"
VERIFY = "/account/verify/"


def test_setup_page_shows_a_qr_code_the_key_and_an_accessible_code_field(client, author):
    client.force_login(author)
    response = client.get(SETUP)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=author, confirmed=False)
    # The QR code is an inline data: image (the CSP allows data: images, no CDN, no script).
    assert 'src="data:image/svg+xml' in page
    assert "<script>" not in page
    assert response.context["secret"].replace(" ", "") in page.replace(" ", "")
    assert 'autocomplete="one-time-code"' in page
    assert '<label class="form-label fw-semibold" for="id_code">' in page
    assert f'name="device" value="{device.pk}"' in page
    # A second visit (another tab) shows the same key rather than a new one.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=author).count() == 1


def test_enrol_with_a_code_computed_from_the_device_key(client, board_user):
    device, codes = enrol(client, board_user)
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=board_user).values_list("token", flat=True)
    )
    # This session entered the code while setting up, so it is verified.
    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_backup_codes_are_shown_once(client, author):
    _, codes = enrol(client, author)
    page = client.get(BACKUP).content.decode()
    assert "10</strong> unused backup codes" in page
    assert not any(code[:4] in page for code in codes)


def test_wrong_code_is_refused_and_nothing_is_turned_on(client, author):
    client.force_login(author)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=author)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"device": device.pk, "code": wrong})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "That code does not match" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert device.throttling_failure_count == 1
    assert not StaticDevice.objects.filter(user=author).exists()


@pytest.mark.parametrize("code", ["", "abcdef", "12345", "1234567", "x" * 40])
def test_malformed_codes_are_refused_with_a_message(client, author, code):
    client.force_login(author)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=author)
    response = client.post(SETUP, {"device": device.pk, "code": code})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'class="invalid-feedback' in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_stale_setup_form_from_a_second_tab_is_refused(client, author):
    client.force_login(author)
    client.get(SETUP)
    stale = TOTPDevice.objects.get(user=author)
    client.post(SETUP, {"device": stale.pk, "code": code_for(stale)})
    assert TOTPDevice.objects.get(user=author).confirmed
    # The other tab posts the form it loaded earlier, even with a valid next code.
    response = client.post(SETUP, {"device": stale.pk, "code": code_for(stale, 1)})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This set-up page is out of date" in response.content.decode()
    assert TOTPDevice.objects.filter(user=author, confirmed=True).count() == 1
    assert StaticToken.objects.filter(device__user=author).count() == 10


def test_someone_with_only_the_password_cannot_add_a_phone(client, board_user):
    """A stolen password must not let the thief enrol their own phone over the real one."""
    enrol(client, board_user)
    fresh_sign_in(client, board_user)
    response = client.get(SETUP)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(VERIFY)
    response = client.post(SETUP, {"device": 1, "code": "123456"})
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=board_user).count() == 1
    assert client.post(BACKUP)["Location"].startswith(VERIFY)
    assert StaticToken.objects.filter(device__user=board_user).count() == 10


def test_regenerating_backup_codes_invalidates_the_old_ones(client, board_user, no_code_throttle):
    _, old = enrol(client, board_user)
    response = client.post(BACKUP, follow=True)
    new = [code.replace(" ", "") for code in response.context["codes"]]
    assert len(new) == 10 and not set(new) & set(old)
    fresh_sign_in(client, board_user)
    response = client.post(VERIFY, {"code": old[0]})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    response = client.post(VERIFY, {"code": new[0]})
    assert response.status_code == HTTPStatus.FOUND


def test_a_new_phone_replaces_the_old_one_and_keeps_the_backup_codes(client, author):
    old_device, codes = enrol(client, author)
    client.get(SETUP)
    new_device = TOTPDevice.objects.get(user=author, confirmed=False)
    assert new_device.key != old_device.key
    response = client.post(SETUP, {"device": new_device.pk, "code": code_for(new_device)})
    assert response.status_code == HTTPStatus.FOUND
    assert list(TOTPDevice.objects.filter(user=author)) == [new_device]
    assert StaticToken.objects.filter(device__user=author).count() == len(codes)
