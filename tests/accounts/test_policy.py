"""Who must use a second factor, and where: VETTED_REQUIRE_2FA sends board members, editors and
staff with only a password to set-up or to the code page before any admin, desk or account
page (direct URLs included); authors may choose; the public site, the token API and /healthz
never ask."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts import policy
from api.tokens import token_create
from articles.roles import BOARD
from tests import factories
from tests.accounts.conftest import enrol, fresh_sign_in
from tests.test_production import run_python

pytestmark = pytest.mark.django_db

SETUP = "/account/two-factor/setup/"
VERIFY = "/account/verify/"


def guarded_urls(user) -> list[str]:
    article = factories.ArticleFactory()
    return [
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        f"/admin/auth/user/{user.pk}/change/",
        f"/admin/auth/user/{user.pk}/password/",
        "/desk/",
        "/desk/articles/new/",
        f"/desk/articles/{article.pk}/",
        "/account/sessions/",
        "/account/two-factor/",
        "/account/two-factor/backup-codes/",
        # The board's working pages beside its public list: compare and go-live.
        f"/board/compare/{article.pk}/",
        f"/board/release/{article.pk}/",
    ]


@pytest.mark.parametrize("who", ["board_user", "editor"])
def test_password_only_staff_reach_no_admin_or_desk_page(client, request, require_2fa, who):
    user = request.getfixturevalue(who)
    user.is_superuser = True  # every admin page would otherwise open for them
    user.save()
    client.force_login(user)
    for url in guarded_urls(user):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND, url
        assert response["Location"].startswith(f"{SETUP}?next="), url
    # Writes are sent away too, before any view runs.
    response = client.post("/admin/auth/user/add/", {"username": "mallory"})
    assert response["Location"].startswith(SETUP)
    assert not type(user).objects.filter(username="mallory").exists()


def test_enrolled_staff_with_only_a_password_are_asked_for_the_code(client, editor, require_2fa):
    enrol(client, editor)
    fresh_sign_in(client, editor)
    for url in guarded_urls(editor):
        response = client.get(url)
        assert response["Location"].startswith(f"{VERIFY}?next="), url


def test_admin_login_page_sends_an_unverified_member_on_to_the_code(client, board_user):
    enrol(client, board_user)
    fresh_sign_in(client, board_user)
    response = client.get("/admin/login/?next=/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert "Enter your sign-in code" in response.content.decode()


def test_a_board_member_without_staff_status_is_still_required(client, roles, require_2fa):
    user = factories.UserFactory(username="reviewer-only", is_staff=False, role=BOARD)
    assert Group.objects.get(name=BOARD).permissions.exists()
    assert policy.second_factor_required(user)
    client.force_login(user)
    assert client.get("/account/sessions/")["Location"].startswith(SETUP)


def test_authors_are_not_forced_but_may_enrol(client, author, require_2fa):
    assert not policy.second_factor_required(author)
    client.force_login(author)
    assert client.get("/desk/").status_code == HTTPStatus.OK
    assert client.get("/account/sessions/").status_code == HTTPStatus.OK
    enrol(client, author)
    fresh_sign_in(client, author)
    # Once enrolled, the author's own choice is enforced like anyone's.
    assert client.get("/desk/")["Location"].startswith(VERIFY)


def test_without_the_requirement_staff_sign_in_with_a_password(client, board_user, editor):
    """The demo (`make run`): VETTED_REQUIRE_2FA is off, so the seed's logins just work."""
    client.force_login(board_user)
    assert client.get("/admin/").status_code == HTTPStatus.OK
    client.force_login(editor)
    assert client.get("/desk/").status_code == HTTPStatus.OK


def test_public_site_api_and_healthz_never_ask_for_a_code(client, board_user, require_2fa):
    client.force_login(board_user)
    for url in ("/", "/board/", "/search/", "/robots.txt", "/sitemap.xml", "/healthz"):
        response = client.get(url)
        assert response.status_code != HTTPStatus.FOUND or not response["Location"].startswith(
            ("/account/",)
        ), url
    assert client.get("/").status_code == HTTPStatus.OK
    # The API authenticates each request by its token, never by the session.
    _, raw = token_create(user=board_user, scopes=["review:read"])
    api = Client()
    response = api.get("/api/v1/review/queue", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == HTTPStatus.OK


def test_login_and_logout_pages_stay_open(client, board_user, require_2fa):
    client.force_login(board_user)
    assert client.get("/desk/login/").status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    response = client.post("/admin/logout/")
    assert response.status_code == HTTPStatus.OK
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("settings_module", "expected"),
    [("config.settings.production", "True 1800"), ("config.settings.local", "False 1800")],
)
def test_production_requires_two_factor_and_the_local_demo_does_not(settings_module, expected):
    result = run_python(
        "from django.conf import settings\n"
        "print(settings.VETTED_REQUIRE_2FA, settings.VETTED_STAFF_IDLE_SECONDS)\n"
        "print('accounts.middleware.SecondFactorMiddleware' in settings.MIDDLEWARE)",
        settings=settings_module,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [*expected.split(), "True"]
