"""Tokens: hashed, shown once, scoped by role, expiring, revocable and rate limited."""

import io
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import ApiToken
from api.tokens import token_create, token_hash, token_revoke
from articles.roles import AUTHORS
from tests import factories
from tests.api.conftest import ApiClient, draft_payload, problem


def test_only_a_keyed_hash_and_a_prefix_are_stored(author, roles):
    token, raw = token_create(user=author, scopes=["drafts:write"])

    stored = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith("vtd_") and len(raw) > 40
    assert stored.key_hash == token_hash(raw) != raw
    assert raw.startswith(stored.prefix) and len(stored.prefix) == 12
    assert raw not in str(ApiToken.objects.values().get(pk=token.pk))


@pytest.mark.parametrize(
    ("role", "scope", "allowed"),
    [
        ("author", "drafts:write", True),
        ("editor", "drafts:write", True),
        ("board", "drafts:write", False),
        ("reader", "drafts:write", False),
        ("author", "content:read", True),
        ("reader", "content:read", True),
        ("board", "review:read", True),
        ("editor", "review:read", True),
        ("author", "review:read", False),
    ],
)
def test_scopes_follow_the_roles(roles, role, scope, allowed):
    user = {
        "author": factories.AuthorFactory,
        "editor": factories.EditorFactory,
        "board": lambda: factories.BoardMemberFactory().user,
        "reader": factories.UserFactory,
    }[role]()
    if allowed:
        assert token_create(user=user, scopes=[scope])[0].scopes == [scope]
    else:
        with pytest.raises(ValidationError):
            token_create(user=user, scopes=[scope])


def test_missing_unknown_expired_and_revoked_tokens_are_401(client, author, setup):
    expired, expired_raw = token_create(user=author, scopes=["drafts:write"], expires_in_days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    revoked, revoked_raw = token_create(user=author, scopes=["drafts:write"])
    token_revoke(token=revoked)

    for raw in (None, "vtd_unknown", expired_raw, revoked_raw):
        response = ApiClient(client, raw).get("/api/v1/drafts")
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert problem(response)["type"].endswith("unauthorized")
        assert response["WWW-Authenticate"].startswith("Bearer")
    basic = client.get("/api/v1/drafts", headers={"Authorization": "Basic dTpw"})
    assert basic.status_code == HTTPStatus.UNAUTHORIZED


def test_token_of_a_user_who_lost_the_role_is_refused(make_client, author, setup):
    writer = make_client(author, ["drafts:write"])
    author.groups.remove(Group.objects.get(name=AUTHORS))

    response = writer.post("/api/v1/drafts", draft_payload())

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert problem(response)["type"].endswith("role-refused")


def test_token_of_an_inactive_user_is_401(make_client, author, setup):
    writer = make_client(author, ["drafts:write"])
    author.is_active = False
    author.save()
    assert writer.get("/api/v1/drafts").status_code == HTTPStatus.UNAUTHORIZED


def test_last_used_is_recorded(make_client, author, setup):
    writer = make_client(author, ["drafts:write"])
    writer.get("/api/v1/drafts")
    assert ApiToken.objects.get(user=author).last_used_at is not None


def test_rate_limit_answers_429_with_retry_after(make_client, author, setup, settings):
    settings.VETTED_API_RATE = 3
    writer = make_client(author, ["drafts:write"])
    other = make_client(author, ["drafts:write"])

    statuses = [writer.get("/api/v1/drafts").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    limited = writer.get("/api/v1/drafts")
    assert 1 <= int(limited["Retry-After"]) <= settings.VETTED_API_RATE_WINDOW_SECONDS
    assert problem(limited)["status"] == 429
    # The limit is per token.
    assert other.get("/api/v1/drafts").status_code == HTTPStatus.OK


def test_command_creates_lists_and_revokes(author, roles):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api_token",
        "create",
        author.username,
        "--scope",
        "drafts:write",
        "--scope",
        "content:read",
        "--expires",
        "30",
        stdout=out,
        stderr=err,
    )
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=author)
    assert token.key_hash == token_hash(raw)
    assert token.scopes == ["content:read", "drafts:write"]
    assert token.expires_at.date() == (timezone.now() + timedelta(days=30)).date()
    assert "shown only this once" in err.getvalue()

    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    assert token.prefix in listing.getvalue() and raw not in listing.getvalue()

    call_command("api_token", "revoke", token.prefix, stdout=io.StringIO())
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_command_refuses_a_scope_the_role_does_not_allow(author, roles):
    with pytest.raises(CommandError, match="review:read is for board members"):
        call_command(
            "api_token",
            "create",
            author.username,
            "--scope",
            "review:read",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "create", "ghost", "--scope", "content:read")
    assert not ApiToken.objects.exists()


def test_admin_creates_a_token_and_shows_it_once(client, editor, author):
    client.force_login(editor)
    response = client.post(
        "/admin/api/apitoken/add/",
        {"user": author.pk, "name": "pipeline", "scopes": ["drafts:write"]},
        follow=True,
    )

    token = ApiToken.objects.get(user=author)
    shown = [str(m) for m in response.context["messages"] if "new token" in str(m)]
    assert len(shown) == 1 and token.prefix in shown[0]
    raw = shown[0].split("The new token is ")[1].split(" ")[0]
    assert client.get("/admin/api/apitoken/").content.decode().count(raw) == 0
    assert token.key_hash == token_hash(raw)
    page = client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert raw not in page and token.prefix in page


def test_admin_refuses_a_scope_the_user_may_not_hold(client, editor, author):
    client.force_login(editor)
    response = client.post(
        "/admin/api/apitoken/add/", {"user": author.pk, "name": "x", "scopes": ["review:read"]}
    )
    assert response.status_code == HTTPStatus.OK
    assert "review:read is for board members" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_admin_tokens_are_for_editors_and_superusers_only(client, board_member):
    client.force_login(board_member.user)
    assert client.get("/admin/api/apitoken/").status_code == HTTPStatus.FORBIDDEN
    assert client.get("/admin/api/apitoken/add/").status_code == HTTPStatus.FORBIDDEN
