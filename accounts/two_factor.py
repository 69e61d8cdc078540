"""Two-factor sign-in with django-otp: an authenticator app (TOTP) and one-time backup codes.

Every check goes through a django-otp device, so its throttling applies: each wrong code
doubles the wait before the next attempt on that device. A TOTP code is accepted once (the
device remembers the last time step it accepted); a backup code is deleted when used.
"""

import logging
import re

import django_otp
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import policy

log = logging.getLogger("vetted.accounts")

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
TOTP_CODE = re.compile(r"^\d{6}$")


class CodeRefused(Exception):
    """A code was not accepted; the message says why, for the person signing in."""


def normalise(code: str) -> str:
    """Codes may be typed with spaces or a dash (backup codes are shown as "abcd efgh")."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def has_device(user) -> bool:
    """Whether the user finished setting up an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _throttle_message(device) -> str | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    if (info or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        until = info.get("locked_until")
        seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
        return (
            f"Too many wrong codes. Wait {seconds} second{'s' if seconds != 1 else ''} "
            "and try again."
        )
    return "This code cannot be checked right now. Try again in a moment."


# ------------------------------------------------------------------------------
# Enrolment
# ------------------------------------------------------------------------------
def pending_app_device(*, user) -> TOTPDevice:
    """The authenticator-app device being set up: the same one on every visit until it is
    confirmed, so two open set-up pages show the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def confirm_app_device(*, user, device_id: int, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a code from the app. Replaces any earlier app (a new
    phone) and, on a first set-up, issues backup codes, which are returned to be shown once.
    """
    code = normalise(code)
    # A refusal is raised after the transaction commits, so a wrong code still counts
    # towards the device's throttle.
    refusal = None
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False, pk=device_id)
            .first()
        )
        if device is None:
            refusal = (
                "This set-up page is out of date: the app was already set up or set-up was "
                "started again. Open the set-up page again."
            )
        else:
            refusal = _throttle_message(device)
        if refusal is None and not (TOTP_CODE.match(code) and device.verify_token(code)):
            refusal = (
                "That code does not match. Check the phone's clock and enter the 6-digit "
                "code the app shows now."
            )
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = [] if backup_codes_left(user) else _issue_backup_codes(user)
    if refusal is not None:
        raise CodeRefused(refusal)
    log.info("two-factor app set up", extra={"user_id": user.pk})
    return device, codes


def _issue_backup_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": BACKUP_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def regenerate_backup_codes(*, user) -> list[str]:
    """New backup codes for a user with an app; every earlier code stops working."""
    with transaction.atomic():
        if not has_device(user):
            raise CodeRefused("Set up an authenticator app before asking for backup codes.")
        codes = _issue_backup_codes(user)
    log.info("two-factor backup codes regenerated", extra={"user_id": user.pk})
    return codes


# ------------------------------------------------------------------------------
# Verification at sign-in
# ------------------------------------------------------------------------------
def verify(*, user, code: str):
    """The device that accepts the code: the app for six digits, else a backup code.

    Raises CodeRefused with the reason, including the wait after repeated wrong codes.
    """
    code = normalise(code)
    if not code or len(code) > 16:
        raise CodeRefused("Enter the 6-digit code from your app, or one of your backup codes.")
    model = TOTPDevice if TOTP_CODE.match(code) else StaticDevice
    devices = list(model.objects.filter(user=user, confirmed=True).order_by("pk"))
    for device in devices:
        refusal = _throttle_message(device)
        if refusal:
            log.warning("two-factor code refused: throttled", extra={"user_id": user.pk})
            raise CodeRefused(refusal)
        accepted = django_otp.verify_token(user, device.persistent_id, code)
        if accepted is not None:
            log.info(
                "two-factor code accepted",
                extra={"user_id": user.pk, "device": model.__name__},
            )
            return accepted
    log.warning("two-factor code refused", extra={"user_id": user.pk})
    if model is TOTPDevice:
        raise CodeRefused(
            "That code does not match, or it was already used. Wait for the next code in your app."
        )
    raise CodeRefused("That backup code does not match, or it was already used.")


# ------------------------------------------------------------------------------
# Recovery by an editor
# ------------------------------------------------------------------------------
def reset(*, user, target) -> int:
    """Remove every device of ``target`` (a lost phone), sign them out everywhere, and
    record who did it in the admin's history of that user. Returns the devices removed."""
    from accounts import sessions

    if not policy.may_reset_second_factor(user):
        raise PermissionDenied("Only editors reset another person's two-factor sign-in.")
    if target.pk == user.pk:
        raise PermissionDenied(
            "You cannot reset your own two-factor sign-in; ask another editor, or use a "
            "backup code."
        )
    with transaction.atomic():
        removed = sum(
            model.objects.filter(user=target).delete()[1].get(model._meta.label, 0)
            for model in (TOTPDevice, StaticDevice)
        )
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[target],
            action_flag=CHANGE,
            change_message="Reset two-factor sign-in (devices and backup codes removed).",
            single_object=True,
        )
    ended = sessions.end_all(user=target)
    log.warning(
        "two-factor reset",
        extra={"user_id": target.pk, "by_user_id": user.pk, "devices": removed, "ended": ended},
    )
    return removed
