"""Issue, check and revoke API tokens. Only a keyed hash of a token is ever stored."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken, Scope
from articles import policies

TOKEN_PREFIX = "vtd_"
PREFIX_LENGTH = 12


def token_hash(raw: str) -> str:
    """HMAC-SHA256 of the token under a key derived from SECRET_KEY."""
    key = hashlib.sha256(f"vetted-api-token:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, raw.encode("utf-8"), hashlib.sha256).hexdigest()


def scope_refusal(user, scope: str) -> str | None:
    """Why this user may not hold this scope; None if they may. Roles come from policies."""
    if scope not in Scope.values:
        return f"“{scope}” is not a scope. Scopes: {', '.join(Scope.values)}."
    if not (user is not None and user.is_active):
        return "The user is not active."
    if scope == Scope.DRAFTS_WRITE and not policies.can_use_desk(user):
        return "drafts:write is for authors and editors (users who may use the desk)."
    if scope == Scope.REVIEW_READ and not (
        policies.board_member_for(user) is not None or policies.is_editor(user)
    ):
        return "review:read is for board members and editors."
    return None


@transaction.atomic
def token_create(
    *, user, scopes: list[str], name: str = "", expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a token for the user; returns it with the secret, which is never shown again."""
    scopes = sorted(set(scopes))
    if not scopes:
        raise ValidationError("Give the token at least one scope.", code="no_scope")
    problems = [problem for scope in scopes if (problem := scope_refusal(user, scope))]
    if problems:
        raise ValidationError(problems, code="scope_refused")
    if expires_in_days is not None and expires_in_days < 1:
        raise ValidationError("A token expires at least one day from now.", code="expiry")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name or "API token",
        prefix=raw[:PREFIX_LENGTH],
        key_hash=token_hash(raw),
        scopes=scopes,
        expires_at=(timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None),
    )
    return token, raw


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop a token from working; revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The usable token with this secret, its user loaded, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.usable().select_related("user").filter(key_hash=token_hash(raw)).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Written at most once a minute per token, so reads do not each cost a write.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
