"""Sign-in throttling (django-axes) on both login pages: lockout per username and address, the
lockout page, the audit of attempts, and the client address behind a proxy."""

from http import HTTPStatus

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

LOGIN_PAGES = ["/desk/login/", "/admin/login/"]
RIGHT, WRONG = "right-password-4821", "wrong-password"
ATTEMPTS = 30


@pytest.fixture
def axes_on():
    # The test settings switch axes off for the test client's login(); these tests use the
    # real login pages instead.
    with override_settings(AXES_ENABLED=True):
        yield


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=RIGHT, is_staff=True)


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password=RIGHT, is_staff=True)


def sign_in(client, page: str, username: str, password: str, **extra):
    return client.post(page, {"username": username, "password": password}, **extra)


def signed_in_as(client) -> str | None:
    from django.contrib.auth import get_user_model

    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id).username if user_id else None


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_login_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(client, alice, page):
    statuses = [sign_in(client, page, "alice", WRONG).status_code for _ in range(ATTEMPTS)]
    # Four ordinary refusals, then the lockout page from the fifth failure on.
    assert statuses[:4] == [HTTPStatus.OK] * 4
    assert set(statuses[4:]) == {HTTPStatus.TOO_MANY_REQUESTS}
    response = sign_in(client, page, "alice", RIGHT)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert signed_in_as(client) is None


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_login_lockout_leaves_other_users_and_other_addresses_alone(client, alice, bob, page):
    for _ in range(ATTEMPTS):
        sign_in(client, page, "alice", WRONG)
    # Another user from the same address.
    response = sign_in(client, page, "bob", RIGHT)
    assert response.status_code == HTTPStatus.FOUND
    assert signed_in_as(client) == "bob"
    client.logout()
    # The same user from another address.
    response = sign_in(client, page, "alice", RIGHT, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == HTTPStatus.FOUND
    assert signed_in_as(client) == "alice"


def test_login_lockout_page_says_what_happened_in_the_site_look(client, alice):
    for _ in range(5):
        response = sign_in(client, "/desk/login/", "alice", WRONG)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    page = response.content.decode()
    assert "Sign-in is paused for this account" in page
    assert "5 failed sign-in attempts for <strong>alice</strong>" in page
    assert "for 15 minutes" in page
    assert 'class="navbar-brand' in page  # base.html: the site's header and styles
    assert "wrong-password" not in page


def test_login_success_before_the_limit_resets_the_count(client, alice):
    for _ in range(4):
        sign_in(client, "/desk/login/", "alice", WRONG)
    assert sign_in(client, "/desk/login/", "alice", RIGHT).status_code == HTTPStatus.FOUND
    client.logout()
    for _ in range(4):
        assert sign_in(client, "/desk/login/", "alice", WRONG).status_code == HTTPStatus.OK
    assert sign_in(client, "/desk/login/", "alice", RIGHT).status_code == HTTPStatus.FOUND


def test_login_attempts_are_audited(client, alice):
    for _ in range(6):
        sign_in(client, "/admin/login/", "alice", WRONG, HTTP_USER_AGENT="curl/8")
    attempt = AccessAttempt.objects.get(username="alice")
    assert attempt.ip_address == "127.0.0.1"
    assert attempt.failures_since_start >= 5
    assert attempt.user_agent == "curl/8"
    assert AccessFailureLog.objects.filter(username="alice", ip_address="127.0.0.1").count() >= 5
    # Passwords are never stored with the attempt.
    assert WRONG not in attempt.post_data

    sign_in(client, "/admin/login/", "bob-does-not-exist", WRONG)
    assert AccessAttempt.objects.filter(username="bob-does-not-exist").exists()
    client.logout()
    sign_in(client, "/desk/login/", "alice", RIGHT, REMOTE_ADDR="198.51.100.1")
    assert AccessLog.objects.filter(username="alice", ip_address="198.51.100.1").exists()


# Behind nginx: the client address comes from the proxy's X-Forwarded-For entry ---------------


@override_settings(VETTED_TRUSTED_PROXY_HOPS=1)
def test_login_behind_proxy_locks_the_client_address_not_the_proxy(client, alice):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(ATTEMPTS):
        sign_in(
            client, "/desk/login/", "alice", WRONG, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy
        )
    assert AccessAttempt.objects.get(username="alice").ip_address == "198.51.100.7"
    # A forged entry to the left of the proxy's own is ignored: still the same client.
    response = sign_in(
        client,
        "/desk/login/",
        "alice",
        RIGHT,
        HTTP_X_FORWARDED_FOR="192.0.2.44, 198.51.100.7",
        **proxy,
    )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    # Another reader behind the same proxy signs in.
    response = sign_in(
        client, "/desk/login/", "alice", RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy
    )
    assert response.status_code == HTTPStatus.FOUND
    assert signed_in_as(client) == "alice"


def test_login_without_trusted_proxy_ignores_x_forwarded_for(client, alice):
    for n in range(ATTEMPTS):
        # Rotating the header would dodge the lockout if it were trusted.
        sign_in(client, "/desk/login/", "alice", WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = sign_in(client, "/desk/login/", "alice", RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
