"""Two middlewares, after django-otp's OTPMiddleware:

- SessionActivityMiddleware records signed-in sessions (for "your sessions") and gives staff
  sessions their idle expiry; see accounts.sessions.touch.
- SecondFactorMiddleware is the gate in front of the admin, the desk and the account pages:
  a signed-in person who has set up two-factor sign-in, or who must
  (VETTED_REQUIRE_2FA and a board, editor or staff role), reaches them only after entering
  a code in this session. Everything else (the public site, the token API, /healthz) never
  passes through the gate.
"""

import functools
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from accounts import policy, sessions, two_factor

logger = logging.getLogger("vetted.accounts")

# Login and logout pages stay open, and the two pages that let a person through the gate.
OPEN_URL_NAMES = (
    "admin:login",
    "admin:logout",
    "desk:login",
    "desk:logout",
    "accounts:verify",
    "accounts:setup",
    "accounts:logout",
)
# The board's public page lives beside its working pages (compare, go-live), which are guarded.
PUBLIC_URL_NAMES = ("board:list",)
GUARDED_URL_NAMES = ("admin:index", "desk:dashboard", "accounts:two_factor", "board:list")


def _paths(names) -> list[str]:
    paths = []
    for name in names:
        try:
            paths.append(reverse(name))
        except NoReverseMatch:  # a URLconf without that area (some tests use their own)
            continue
    return paths


@functools.lru_cache(maxsize=8)
def _areas(urlconf: str, script_prefix: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(guarded path prefixes, open paths) of one URLconf, reversed once, not per request:
    every request passes through the gate, public pages included."""
    # "/admin/", "/desk/", "/account/", "/board/": the first path segment of each guarded area.
    prefixes = tuple("/" + url.strip("/").split("/")[0] + "/" for url in _paths(GUARDED_URL_NAMES))
    return prefixes, frozenset(_paths(OPEN_URL_NAMES + PUBLIC_URL_NAMES))


def is_guarded(path: str) -> bool:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    prefixes, open_paths = _areas(str(urlconf), get_script_prefix())
    if not prefixes or not path.startswith(prefixes):
        return False
    return path not in open_paths


def gate_redirect(request) -> HttpResponseRedirect | None:
    """Where a signed-in but unverified person must go first, or None to let them in."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    if two_factor.has_device(user):
        target = "accounts:verify"
    elif policy.second_factor_required(user):
        target = "accounts:setup"
    else:
        return None
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse(target)}?{query}")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_guarded(request.path):
            redirect = gate_redirect(request)
            if redirect is not None:
                return redirect
        return self.get_response(request)


class SessionActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 500:
            return response  # an error or an outage page: nothing to record
        try:
            sessions.touch(request)
        except DatabaseError:
            # Bookkeeping only: a page that rendered is not failed for it; the next request
            # records the session again.
            logger.warning("Session activity not recorded", exc_info=True)
        return response
