"""The article and its review workflow (a django-fsm-2 state machine on ``status``)."""

from datetime import timedelta

from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from articles import policies
from articles.models.audience import disclaimer_choice
from articles.models.content import EDITABLE_STATES, SUMMARY_MAX_LENGTH, ArticleLocked, Topic
from articles.models.listing import ArticleListing

# Before any approval, the newest revision is public (with a caution) only in these states.
PENDING_PUBLIC_STATES = frozenset({"submitted", "under_review"})
# Fields of the working copy that are frozen with the rest of the content.
CONTENT_FIELDS = ("title", "slug", "topic_id", "summary")


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """Articles readers can open: those with a displayed revision, unless archived."""
        return self.filter(displayed_revision__isnull=False).exclude(status=Article.Status.ARCHIVED)

    def approved_live(self):
        """Articles whose readers see an approved revision."""
        return self.filter(live_revision__isnull=False).exclude(status=Article.Status.ARCHIVED)

    def pending_public(self):
        """Articles never approved yet but shown, with a caution, while under review."""
        return self.public().filter(live_revision__isnull=True)

    def authored_by(self, user):
        return self.filter(authors=user)

    def overdue(self, now):
        return self.filter(status=Article.Status.APPROVED, next_review_due__lt=now)


class Article(ConcurrentTransitionMixin, ArticleListing, models.Model):
    """A medical question and its evidence-backed answer."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ARCHIVED = "archived", _("Archived")

    class Provenance(models.TextChoices):
        PERSON = "person", _("Written by a person")
        MACHINE = "machine", _("Machine-drafted")

    title = models.CharField(
        _("question"), max_length=300, help_text=_("The reader's question; it is the title.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="articles", verbose_name=_("topic")
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="authored_articles", verbose_name=_("authors")
    )
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("contributors since the last approval"),
        help_text=_("Everyone who wrote or edited the working copy since it was last approved."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=_("Markdown. The short answer shown above the evidence."),
    )
    disclaimer = disclaimer_choice(
        _("Empty: the topic's disclaimer. Readers see its wording for their audience.")
    )
    status = FSMField(
        _("review status"),
        max_length=32,
        choices=Status.choices,
        default=Status.DRAFT,
        protected=True,
        db_index=True,
    )
    live_revision = models.ForeignKey(
        "articles.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("live revision"),
        help_text=_("The approved revision readers see until a newer one is approved."),
    )
    displayed_revision = models.ForeignKey(
        "articles.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("displayed revision"),
        help_text=_("What readers see now: the live revision, else the one under review."),
    )
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ManyToManyField(
        "reviews.BoardMember",
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
        help_text=_("The board members whose approvals put the live revision live."),
    )
    next_review_due = models.DateTimeField(_("next review due"), null=True, blank=True)
    provenance = models.CharField(
        _("provenance"),
        max_length=16,
        choices=Provenance.choices,
        default=Provenance.PERSON,
        db_index=True,
        help_text=_("How the draft was made: by a person, or by a drafting pipeline."),
    )
    pipeline_name = models.CharField(
        _("drafting pipeline"),
        max_length=100,
        blank=True,
        help_text=_("For a machine-drafted article: the pipeline that drafted it."),
    )
    pipeline_model = models.CharField(
        _("drafting model"),
        max_length=100,
        blank=True,
        help_text=_("For a machine-drafted article: the model the pipeline used."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = IntegerVersionField()

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at"]
        permissions = [
            ("write_article", _("Can draft articles at the desk")),
            ("review_article", _("Can review articles as a board member")),
            ("manage_article", _("Can archive, restore and re-open articles as an editor")),
        ]
        indexes = [models.Index(fields=["status", "next_review_due"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(provenance="machine") | ~models.Q(pipeline_name=""),
                name="article_machine_draft_names_pipeline",
                violation_error_message=_("A machine-drafted article names its pipeline."),
            )
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._remember_loaded()

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if (
            not self._state.adding
            and self._loaded_status not in EDITABLE_STATES
            and self._content_values() != self._loaded_content
        ):
            raise ArticleLocked(self)
        super().save(*args, **kwargs)
        self._remember_loaded()

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        # django-fsm-2 reloads a protected field by switching protection off on the field,
        # which every thread shares. The descriptor only refuses a value already on this
        # instance, so dropping it here reloads the state without touching shared state.
        if fields is None or "status" in fields:
            self.__dict__.pop("status", None)
        models.Model.refresh_from_db(self, using=using, fields=fields, from_queryset=from_queryset)
        self._update_initial_state()
        self._remember_loaded()

    def clean_fields(self, exclude=None):
        # The state machine owns status; validating it would re-assign the protected field.
        super().clean_fields(exclude={*(exclude or ()), "status"})

    def _content_values(self) -> tuple:
        return tuple(self.__dict__.get(name) for name in CONTENT_FIELDS)

    def _remember_loaded(self) -> None:
        self._loaded_status = self.__dict__.get("status")
        self._loaded_content = self._content_values()

    @property
    def is_content_editable(self) -> bool:
        """Authors may change the working copy only in these states."""
        return self.status in EDITABLE_STATES

    def revision_under_review(self):
        """The newest revision: the one a board member decides on."""
        return self.revisions.order_by("-number").first()

    def sync_displayed_revision(self, latest=None) -> None:
        """Point ``displayed_revision`` at what readers should see in the current state."""
        if self.live_revision_id:
            self.displayed_revision_id = self.live_revision_id
        elif self.status in PENDING_PUBLIC_STATES:
            self.displayed_revision = latest or self.revision_under_review()
        else:
            self.displayed_revision = None

    # ------------------------------------------------------------------
    # Review workflow: conditions, permissions and transitions.
    # reviews.services wraps every transition (revision check, lock, audit, mail); the
    # bodies below change only this instance. Who may run each one is articles.policies.
    # ------------------------------------------------------------------

    def has_complete_content(self) -> bool:
        from articles.completeness import is_complete

        return is_complete(self)

    def _decisions_on_latest(self, decision: str):
        revision = self.revision_under_review()
        return revision.reviews.filter(decision=decision) if revision else None

    def has_approval_quorum(self) -> bool:
        approvals = self._decisions_on_latest("approve")
        count = approvals.values("member").distinct().count() if approvals is not None else 0
        return count >= settings.VETTED_APPROVALS_REQUIRED

    def has_changes_requested(self) -> bool:
        decisions = self._decisions_on_latest("request_changes")
        return decisions is not None and decisions.exists()

    def has_rejection(self) -> bool:
        decisions = self._decisions_on_latest("reject")
        return decisions is not None and decisions.exists()

    def can_be_written_by(self, user) -> bool:
        return policies.may_submit(user, self)

    def can_be_managed_by(self, user) -> bool:
        return policies.may_manage(user, self)

    def can_be_revised_by(self, user) -> bool:
        return policies.may_revise(user, self)

    def can_be_reviewed_by(self, user) -> bool:
        return policies.may_decide(user, self)

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=[Status.DRAFT, Status.CHANGES_REQUESTED],
        target=Status.SUBMITTED,
        conditions=[has_complete_content],
        permission=can_be_written_by,
        custom={"label": _("Submit for review"), "admin": False},
    )
    def submit(self, by=None, description=None):
        """Send the working copy to the board; the service freezes it into a revision."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.DRAFT,
        permission=can_be_written_by,
        custom={"label": _("Withdraw"), "admin": False},
    )
    def withdraw(self, by=None, description=None):
        """Take a submission back before a board member picks it up."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.UNDER_REVIEW,
        permission=can_be_reviewed_by,
        custom={"label": _("Start review"), "admin": True, "decision": "start_review"},
    )
    def start_review(self, by=None, description=None):
        """A board member picks the submission up."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.APPROVED,
        conditions=[has_approval_quorum],
        permission=can_be_reviewed_by,
        custom={"label": _("Approve"), "admin": True, "decision": "approve"},
    )
    def approve(self, by=None, description=None):
        """Quorum reached: the revision under review goes live."""
        now = timezone.now()
        self.live_revision = self.revision_under_review()
        self.last_reviewed_at = now
        self.next_review_due = now + timedelta(days=settings.VETTED_REVIEW_INTERVAL_DAYS)

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.CHANGES_REQUESTED,
        conditions=[has_changes_requested],
        permission=can_be_reviewed_by,
        custom={"label": _("Request changes"), "admin": True, "decision": "request_changes"},
    )
    def request_changes(self, by=None, description=None):
        """A board member sends the article back to its authors with a comment."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.REJECTED,
        conditions=[has_rejection],
        permission=can_be_reviewed_by,
        custom={"label": _("Reject"), "admin": True, "decision": "reject"},
    )
    def reject(self, by=None, description=None):
        """A board member turns the revision down, with a reason."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=[Status.APPROVED, Status.REJECTED],
        target=Status.DRAFT,
        permission=can_be_revised_by,
        custom={"label": _("Revise"), "admin": True},
    )
    def revise(self, by=None, description=None):
        """Open a new working copy; the live revision stays live."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.SUBMITTED,
        permission=can_be_managed_by,
        custom={"label": _("Request re-review"), "admin": True},
    )
    def request_rereview(self, by=None, description=None):
        """Send an approved article back to the board; the service makes a new revision."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=[
            Status.DRAFT,
            Status.SUBMITTED,
            Status.UNDER_REVIEW,
            Status.CHANGES_REQUESTED,
            Status.APPROVED,
            Status.REJECTED,
        ],
        target=Status.ARCHIVED,
        permission=can_be_managed_by,
        custom={"label": _("Archive"), "admin": True},
    )
    def archive(self, by=None, description=None):
        """Take the article off the site: its public address answers 410 Gone."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=Status.ARCHIVED,
        target=Status.DRAFT,
        permission=can_be_managed_by,
        custom={"label": _("Restore"), "admin": True},
    )
    def restore(self, by=None, description=None):
        """Bring an archived article back as a draft."""
