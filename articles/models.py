from datetime import timedelta

from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

STATEMENT_MAX_LENGTH = 4000
SUMMARY_MAX_LENGTH = 2000


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", args=[self.slug])


class AudienceQuerySet(models.QuerySet):
    def default(self):
        return self.filter(is_default=True).first() or self.order_by("order", "pk").first()


class Audience(models.Model):
    """A kind of reader whose wording the article adapts to."""

    class SchemaType(models.TextChoices):
        PATIENT = "Patient", _("Patient or caregiver")
        CLINICIAN = "Clinician", _("Clinician")
        MEDICAL_RESEARCHER = "MedicalResearcher", _("Researcher or student")

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    label = models.CharField(
        _("label"), max_length=120, help_text=_("What the reader picks, e.g. “I'm a student”.")
    )
    schema_type = models.CharField(
        _("schema.org audience"), max_length=32, choices=SchemaType.choices,
        default=SchemaType.PATIENT, help_text=_("Used in the page's structured data."),
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Readers who have not chosen see this wording.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AudienceQuerySet.as_manager()

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True),
                name="audience_single_default",
                violation_error_message=_("Only one audience can be the default."),
            ),
        ]

    def __str__(self):
        return self.name


class SectionKind(models.Model):
    """A kind of evidence section: guidelines, research, or one that editors add."""

    GUIDELINES = "guidelines"
    RESEARCH = "research"

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    default_heading = models.CharField(
        _("default heading"), max_length=120, help_text=_("e.g. “From the Guidelines”.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section kind")
        verbose_name_plural = _("section kinds")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def approved_live(self):
        """Articles whose readers see an approved revision."""
        return self.filter(live_revision__isnull=False).exclude(status=Article.Status.ARCHIVED)

    def pending_public(self):
        """Articles never approved yet but shown, with a caution, while under review."""
        return self.filter(
            live_revision__isnull=True,
            status__in=[Article.Status.SUBMITTED, Article.Status.UNDER_REVIEW],
        )

    def public(self):
        return self.approved_live() | self.pending_public()

    def authored_by(self, user):
        return self.filter(authors=user)

    def overdue(self, now):
        return self.filter(status=Article.Status.APPROVED, next_review_due__lt=now)


class Article(ConcurrentTransitionMixin, models.Model):
    """A medical question and its evidence-backed answer."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ARCHIVED = "archived", _("Archived")

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
    summary = models.TextField(
        _("summary"), blank=True, validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=_("Markdown. The short answer shown above the evidence."),
    )
    status = FSMField(
        _("review status"), max_length=32, choices=Status.choices, default=Status.DRAFT,
        protected=True, db_index=True,
    )
    live_revision = models.ForeignKey(
        "Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("live revision"),
        help_text=_("The approved revision readers see until a newer one is approved."),
    )
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ManyToManyField(
        "reviews.BoardMember", blank=True, related_name="+", verbose_name=_("reviewed by"),
        help_text=_("The board members whose approvals put the live revision live."),
    )
    next_review_due = models.DateTimeField(_("next review due"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = IntegerVersionField()

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at"]
        permissions = [
            ("review_article", _("Can review articles as a board member")),
            ("manage_article", _("Can archive, restore and re-open articles as an editor")),
        ]
        indexes = [models.Index(fields=["status", "next_review_due"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def clean_fields(self, exclude=None):
        # The state machine owns status; validating it would re-assign the protected field.
        super().clean_fields(exclude={*(exclude or ()), "status"})

    @property
    def is_content_editable(self) -> bool:
        """Authors may change the working copy only in these states."""
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)

    def is_authored_by(self, user) -> bool:
        return bool(user and user.pk) and self.authors.filter(pk=user.pk).exists()

    # ------------------------------------------------------------------
    # Review workflow: conditions, permissions and transitions.
    # reviews.services wraps every transition (permission, lock, audit, mail);
    # the bodies below change only this instance.
    # ------------------------------------------------------------------

    def revision_under_review(self):
        """The newest revision: the one a board member decides on."""
        return self.revisions.order_by("-number").first()

    def has_complete_content(self) -> bool:
        from articles.completeness import is_complete

        return is_complete(self)

    def _decisions_on_latest(self, decision: str):
        from reviews.models import Review

        revision = self.revision_under_review()
        if revision is None:
            return Review.objects.none()
        return Review.objects.filter(revision=revision, decision=decision)

    def has_approval_quorum(self) -> bool:
        approvals = self._decisions_on_latest("approve").values("member").distinct().count()
        return approvals >= settings.VETTED_APPROVALS_REQUIRED

    def has_changes_requested(self) -> bool:
        return self._decisions_on_latest("request_changes").exists()

    def has_rejection(self) -> bool:
        return self._decisions_on_latest("reject").exists()

    def can_be_written_by(self, user) -> bool:
        """An active author of this article."""
        return bool(user and user.is_active) and self.is_authored_by(user)

    def can_be_managed_by(self, user) -> bool:
        """An editor (or a superuser, who holds every role)."""
        from articles.roles import EDITORS, user_has_role

        return bool(user and user.is_active) and (
            user.is_superuser or user_has_role(user, EDITORS)
        )

    def can_be_revised_by(self, user) -> bool:
        return self.can_be_written_by(user) or self.can_be_managed_by(user)

    def can_be_reviewed_by(self, user) -> bool:
        """An active board member who is not an author and declared no conflict with the topic."""
        from articles.roles import BOARD, user_has_role
        from reviews.models import BoardMember

        if not (user and user.is_active and user_has_role(user, BOARD)):
            return False
        member = BoardMember.objects.filter(user=user, is_active=True).first()
        if member is None or self.is_authored_by(user):
            return False
        return not member.has_conflict_with(self.topic)

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=[Status.DRAFT, Status.CHANGES_REQUESTED], target=Status.SUBMITTED,
        conditions=[has_complete_content], permission=can_be_written_by,
        custom={"label": _("Submit for review"), "admin": False},
    )
    def submit(self, by=None, description=None):
        """Send the working copy to the board; the service freezes it into a revision."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.SUBMITTED, target=Status.DRAFT,
        permission=can_be_written_by, custom={"label": _("Withdraw"), "admin": False},
    )
    def withdraw(self, by=None, description=None):
        """Take a submission back before a board member picks it up."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.SUBMITTED, target=Status.UNDER_REVIEW,
        permission=can_be_reviewed_by, custom={"label": _("Start review"), "admin": True},
    )
    def start_review(self, by=None, description=None):
        """A board member picks the submission up."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.UNDER_REVIEW, target=Status.APPROVED,
        conditions=[has_approval_quorum], permission=can_be_reviewed_by,
        custom={"label": _("Approve"), "admin": True, "decision": "approve"},
    )
    def approve(self, by=None, description=None):
        """Quorum reached: the revision under review goes live."""
        from django.utils import timezone

        now = timezone.now()
        self.live_revision = self.revision_under_review()
        self.last_reviewed_at = now
        self.next_review_due = now + timedelta(days=settings.VETTED_REVIEW_INTERVAL_DAYS)

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.UNDER_REVIEW, target=Status.CHANGES_REQUESTED,
        conditions=[has_changes_requested], permission=can_be_reviewed_by,
        custom={"label": _("Request changes"), "admin": True, "decision": "request_changes"},
    )
    def request_changes(self, by=None, description=None):
        """A board member sends the article back to its authors with a comment."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.UNDER_REVIEW, target=Status.REJECTED,
        conditions=[has_rejection], permission=can_be_reviewed_by,
        custom={"label": _("Reject"), "admin": True, "decision": "reject"},
    )
    def reject(self, by=None, description=None):
        """A board member turns the revision down, with a reason."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=[Status.APPROVED, Status.REJECTED], target=Status.DRAFT,
        permission=can_be_revised_by, custom={"label": _("Revise"), "admin": True},
    )
    def revise(self, by=None, description=None):
        """Open a new working copy; the live revision stays live."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.APPROVED, target=Status.SUBMITTED,
        permission=can_be_managed_by, custom={"label": _("Request re-review"), "admin": True},
    )
    def request_rereview(self, by=None, description=None):
        """Send an approved article back to the board; the service makes a new revision."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=[
            Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.CHANGES_REQUESTED,
            Status.APPROVED, Status.REJECTED,
        ],
        target=Status.ARCHIVED, permission=can_be_managed_by,
        custom={"label": _("Archive"), "admin": True},
    )
    def archive(self, by=None, description=None):
        """Take the article off the site: its public address answers 410 Gone."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.ARCHIVED, target=Status.DRAFT,
        permission=can_be_managed_by, custom={"label": _("Restore"), "admin": True},
    )
    def restore(self, by=None, description=None):
        """Bring an archived article back as a draft."""


class ArticleSummaryVariant(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="summary_variants")
    audience = models.ForeignKey(Audience, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"), validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)])

    class Meta:
        verbose_name = _("summary variant")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "audience"], name="articlesummaryvariant_one_per_audience",
                violation_error_message=_("This audience already has a summary variant."),
            ),
        ]

    def __str__(self):
        return f"{self.article} [{self.audience}]"


class EvidenceSectionQuerySet(models.QuerySet):
    def with_tree(self):
        """In reading order, with statements, their variants and cited references prefetched."""
        from citations.models import Citation

        statements = Statement.objects.order_by("order", "pk").prefetch_related(
            "variants__audience",
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("reference").order_by("order", "pk"),
            ),
        )
        return (
            self.select_related("kind")
            .prefetch_related(Prefetch("statements", queryset=statements))
            .order_by("order", "pk")
        )


class EvidenceSection(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    kind = models.ForeignKey(SectionKind, on_delete=models.PROTECT, related_name="+")
    heading = models.CharField(_("heading"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = EvidenceSectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence section")
        ordering = ["article", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "order"], name="evidencesection_unique_order",
                violation_error_message=_("Two sections cannot share a position."),
            ),
        ]

    def __str__(self):
        return self.heading


class Statement(models.Model):
    class Style(models.TextChoices):
        PARAGRAPH = "paragraph", _("Paragraph")
        BULLET = "bullet", _("Bullet")
        SUBHEADING = "subheading", _("Sub-heading")

    section = models.ForeignKey(
        EvidenceSection, on_delete=models.CASCADE, related_name="statements"
    )
    style = models.CharField(
        _("style"), max_length=16, choices=Style.choices, default=Style.BULLET
    )
    text = models.TextField(
        _("text"), validators=[MaxLengthValidator(STATEMENT_MAX_LENGTH)],
        help_text=_("Markdown. HTML is shown as text, never run."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("statement")
        ordering = ["section", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "order"], name="statement_unique_order",
                violation_error_message=_("Two statements cannot share a position."),
            ),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def needs_citation(self) -> bool:
        return self.style != self.Style.SUBHEADING


class StatementVariant(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="variants")
    audience = models.ForeignKey(Audience, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"), validators=[MaxLengthValidator(STATEMENT_MAX_LENGTH)])

    class Meta:
        verbose_name = _("statement variant")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "audience"], name="statementvariant_one_per_audience",
                violation_error_message=_("This audience already has a variant."),
            ),
        ]

    def __str__(self):
        return f"{self.statement_id} [{self.audience}]"


class RevisionQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-number")


class Revision(models.Model):
    """An immutable JSON snapshot of a whole article, as submitted for review."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    snapshot = models.JSONField(_("snapshot"))
    content_hash = models.CharField(
        _("content hash"), max_length=64, help_text=_("SHA-256 of the canonical snapshot JSON.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        ordering = ["article", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="revision_unique_number",
                violation_error_message=_("This article already has a revision with that number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="revision_number_positive",
            ),
        ]

    def __str__(self):
        return f"{self.article} — r{self.number} ({self.short_hash})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A revision cannot be changed once it is made."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A revision cannot be deleted."))

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]


