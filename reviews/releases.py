"""Scheduled go-live: the append-only record of when an approved revision becomes live.

Each fact is a new row: a revision was *scheduled* to go live at a time; a schedule was
*cancelled*, *released* (the revision went live) or *lapsed* (it was no longer the approved
revision when its time came). A closing row points at the schedule it closes, and a schedule
can be closed only once (a unique column), so a cancel and a release racing each other cannot
both win. The database refuses UPDATE and DELETE on this table, as on the other audit tables.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from articles.models.revision import AppendOnlyModel


class ScheduledReleaseQuerySet(models.QuerySet):
    def pending(self):
        """Schedules not yet closed by a cancel, a release or a lapse."""
        closed = ScheduledRelease.objects.filter(closes=OuterRef("pk"))
        return self.filter(kind=ScheduledRelease.Kind.SCHEDULED).exclude(Exists(closed))

    def due(self, now):
        return self.pending().filter(go_live_at__lte=now)


class ScheduledRelease(AppendOnlyModel):
    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        RELEASED = "released", _("Went live")
        LAPSED = "lapsed", _("Lapsed")

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="scheduled_releases"
    )
    revision = models.ForeignKey(
        "articles.Revision", on_delete=models.DO_NOTHING, related_name="scheduled_releases"
    )
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    go_live_at = models.DateTimeField(
        _("go-live time"), null=True, blank=True, help_text=_("For a schedule: when it goes live.")
    )
    closes = models.OneToOneField(
        "self",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="closed_by",
        help_text=_("For a cancel, release or lapse: the schedule it closes."),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: done by the periodic release task."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScheduledReleaseQuerySet.as_manager()
    changed_message = _("A go-live record cannot be changed once it is made.")
    deleted_message = _("A go-live record cannot be deleted.")

    class Meta:
        verbose_name = _("scheduled go-live")
        verbose_name_plural = _("scheduled go-lives")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "go_live_at"], name="release_kind_time")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="scheduled", go_live_at__isnull=False, closes__isnull=True))
                | (~Q(kind="scheduled") & Q(closes__isnull=False)),
                name="release_schedule_or_closing",
                violation_error_message=_(
                    "A schedule has a go-live time; a cancel, release or lapse closes a schedule."
                ),
            )
        ]
        triggers = [
            pgtrigger.Protect(
                name="scheduledrelease_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self):
        return f"{self.article} r{self.revision.number}: {self.get_kind_display()}"
