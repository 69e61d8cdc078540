"""Where each of a user's sessions is signed in, for the "your sessions" page."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SessionActivity(models.Model):
    """One signed-in session: its browser, address and last request, refreshed at most once
    a minute (accounts.sessions). The session itself lives in the session store; this row
    only describes it, and a row whose session is gone is dropped when the list is read."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_activity"
    )
    user_agent = models.CharField(max_length=300, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["user", "-last_seen"], name="accounts_session_user_seen")]
        verbose_name = "session activity"
        verbose_name_plural = "session activity"

    def __str__(self):
        return f"{self.user} from {self.address or 'an unknown address'}"