class Disclaimer(models.Model):
    """The professional medical disclaimer; one default and optional per-audience wording."""

    audience = models.OneToOneField(
        Audience, on_delete=models.CASCADE, null=True, blank=True, related_name="disclaimer",
        help_text=_("Leave empty for the default disclaimer."),
    )
    text = models.TextField(_("text"), help_text=_("Markdown."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("disclaimer")
        constraints = [
            # NULLs never collide in a unique index, so fold "no audience" into one value.
            models.UniqueConstraint(
                Coalesce("audience", Value(0)),
                name="disclaimer_single_default",
                violation_error_message=_("There is already a default disclaimer."),
            ),
        ]

    def __str__(self):
        return f"Disclaimer ({self.audience or 'default'})"


class EditorialPolicy(models.Model):
    """The editorial policy page; the newest row is the one shown."""

    title = models.CharField(_("title"), max_length=200, default="Editorial policy")
    body = models.TextField(_("body"), help_text=_("Markdown."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("editorial policy")
        verbose_name_plural = _("editorial policy")
        get_latest_by = "updated_at"

    def __str__(self):
        return self.title


class FollowUpQuestion(models.Model):
    """A reader's follow-up question, queued for editors to triage."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        CONVERTED = "converted", _("Turned into an article")
        DISMISSED = "dismissed", _("Dismissed")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="follow_up_questions"
    )
    audience = models.ForeignKey(
        Audience, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    question = models.TextField(_("question"), validators=[MaxLengthValidator(1000)])
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    client_hash = models.CharField(
        max_length=64, blank=True, db_index=True,
        help_text=_("Salted hash of the sender's address, for rate limiting; never the address."),
    )
    converted_article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("follow-up question")
        ordering = ["-created_at"]

    def __str__(self):
        return self.question[:80]
