"""Bearer-token authentication with scopes, and the per-token rate limit.

A request runs as the token's user, so articles.policies and the services decide exactly
as they do for the desk. A scope only narrows what a token may do; it never adds a role,
and a token whose user has since lost the role is refused.
"""

import math
import time
from dataclasses import dataclass
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from ninja.security import HttpBearer

from api.models import ApiToken
from api.problems import ApiProblem
from api.tokens import scope_refusal, token_authenticate


@dataclass(frozen=True)
class Caller:
    """Who is calling: a token and its user, or an anonymous reader."""

    user: object
    token: ApiToken | None = None


def _unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(
        status=HTTPStatus.UNAUTHORIZED,
        title="Authentication required.",
        detail=detail,
        code="unauthorized",
        headers={"WWW-Authenticate": 'Bearer realm="vetted"'},
    )


def rate_limit(token: ApiToken) -> None:
    """Count the request in the token's current window; over the limit, refuse with 429."""
    window = settings.VETTED_API_RATE_WINDOW_SECONDS
    now = time.time()
    start = math.floor(now / window) * window
    key = f"vetted:api:rate:{token.pk}:{int(start)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > settings.VETTED_API_RATE:
        retry_after = max(1, math.ceil(start + window - now))
        raise ApiProblem(
            status=HTTPStatus.TOO_MANY_REQUESTS,
            title="Too many requests.",
            detail=f"This token may make {settings.VETTED_API_RATE} requests every "
            f"{window} seconds. Retry after {retry_after} seconds.",
            code="rate-limited",
            headers={"Retry-After": str(retry_after)},
        )


class TokenAuth(HttpBearer):
    """Requires a usable token holding ``scope`` whose user may still hold it."""

    def __init__(self, scope: str, *, anonymous_setting: str | None = None) -> None:
        super().__init__()
        self.scope = scope
        self.anonymous_setting = anonymous_setting

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            if self.anonymous_setting and getattr(settings, self.anonymous_setting, False):
                return Caller(user=AnonymousUser())
            raise _unauthorized("Send your token as “Authorization: Bearer <token>”.")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise _unauthorized("Send your token as “Authorization: Bearer <token>”.")
        return self.authenticate(request, raw.strip())

    def authenticate(self, request, token):
        found = token_authenticate(token)
        if found is None:
            raise _unauthorized("The token is unknown, expired or revoked.")
        rate_limit(found)
        if not found.has_scope(self.scope):
            raise ApiProblem(
                status=HTTPStatus.FORBIDDEN,
                title="The token lacks a scope.",
                detail=f"This endpoint needs a token with the “{self.scope}” scope.",
                code="insufficient-scope",
            )
        refusal = scope_refusal(found.user, self.scope)
        if refusal:
            raise ApiProblem(
                status=HTTPStatus.FORBIDDEN,
                title="The token's user may not use this scope.",
                detail=refusal,
                code="role-refused",
            )
        request.user = found.user
        return Caller(user=found.user, token=found)


DRAFTS_WRITE = TokenAuth("drafts:write")
CONTENT_READ = TokenAuth("content:read", anonymous_setting="VETTED_API_ANONYMOUS_READ")
REVIEW_READ = TokenAuth("review:read")
