"""A user's signed-in sessions: recorded as they are used, listed, and ended one by one or
all at once.

Sessions are ended through the configured session store (``SESSION_ENGINE``), so the `db`
and the `cached_db` engines both forget them: with `cached_db` a session deleted only from
the table would live on in Redis. Session keys are credentials and never leave the server;
the pages refer to a session by its row id.
"""

import time
from importlib import import_module
from ipaddress import ip_address

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from accounts import policy
from accounts.models import SessionActivity
from config.proxy import client_address

# The session remembers when it was last recorded, so a busy session costs one write a
# minute, not one per request.
SEEN_KEY = "_vetted_seen_at"
TOUCH_SECONDS = 60


def _store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def touch(request) -> None:
    """Record this signed-in session's activity and, for staff, push its idle expiry back.

    Called after the view, at most once a minute per session. Only requests that already
    read the session are considered, so a public page that never looks at the user is left
    exactly as it was (no extra query, no ``Vary: Cookie``).
    """
    session = getattr(request, "session", None)
    if session is None or not (session.accessed or session.modified):
        return
    if SESSION_KEY not in session:
        return
    now = time.time()
    seen = session.get(SEEN_KEY)
    if isinstance(seen, (int, float)) and 0 <= now - seen < TOUCH_SECONDS:
        return
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    record(request, user)


def record(request, user) -> None:
    """Write the activity row now and restart the minute; also right after signing in, so
    the first pages after it cost no extra queries."""
    session = request.session
    if policy.is_vetted_role(user):
        # Relative expiry: the store sets the session's end to this many seconds after each
        # save, which happens here once a minute while the person is active.
        session.set_expiry(settings.VETTED_STAFF_IDLE_SECONDS)
    session[SEEN_KEY] = time.time()
    if session.session_key is None:
        session.save()
    SessionActivity.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "user_agent": request.headers.get("User-Agent", "")[:300],
            "address": _address(request),
            "last_seen": timezone.now(),
        },
    )


def _address(request) -> str | None:
    try:
        return str(ip_address(client_address(request)))
    except ValueError:
        return None


def forget_current(request) -> None:
    """The session is about to end or change key (sign-out, sign-in, verification)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key:
        SessionActivity.objects.filter(session_key=session.session_key).delete()
    session.pop(SEEN_KEY, None)


def rotate(request) -> None:
    """A new session key after the second factor, so a key seen before it is worthless."""
    forget_current(request)
    request.session.cycle_key()


def active(user) -> list[SessionActivity]:
    """The user's sessions that the store still holds, newest first. Rows of sessions that
    expired or were ended elsewhere are dropped on the way."""
    rows = list(SessionActivity.objects.filter(user=user).order_by("-last_seen", "-pk")[:50])
    alive, gone = [], []
    for row in rows:
        data = _store(row.session_key).load()
        if str(data.get(SESSION_KEY)) == str(user.pk):
            alive.append(row)
        else:
            gone.append(row.pk)
    if gone:
        SessionActivity.objects.filter(pk__in=gone).delete()
    return alive


def _end(row: SessionActivity) -> None:
    _store(row.session_key).delete()
    row.delete()


def end_one(*, user, activity_id: int, current_key: str | None) -> bool:
    """End one of the user's other sessions; False if it is not theirs or is this one."""
    row = SessionActivity.objects.filter(user=user, pk=activity_id).first()
    if row is None or row.session_key == current_key:
        return False
    _end(row)
    return True


def end_others(*, user, current_key: str | None) -> int:
    """End every session of the user but this one; returns how many were ended."""
    rows = SessionActivity.objects.filter(user=user).exclude(session_key=current_key or "")
    count = 0
    for row in rows:
        _end(row)
        count += 1
    return count


def end_all(*, user) -> int:
    return end_others(user=user, current_key=None)
