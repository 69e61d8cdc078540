"""Review assignments with due dates, and the reminders sent about them.

Defined apart from ``reviews.models`` (which imports them) to keep each module short.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles import policies
from articles.models import Article, Revision
from reviews.models import BoardMember, Review


class ReviewAssignmentQuerySet(models.QuerySet):
    def current(self):
        """Not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def open(self):
        """Current, on a pending article's latest revision, and not yet decided by the member.

        Every part is an indexed lookup: the partial index on open assignments, the unique
        (revision, member) of reviews and the unique (article, number) of revisions.
        """
        latest = Revision.objects.filter(article=models.OuterRef("article_id")).order_by("-number")
        decided = Review.objects.filter(
            revision_id=models.OuterRef("revision_id"), member_id=models.OuterRef("member_id")
        )
        return (
            self.current()
            .filter(
                article__status__in=[Article.Status.SUBMITTED, Article.Status.UNDER_REVIEW],
                revision_id=models.Subquery(latest.values("pk")[:1]),
            )
            .exclude(models.Exists(decided))
        )

    def overdue(self, now):
        return self.open().filter(due_at__lt=now)


class ReviewAssignment(models.Model):
    """A board member's assignment to review one revision of an article, by a due date.

    Written only by ``reviews.services.assignments`` (and its admin doors). It is done when the
    member records a review on that revision; it lapses when the article moves on to a newer
    revision; an editor may withdraw it, which keeps the row with who withdrew it and when.
    """

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
    due_at = models.DateTimeField(
        _("due"), null=True, blank=True, help_text=_("When the member's decision is due.")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    objects = ReviewAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("review assignment")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "revision", "member"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="reviewassignment_unique_current",
                violation_error_message=_("This member is already assigned to this revision."),
            ),
            models.CheckConstraint(
                condition=models.Q(due_at__isnull=True)
                | models.Q(due_at__gt=models.F("created_at")),
                name="reviewassignment_due_after_assigned",
                violation_error_message=_("The due date must be later than the assignment."),
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_by__isnull=True)
                | models.Q(withdrawn_at__isnull=False),
                name="reviewassignment_withdrawn_by_needs_time",
            ),
        ]
        indexes = [
            # "Awaiting my review": a member's current assignments by due date.
            models.Index(
                fields=["member", "due_at"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="assignment_member_due",
            ),
            # The queue's due-date column and the overdue filter, per article.
            models.Index(
                fields=["article", "due_at"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="assignment_article_due",
            ),
            # The editors' overview: overdue assignments across the board.
            models.Index(
                fields=["due_at"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="assignment_due",
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.article}"

    def save(self, *args, **kwargs):
        """A new assignment obeys the decision rules whichever door made it, the shell too.

        Editors' rules (who assigns, which states, due dates) live in
        ``reviews.services.assignments``; this guard keeps the board's own: the revision is
        the article's, and the member may decide on it.
        """
        if self._state.adding:
            self.assignment_refusal_raise()
        super().save(*args, **kwargs)

    def assignment_refusal_raise(self) -> None:
        if self.revision_id is not None and self.revision.article_id != self.article_id:
            raise ValidationError(_("The revision belongs to another article."))
        if self.revision_id is not None:
            reason = policies.decision_refusal(self.member.user, self.article, self.revision)
            if reason is not None:
                raise ValidationError(
                    _("%(member)s cannot be assigned: %(reason)s")
                    % {"member": self.member, "reason": reason}
                )


class AssignmentReminder(models.Model):
    """One notice sent about an assignment: the record that makes reminders idempotent.

    ``kind`` and ``day`` form the key: a rerun of the daily task on the same day finds the row
    and sends nothing. For the due-soon reminder ``day`` is the due date it announced (one per
    due date); for overdue reminders it is the day it was sent (one per day).
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment reminder")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "day"], name="assignmentreminder_once_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.day} ({self.assignment_id})"
