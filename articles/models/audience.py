"""Readers' audiences and the disclaimer each one sees."""

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


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
        _("schema.org audience"),
        max_length=32,
        choices=SchemaType.choices,
        default=SchemaType.PATIENT,
        help_text=_("Used in the page's structured data."),
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
                fields=["is_default"],
                condition=Q(is_default=True),
                name="audience_single_default",
                violation_error_message=_("Only one audience can be the default."),
            ),
        ]

    def __str__(self):
        return self.name


class Disclaimer(models.Model):
    """One wording of a named professional medical disclaimer.

    Rows that share a name are one disclaimer: the row without an audience is its default
    wording, each other row its wording for one audience. Articles and topics point at the
    default row; the page then shows the reader's audience wording of that same disclaimer.
    """

    DEFAULT_NAME = "General"

    name = models.CharField(
        _("name"),
        max_length=80,
        default=DEFAULT_NAME,
        help_text=_(
            "Rows with the same name are one disclaimer. “General” is the site-wide default "
            "for topics and articles that choose none."
        ),
    )
    audience = models.ForeignKey(
        Audience,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="disclaimers",
        help_text=_("Leave empty for this disclaimer's default wording."),
    )
    text = models.TextField(_("text"), help_text=_("Markdown."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("disclaimer")
        ordering = ["name", "audience__order", "pk"]
        constraints = [
            # NULLs never collide in a unique index, so fold "no audience" into one value.
            models.UniqueConstraint(
                "name",
                Coalesce("audience", Value(0)),
                name="disclaimer_one_wording_per_audience",
                violation_error_message=_(
                    "This disclaimer already has a wording for that audience."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.audience or 'default wording'})"


def disclaimer_choice(help_text: str) -> models.ForeignKey:
    """A topic's or article's choice of disclaimer: a default wording row, or empty."""
    return models.ForeignKey(
        Disclaimer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"audience__isnull": True},
        verbose_name=_("disclaimer"),
        help_text=help_text,
    )
