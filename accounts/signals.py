"""Keep the session list true across sign-in and sign-out."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from accounts import sessions


@receiver(user_logged_in, dispatch_uid="accounts_session_signed_in")
def _signed_in(sender, request, user, **kwargs):
    # The session got a new key: record it under that key at once.
    if request is not None and hasattr(request, "session"):
        sessions.record(request, user)


@receiver(user_logged_out, dispatch_uid="accounts_session_signed_out")
def _signed_out(sender, request, user, **kwargs):
    if request is not None:
        sessions.forget_current(request)
