from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from citations.identifiers import normalize_doi, normalize_pmid, normalize_title

# More words than this narrow nothing further and only slow the query down.
MAX_SEARCH_WORDS = 8


class ReferenceQuerySet(models.QuerySet):
    def not_retracted(self):
        return self.filter(retracted=False)

    def search(self, text: str):
        """References matching every word of the text, for the citation picker.

        A word matches a title, an author's name, the journal, a DOI, a PMID or, when it is a
        year, the year: "Garber 2011" finds Garber's 2011 paper.
        """
        words = (text or "").split()
        if not words:
            return self
        matches = self
        for word in words[:MAX_SEARCH_WORDS]:
            match = (
                Q(title__icontains=word)
                | Q(authors__icontains=word)
                | Q(journal__icontains=word)
                | Q(doi__icontains=word.lower())
                | Q(pmid=word)
            )
            if word.isdigit() and len(word) == 4:
                match |= Q(year=int(word))
            matches = matches.filter(match)
        return matches


TITLE_KEY_LENGTH = 500


def title_match_key(title: str) -> str:
    """The folded title (normalize_title) as stored in ``Reference.title_key``."""
    return normalize_title(title)[:TITLE_KEY_LENGTH]


class TitleKeyField(models.CharField):
    """The title folded for duplicate matching, recomputed from ``title`` whenever a row is
    written (save and bulk_create alike): matching a file's titles is then an indexed lookup,
    not a scan of every title of the year in Python."""

    def pre_save(self, model_instance, add):
        value = title_match_key(model_instance.title)
        setattr(model_instance, self.attname, value)
        return value


