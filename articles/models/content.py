"""The working copy's content: topics, sections, statements and audience variants.

Every content row refuses to be saved or deleted while its article is out of its authors'
hands (submitted, under review, approved, rejected or archived). The check reads the article's
state from the database, so no door (desk, admin, shell, API) can write frozen content.
"""

from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models.audience import disclaimer_choice

STATEMENT_MAX_LENGTH = 4000
SUMMARY_MAX_LENGTH = 2000
# The states in which authors may change the working copy.
EDITABLE_STATES = frozenset({"draft", "changes_requested"})


class ArticleLocked(Exception):
    """The article's state does not allow content edits (e.g. it is under review)."""

    def __init__(self, article) -> None:
        self.article = article
        super().__init__(
            f"“{article.title}” is {article.get_status_display().lower()}: its content is "
            "read-only until it is back in draft or changes are requested. Nothing was saved."
        )


def ensure_article_editable(**lookup) -> None:
    """Raise ArticleLocked unless the article matching ``lookup`` may have its content changed."""
    article_model = apps.get_model("articles", "Article")
    article = article_model.objects.filter(**lookup).only("pk", "title", "status").first()
    if article is not None and article.status not in EDITABLE_STATES:
        raise ArticleLocked(article)


class ArticleContent(models.Model):
    """A piece of an article's working copy, frozen with the article."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        ensure_article_editable(**self.article_lookup())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        ensure_article_editable(**self.article_lookup())
        return super().delete(*args, **kwargs)

    def article_lookup(self) -> dict:
        """How to find the owning article from this row's foreign key."""
        raise NotImplementedError


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    disclaimer = disclaimer_choice(
        _("The default for this topic's articles; empty means the General one.")
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", args=[self.slug])


class SectionKind(models.Model):
    """A kind of evidence section: guidelines, research, or one that editors add."""

    GUIDELINES = "guidelines"
    RESEARCH = "research"
    # Red-flag symptoms: shown as a prominent "When to get help" box (migration 0005).
    HELP = "help"

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


class ArticleSummaryVariant(ArticleContent):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="summary_variants"
    )
    audience = models.ForeignKey("articles.Audience", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"), validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)])

    class Meta:
        verbose_name = _("summary variant")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "audience"],
                name="articlesummaryvariant_one_per_audience",
                violation_error_message=_("This audience already has a summary variant."),
            ),
        ]

    def __str__(self):
        return f"{self.article} [{self.audience}]"

    def article_lookup(self) -> dict:
        return {"pk": self.article_id}


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


class EvidenceSection(ArticleContent):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.ForeignKey(SectionKind, on_delete=models.PROTECT, related_name="+")
    heading = models.CharField(_("heading"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = EvidenceSectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence section")
        ordering = ["article", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "order"],
                name="evidencesection_unique_order",
                violation_error_message=_("Two sections cannot share a position."),
            ),
        ]

    def __str__(self):
        return self.heading

    def article_lookup(self) -> dict:
        return {"pk": self.article_id}


class Statement(ArticleContent):
    class Style(models.TextChoices):
        PARAGRAPH = "paragraph", _("Paragraph")
        BULLET = "bullet", _("Bullet")
        SUBHEADING = "subheading", _("Sub-heading")

    section = models.ForeignKey(
        EvidenceSection, on_delete=models.CASCADE, related_name="statements"
    )
    style = models.CharField(_("style"), max_length=16, choices=Style.choices, default=Style.BULLET)
    text = models.TextField(
        _("text"),
        validators=[MaxLengthValidator(STATEMENT_MAX_LENGTH)],
        help_text=_("Markdown. HTML is shown as text, never run."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("statement")
        ordering = ["section", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "order"],
                name="statement_unique_order",
                violation_error_message=_("Two statements cannot share a position."),
            ),
        ]

    def __str__(self):
        return self.text[:60]

    def article_lookup(self) -> dict:
        return {"sections__pk": self.section_id}

    @classmethod
    def ensure_editable(cls, statement_pk: int) -> None:
        """For rows that hang off a statement (citations): refuse while its article is frozen."""
        ensure_article_editable(sections__statements__pk=statement_pk)

    @property
    def needs_citation(self) -> bool:
        return self.style != self.Style.SUBHEADING


class StatementVariant(ArticleContent):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="variants")
    audience = models.ForeignKey("articles.Audience", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"), validators=[MaxLengthValidator(STATEMENT_MAX_LENGTH)])

    class Meta:
        verbose_name = _("statement variant")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "audience"],
                name="statementvariant_one_per_audience",
                violation_error_message=_("This audience already has a variant."),
            ),
        ]

    def __str__(self):
        return f"{self.statement_id} [{self.audience}]"

    def article_lookup(self) -> dict:
        return {"sections__statements__pk": self.statement_id}
