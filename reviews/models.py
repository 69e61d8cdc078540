import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from articles.models.revision import AppendOnlyModel

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


class Review(AppendOnlyModel):
    """One board member's decision on one revision. The database refuses edits and deletes."""

    changed_message = _("A review cannot be changed once it is recorded.")
    deleted_message = _("A review cannot be deleted.")

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
        # The editors' overview counts each member's decisions of the last days.
        indexes = [models.Index(fields=["member", "created_at"], name="review_member_created")]

    def __str__(self):
        return f"{self.member} {self.get_decision_display()} r{self.revision.number}"


class StatementGrade(AppendOnlyModel):
    """An approving member's sign-off on one statement of the revision, with its GRADE-style
    certainty. Recorded with the member's Review; the database refuses edits and deletes."""

    changed_message = _("A grade cannot be changed once it is recorded.")
    deleted_message = _("A grade cannot be deleted.")

    class Certainty(models.TextChoices):
        HIGH = "high", _("High")
        MODERATE = "moderate", _("Moderate")
        LOW = "low", _("Low")
        VERY_LOW = "very_low", _("Very low")

    # DO_NOTHING: a review is never deleted (its pre_delete signal refuses, as the database
    # does); PROTECT would answer first, with a less telling error.
    review = models.ForeignKey(Review, on_delete=models.DO_NOTHING, related_name="grades")
    statement_id = models.PositiveIntegerField(
        _("statement id"), help_text=_("The statement's id in the revision snapshot.")
    )
    grade = models.CharField(
        _("certainty"),
        max_length=10,
        choices=Certainty.choices,
        blank=True,
        help_text=_("Empty: signed off without a grade, where settings allow it."),
    )

    class Meta:
        verbose_name = _("statement grade")
        ordering = ["review", "statement_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "statement_id"], name="statementgrade_one_per_statement"
            ),
        ]
        triggers = [pgtrigger.Protect(name="statementgrade_append_only", operation=APPEND_ONLY)]

    def __str__(self):
        return f"{self.statement_id}: {self.get_grade_display() or 'ungraded'}"


class StatementCommentQuerySet(models.QuerySet):
    def openings(self):
        return self.filter(kind=StatementComment.Kind.COMMENT)

    def open(self):
        """Opening comments whose thread has no resolution row."""
        resolved = StatementComment.objects.filter(
            thread=models.OuterRef("pk"), kind=StatementComment.Kind.RESOLVE
        )
        return self.openings().exclude(models.Exists(resolved))


class StatementComment(AppendOnlyModel):
    """One append-only row of a comment thread on a statement or section of one revision.

    The opening comment is anchored to a snapshot id (``snapshot["sections"][i]["id"]`` or
    its ``["statements"][j]["id"]``) in the revision the member read. Replies, edits (a new
    version of the opening text) and the resolution are new rows in the same thread; the
    database refuses UPDATE and DELETE.
    """

    changed_message = _("A comment cannot be changed: add a new version.")
    deleted_message = _("A comment cannot be deleted.")

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        REPLY = "reply", _("Reply")
        EDIT = "edit", _("Edited comment")
        RESOLVE = "resolve", _("Resolved")

    class Anchor(models.TextChoices):
        STATEMENT = "statement", _("Statement")
        SECTION = "section", _("Section")

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="statement_comments"
    )
    revision = models.ForeignKey(
        "articles.Revision",
        on_delete=models.PROTECT,
        related_name="statement_comments",
        help_text=_("The revision the comment was made on."),
    )
    anchor = models.CharField(_("anchored to"), max_length=10, choices=Anchor.choices)
    anchor_id = models.PositiveIntegerField(
        _("anchor id"), help_text=_("The statement's or section's id in the revision snapshot.")
    )
    thread = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        help_text=_("The opening comment; empty on the opening comment itself."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("text"), blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StatementCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement comment")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="comment", thread__isnull=True)
                | (~models.Q(kind="comment") & models.Q(thread__isnull=False)),
                name="statementcomment_thread_unless_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="resolve") | ~models.Q(body=""),
                name="statementcomment_text_required",
                violation_error_message=_("Write the comment."),
            ),
            models.UniqueConstraint(
                fields=["thread"],
                condition=models.Q(kind="resolve"),
                name="statementcomment_resolved_once",
                violation_error_message=_("This comment is already resolved."),
            ),
        ]
        triggers = [pgtrigger.Protect(name="statementcomment_append_only", operation=APPEND_ONLY)]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.anchor} {self.anchor_id} r{self.revision_id}"


class AuditEntry(StateLog):
    """django-fsm-log's transition log, declared here so the database keeps it append-only."""

    class Meta:
        proxy = True
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        triggers = [pgtrigger.Protect(name="statelog_append_only", operation=APPEND_ONLY)]


# Assignments and their reminders live in their own module; imported so Django registers them.
from reviews.models_assignments import AssignmentReminder, ReviewAssignment  # noqa: E402, F401

# Scheduled go-live lives in its own module; imported here so Django registers the model.
from reviews.releases import ScheduledRelease  # noqa: E402, F401