class Reference(models.Model):
    """A published source that statements cite, formatted in AMA style."""

    class Kind(models.TextChoices):
        GUIDELINE = "guideline", _("Guideline")
        SYSTEMATIC_REVIEW = "systematic_review", _("Systematic review")
        RANDOMIZED_TRIAL = "randomized_trial", _("Randomized trial")
        OBSERVATIONAL = "observational", _("Observational study")
        NARRATIVE_REVIEW = "narrative_review", _("Narrative review")
        OTHER = "other", _("Other")

    class EvidenceGrade(models.TextChoices):
        HIGH = "high", _("High")
        MODERATE = "moderate", _("Moderate")
        LOW = "low", _("Low")
        VERY_LOW = "very_low", _("Very low")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    authors = models.JSONField(
        _("authors"),
        default=list,
        blank=True,
        help_text=_('Ordered list of {"family": ..., "given": ...}; given names may be initials.'),
    )
    title = models.CharField(_("title"), max_length=500)
    journal = models.CharField(
        _("journal or issuing body"),
        max_length=300,
        blank=True,
        help_text=_("Full journal title, or the body that issued a guideline."),
    )
    journal_abbrev = models.CharField(
        _("journal abbreviation"),
        max_length=120,
        blank=True,
        help_text=_("NLM abbreviation, e.g. “Br J Sports Med”. AMA style prints this one."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    volume = models.CharField(_("volume"), max_length=30, blank=True)
    issue = models.CharField(_("issue"), max_length=30, blank=True)
    pages = models.CharField(_("pages"), max_length=50, blank=True)
    doi = models.CharField(_("DOI"), max_length=255, blank=True, help_text=_("e.g. 10.1000/xyz"))
    pmid = models.CharField(_("PMID"), max_length=12, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    evidence_grade = models.CharField(
        _("evidence grade"),
        max_length=16,
        choices=EvidenceGrade.choices,
        blank=True,
        help_text=_("Optional GRADE certainty of the evidence this source gives."),
    )
    retracted = models.BooleanField(
        _("retracted"),
        default=False,
        help_text=_("A retracted reference blocks submission of any article citing it."),
    )
    retraction_note = models.CharField(
        _("retraction reason"),
        max_length=500,
        blank=True,
        help_text=_("Why the source was retracted, in a sentence readers can understand."),
    )
    retraction_notice = models.CharField(
        _("retraction notice"),
        max_length=500,
        blank=True,
        help_text=_("The DOI or URL of the publisher's retraction notice."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = IntegerVersionField()
    title_key = TitleKeyField(
        _("title for matching"), max_length=TITLE_KEY_LENGTH, blank=True, editable=False
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["title"]
        indexes = [
            # Duplicate matching: by folded title and year, and by DOI whatever its case.
            models.Index(fields=["title_key", "year"], name="reference_title_key_idx"),
            models.Index(Lower("doi"), name="reference_doi_lower_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["doi"],
                condition=~Q(doi=""),
                name="reference_unique_doi",
                violation_error_message=_("A reference with this DOI already exists."),
            ),
            models.UniqueConstraint(
                fields=["pmid"],
                condition=~Q(pmid=""),
                name="reference_unique_pmid",
                violation_error_message=_("A reference with this PMID already exists."),
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1500, year__lte=2200),
                name="reference_year_plausible",
                violation_error_message=_("The year must be between 1500 and 2200."),
            ),
        ]

    def __str__(self):
        first = self.authors[0].get("family", "") if self.authors else ""
        lead = f"{first} " if first else ""
        return f"{lead}{self.year or 'n.d.'}: {self.title[:80]}"

    def get_absolute_url(self):
        return reverse("desk:reference_edit", args=[self.pk])

    def clean_fields(self, exclude=None):
        # Normalize first: "https://doi.org/10.1000/X" is a valid DOI that is longer, and
        # spelled differently, than the one we store.
        errors = {}
        for name, normalize in (("doi", normalize_doi), ("pmid", normalize_pmid)):
            value = getattr(self, name)
            if value and (exclude is None or name not in exclude):
                try:
                    setattr(self, name, normalize(value))
                except ValidationError as exc:
                    errors[name] = exc.error_list
                    exclude = {*(exclude or ()), name}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean(self):
        errors = {}
        if not isinstance(self.authors, list) or any(
            not isinstance(a, dict) or not str(a.get("family", "")).strip() for a in self.authors
        ):
            errors["authors"] = ValidationError(
                _("Each author needs a family name."), code="invalid_authors"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def link(self) -> str:
        """Where a reader can find the source: DOI first, then PubMed, then the URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    def to_csl(self) -> dict:
        """This reference as a CSL-JSON item."""
        item = {
            "id": f"ref-{self.pk}",
            "type": "article-journal",
            "title": self.title,
            "author": [dict(a) for a in self.authors],
            "container-title": self.journal,
            "container-title-short": self.journal_abbrev or self.journal,
        }
        if self.year:
            item["issued"] = {"date-parts": [[self.year]]}
        for key, value in (
            ("volume", self.volume),
            ("issue", self.issue),
            ("page", self.pages),
            ("DOI", self.doi),
            ("PMID", self.pmid),
            ("URL", self.url),
        ):
            if value:
                item[key] = value
        return item


class Citation(models.Model):
    """One reference cited by one statement, in the statement's citation order."""

    statement = models.ForeignKey(
        "articles.Statement", on_delete=models.CASCADE, related_name="citations"
    )
    reference = models.ForeignKey(Reference, on_delete=models.PROTECT, related_name="citations")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["statement", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "reference"],
                name="citation_unique_reference_per_statement",
                violation_error_message=_("This statement already cites that reference."),
            ),
        ]

    def __str__(self):
        return f"{self.statement_id} → {self.reference_id}"

    def save(self, *args, **kwargs):
        self._ensure_article_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._ensure_article_editable()
        return super().delete(*args, **kwargs)

    def _ensure_article_editable(self) -> None:
        # A citation is part of its article's content and freezes with it; the statement
        # model knows how to ask, so the library does not import articles.
        self._meta.get_field("statement").related_model.ensure_editable(self.statement_id)


from citations.jobs import ImportJob  # noqa: E402, F401  (the model lives in its own module)
