"""Revisions: the frozen, append-only snapshots the board decides on and readers read."""

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AppendOnlyModel(models.Model):
    """A row written once: the model refuses to save it again or delete it.

    The database holds the same rule with triggers (django-pgtrigger on PostgreSQL, migrations
    on SQLite); this layer only turns a mistake into a clear error before SQL is sent.
    """

    changed_message = _("This record cannot be changed once it is made.")
    deleted_message = _("This record cannot be deleted.")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(self.changed_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(self.deleted_message)


class RevisionQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-number")


class Revision(AppendOnlyModel):
    """An immutable JSON snapshot of a whole article, as submitted for review.

    The database refuses UPDATE and DELETE on this table (a trigger on PostgreSQL and on
    SQLite), so no door, bulk query or raw SQL can rewrite what the board decided on.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    snapshot = models.JSONField(_("snapshot"))
    content_hash = models.CharField(
        _("content hash"), max_length=64, help_text=_("SHA-256 of the canonical snapshot JSON.")
    )
    title = models.CharField(
        _("question"),
        max_length=300,
        default="",
        help_text=_("The snapshot's question, kept as a column for public lists."),
    )
    topic = models.ForeignKey(
        "articles.Topic",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        help_text=_("The snapshot's topic, kept as a column for topic pages."),
    )
    contributor_ids = models.JSONField(
        _("contributors"),
        default=list,
        blank=True,
        help_text=_(
            "Users who wrote or edited the working copy frozen here: none of them may decide "
            "on this revision."
        ),
    )
    change_summary = models.TextField(
        _("what changed"),
        blank=True,
        max_length=1000,
        help_text=_(
            "The author's summary of this revision's changes for readers, written at submit; "
            "shown in the public review history once the revision is approved."
        ),
    )
    is_correction = models.BooleanField(
        _("correction"),
        default=False,
        help_text=_(
            "This revision corrects an error in the live text: flagged by the author at submit, "
            "or set when it changes a statement whose cited source was retracted."
        ),
    )
    correction_note = models.TextField(
        _("correction note"),
        blank=True,
        max_length=1000,
        help_text=_("For readers: what was wrong and what was corrected."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RevisionQuerySet.as_manager()
    changed_message = _("A revision cannot be changed once it is made.")
    deleted_message = _("A revision cannot be deleted.")

    class Meta:
        verbose_name = _("revision")
        ordering = ["article", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"],
                name="revision_unique_number",
                violation_error_message=_("This article already has a revision with that number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="revision_number_positive",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="revision_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self):
        return f"{self.article} — r{self.number} ({self.short_hash})"

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]

    def was_written_by(self, user) -> bool:
        """Whether this user wrote or edited the content frozen in this revision."""
        return bool(user and user.pk) and user.pk in (self.contributor_ids or [])
