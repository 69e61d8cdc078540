"""A reference import confirmed at the desk and run by the task worker: the ImportJob model.

The file's bytes wait in the row until the worker has imported them; the SHA-256 makes the
import idempotent. At most one job per file is queued, running or done at a time (a partial
unique index, the same on SQLite and PostgreSQL), so a double click, a second confirm or two
people confirming the same export at once import it once. The references form one shared
library, so "the same file" is global, not per user: a second author's copy of the export would
only match what the first one created. A failed job leaves room for another try.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Problems kept on a job; a file of thousands of broken records is summed up after these.
MAX_STORED_PROBLEMS = 500


class ImportJobQuerySet(models.QuerySet):
    def live(self):
        """Jobs that still claim their file: queued, running or done."""
        return self.exclude(status=ImportJob.Status.FAILED)

    def visible_to(self, user, *, editor: bool):
        """The jobs a user may follow: their own, or every job for an editor."""
        return self if editor else self.filter(created_by=user)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Phase(models.TextChoices):
        WAITING = "waiting", _("Waiting for the worker")
        PARSING = "parsing", _("Reading the file")
        WRITING = "writing", _("Matching against the library and saving")
        FINISHED = "finished", _("Finished")

    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    data = models.BinaryField(_("file contents"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.WAITING
    )
    records_total = models.PositiveIntegerField(_("records in the file"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    matched_count = models.PositiveIntegerField(_("already in the library"), default=0)
    skipped_count = models.PositiveIntegerField(_("repeated in the file"), default=0)
    message = models.CharField(_("outcome"), max_length=500, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    notices = models.JSONField(_("notices"), default=list, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference import")
        verbose_name_plural = _("reference imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"],
                condition=~Q(status="failed"),
                name="import_job_one_live_job_per_file",
                violation_error_message=_("This file has already been confirmed for import."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="import_job_status_known",
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="import_job_status_idx")]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("desk:reference_import_job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
