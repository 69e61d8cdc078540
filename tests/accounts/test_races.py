"""Two browsers enter the same code at the same instant: the device row is locked while a code
is checked, so one code verifies one session, and one backup code signs in once."""

import threading
from http import HTTPStatus

import pytest
from django.db import connection, connections
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken

from tests import factories
from tests.accounts.conftest import code_for, enrol

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(user, code: str) -> list[int]:
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(2)
    statuses = []

    def verify(client):
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post("/account/verify/", {"code": code}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=verify, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


def test_one_app_code_verifies_one_of_two_racing_sessions(roles, settings):
    assert connection.vendor == "postgresql"
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = factories.EditorFactory(username="racer")
    device, _ = enrol(Client(), user)
    assert race(user, code_for(device, 1)) == [HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST]


def test_one_backup_code_signs_in_once_under_a_race(roles, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    user = factories.EditorFactory(username="racer2")
    _, codes = enrol(Client(), user)
    assert race(user, codes[0]) == [HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST]
    assert StaticToken.objects.filter(device__user=user).count() == 9
