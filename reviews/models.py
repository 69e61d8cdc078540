import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

APPEND_ONLY = pgtrigger.Update | pgtrigger.Delete


class BoardMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)


class BoardMember(models.Model):
    """A Medical Advisory Board member's public profile and declared conflicts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_member"
    )
    credentials = models.CharField(
        _("credentials"), max_length=120, help_text=_("Post-nominals, e.g. “MD, FACSM”.")
    )
    specialty = models.CharField(_("specialty"), max_length=120)
    bio = models.TextField(_("bio"), blank=True)
    conflicts = models.ManyToManyField(
        "articles.Topic",
        blank=True,
        related_name="conflicted_members",
        verbose_name=_("declared conflicts"),
        help_text=_("Topics this member may not review because of a declared conflict."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    joined_at = models.DateField(_("joined"), auto_now_add=True)

    objects = BoardMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name}, {self.credentials}" if self.credentials else name

    def has_conflict_with(self, topic) -> bool:
        return self.conflicts.filter(pk=topic.pk).exists()


class Review(models.Model):
    """One board member's decision on one revision. The database refuses edits and deletes."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REQUEST_CHANGES = "request_changes", _("Request changes")
        REJECT = "reject", _("Reject")

    revision = models.ForeignKey(
        "articles.Revision", on_delete=models.PROTECT, related_name="reviews"
    )
    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "member"],
                name="review_one_decision_per_member",
                violation_error_message=_("This member has already decided on this revision."),
            ),
            models.CheckConstraint(
                condition=models.Q(decision="approve") | ~models.Q(comment=""),
                name="review_reason_required",
                violation_error_message=_("Requesting changes or rejecting needs a comment."),
            ),
        ]
        triggers = [pgtrigger.Protect(name="review_append_only", operation=APPEND_ONLY)]

    def __str__(self):
        return f"{self.member} {self.get_decision_display()} r{self.revision.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A review cannot be changed once it is recorded."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A review cannot be deleted."))


class ReviewAssignment(models.Model):
    """A board member's assignment to review an article's revision."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="assignments"
    )
    revision = models.ForeignKey(
        "articles.Revision", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review assignment")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "revision", "member"],
                name="reviewassignment_unique",
                violation_error_message=_("This member is already assigned to this revision."),
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.article}"


class AuditEntry(StateLog):
    """django-fsm-log's transition log, declared here so the database keeps it append-only."""

    class Meta:
        proxy = True
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        triggers = [pgtrigger.Protect(name="statelog_append_only", operation=APPEND_ONLY)]
