"""The one write path for article content: the desk, the API and scripts all come here.

Every change to an article's question, summary, sections, statements, citations or variants
goes through ``_article_change``: it locks the article row, refuses if the article is not
editable in its state (ArticleLocked), if the user may not write it (PermissionDenied) or if
the caller's version is stale (ArticleConflict), records the user as a contributor to the
working copy, and bumps the article's version in the same transaction. Two people editing
the same tree therefore always see each other's saves, and the content models themselves
refuse writes to a frozen article, whatever the door.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from articles import policies
from articles.models import (
    Article,
    ArticleLocked,
    ArticleSummaryVariant,
    Audience,
    Disclaimer,
    EvidenceSection,
    SectionKind,
    Statement,
    StatementVariant,
    Topic,
)
from citations.models import Citation, Reference

# A keyword left out keeps the stored value (the API's updates do not send a disclaimer).
_KEEP = object()


class ArticleConflict(Exception):
    """Someone saved the article after the caller loaded it; ``current`` is the saved copy."""

    def __init__(self, current: Article) -> None:
        self.current = current
        super().__init__(
            "Someone else saved this article after you opened it, so nothing was saved. "
            "Compare your input with the saved version below, then save again."
        )


class Move:
    """Directions for moving a section, statement or citation by one place."""

    UP = "up"
    DOWN = "down"


def unique_slug(title: str, *, exclude_pk: int | None = None, fallback: str = "article") -> str:
    """A slug for this title that no other article uses."""
    base = slugify(title)[:180].strip("-") or fallback
    slug, suffix = base, 2
    others = Article.objects.exclude(pk=exclude_pk) if exclude_pk else Article.objects.all()
    while others.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


@contextmanager
def _article_change(*, article_pk: int, version: int, user) -> Iterator[Article]:
    """Lock, check state, writer and version, let the caller change the tree, then bump."""
    with transaction.atomic():
        article = Article.objects.select_for_update().select_related("topic").get(pk=article_pk)
        if not article.is_content_editable:
            raise ArticleLocked(article)
        if not policies.may_open_at_desk(user, article):
            raise PermissionDenied("Only the article's authors and editors may change it.")
        if article.version != version:
            raise ArticleConflict(article)
        yield article
        article.contributors.add(user)
        try:
            article.save()
        except RecordModifiedError as error:
            # Only reachable when another writer slipped in without the row lock (SQLite).
            raise ArticleConflict(Article.objects.get(pk=article_pk)) from error


def _variants_save(model, parent_field: str, parent, variants: dict[Audience, str]) -> None:
    """Create, change or remove one variant per audience; empty text removes it."""
    for audience, text in variants.items():
        text = (text or "").strip()
        lookup = {parent_field: parent, "audience": audience}
        if not text:
            model.objects.filter(**lookup).delete()
            continue
        variant = model.objects.filter(**lookup).first() or model(**lookup)
        variant.text = text
        variant.full_clean()
        variant.save()


def _renumber(items: list) -> None:
    """Store positions 0..n-1 in two passes, so unique (parent, order) never collides."""
    if not items:
        return
    model = type(items[0])
    base = max(item.order for item in items) + 1
    for position, item in enumerate(items):
        item.order = base + position
    model.objects.bulk_update(items, ["order"])
    for position, item in enumerate(items):
        item.order = position
    model.objects.bulk_update(items, ["order"])


def _move_to(items: list, item, position: int) -> None:
    """Put ``item`` at 0-based ``position`` among ``items`` and renumber them."""
    others = [other for other in items if other.pk != item.pk]
    position = max(0, min(position, len(others)))
    others.insert(position, item)
    _renumber(others)


def _move_by(items: list, item, direction: str) -> None:
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    _move_to(items, item, index - 1 if direction == Move.UP else index + 1)


# Articles -----------------------------------------------------------------------------------


@transaction.atomic
def _provenance_apply(article: Article, provenance: str, pipeline: str, model: str) -> None:
    machine = provenance == Article.Provenance.MACHINE
    article.provenance = provenance
    article.pipeline_name = pipeline.strip() if machine else ""
    article.pipeline_model = model.strip() if machine else ""


def article_create(
    *,
    user,
    title: str,
    topic: Topic,
    summary: str = "",
    provenance: str = Article.Provenance.PERSON,
    pipeline: str = "",
    model: str = "",
) -> Article:
    """A new draft whose first author is its creator; ``provenance`` says how it was drafted."""
    if not policies.can_use_desk(user):
        raise PermissionDenied("Only authors and editors create articles.")
    article = Article(title=title.strip(), topic=topic, summary=summary, slug=unique_slug(title))
    _provenance_apply(article, provenance, pipeline, model)
    article.full_clean()
    article.save()
    article.authors.add(user)
    article.contributors.add(user)
    return article


def article_provenance_set(
    *, user, article_pk: int, version: int, provenance: str, pipeline: str = "", model: str = ""
) -> Article:
    """Record how the working copy was drafted: by a person, or by a named pipeline and model."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        _provenance_apply(article, provenance, pipeline, model)
        article.full_clean(exclude=["version"])
    return article


def article_update(
    *,
    user,
    article_pk: int,
    version: int,
    title: str,
    topic: Topic,
    summary: str,
    summary_variants: dict[Audience, str] | None = None,
    disclaimer: Disclaimer | None | object = _KEEP,
) -> Article:
    """Change the question, topic, summary and its audience variants, and the disclaimer."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        article.title = title.strip()
        article.topic = topic
        article.summary = summary
        if disclaimer is not _KEEP:
            article.disclaimer = disclaimer
        article.full_clean(exclude=["version"])
        _variants_save(ArticleSummaryVariant, "article", article, summary_variants or {})
    return article


# Sections -----------------------------------------------------------------------------------


def _sections(article: Article) -> list[EvidenceSection]:
    return list(EvidenceSection.objects.filter(article=article).order_by("order", "pk"))


def section_add(
    *, user, article_pk: int, version: int, kind: SectionKind, heading: str = ""
) -> EvidenceSection:
    """Append an evidence section; an empty heading takes the kind's default heading."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        last = article.sections.aggregate(last=Max("order"))["last"]
        section = EvidenceSection(
            article=article,
            kind=kind,
            heading=(heading or "").strip() or kind.default_heading,
            order=0 if last is None else last + 1,
        )
        section.full_clean()
        section.save()
    return section


def section_update(
    *,
    user,
    section_pk: int,
    article_pk: int,
    version: int,
    kind: SectionKind,
    heading: str,
    position: int | None = None,
) -> EvidenceSection:
    """Change a section's kind and heading, and optionally its 1-based position."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        section = article.sections.get(pk=section_pk)
        section.kind = kind
        section.heading = (heading or "").strip() or kind.default_heading
        section.full_clean(exclude=["order"])
        section.save(update_fields=["kind", "heading"])
        if position is not None:
            _move_to(_sections(article), section, position - 1)
    return section


def section_move(*, user, section_pk: int, article_pk: int, version: int, direction: str) -> None:
    """Swap a section with its neighbour above or below."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        _move_by(_sections(article), article.sections.get(pk=section_pk), direction)


def section_delete(*, user, section_pk: int, article_pk: int, version: int) -> None:
    """Delete a section with its statements, citations and variants."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        article.sections.get(pk=section_pk).delete()
        _renumber(_sections(article))


# Statements ---------------------------------------------------------------------------------


def _statements(section: EvidenceSection) -> list[Statement]:
    return list(Statement.objects.filter(section=section).order_by("order", "pk"))


def _statement_of(article: Article, statement_pk: int) -> Statement:
    return Statement.objects.select_related("section").get(
        pk=statement_pk, section__article=article
    )


def statement_add(
    *, user, section_pk: int, article_pk: int, version: int, style: str, text: str
) -> Statement:
    """Append a statement to a section."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        section = article.sections.get(pk=section_pk)
        last = section.statements.aggregate(last=Max("order"))["last"]
        statement = Statement(
            section=section, style=style, text=text, order=0 if last is None else last + 1
        )
        statement.full_clean()
        statement.save()
    return statement


def statement_update(
    *,
    user,
    statement_pk: int,
    article_pk: int,
    version: int,
    style: str,
    text: str,
    variants: dict[Audience, str] | None = None,
    position: int | None = None,
) -> Statement:
    """Change a statement's style, text, audience variants and optionally its position."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        statement = _statement_of(article, statement_pk)
        statement.style = style
        statement.text = text
        statement.full_clean(exclude=["order"])
        statement.save(update_fields=["style", "text"])
        _variants_save(StatementVariant, "statement", statement, variants or {})
        if position is not None:
            _move_to(_statements(statement.section), statement, position - 1)
    return statement


def statement_move(
    *, user, statement_pk: int, article_pk: int, version: int, direction: str
) -> None:
    """Swap a statement with its neighbour in the same section."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        statement = _statement_of(article, statement_pk)
        _move_by(_statements(statement.section), statement, direction)


def statement_delete(*, user, statement_pk: int, article_pk: int, version: int) -> None:
    """Delete a statement with its citations and variants."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        statement = _statement_of(article, statement_pk)
        section = statement.section
        statement.delete()
        _renumber(_statements(section))


# Citations ----------------------------------------------------------------------------------


def _citations(statement: Statement) -> list[Citation]:
    return list(Citation.objects.filter(statement=statement).order_by("order", "pk"))


def citation_add(
    *, user, statement_pk: int, article_pk: int, version: int, reference: Reference
) -> Citation:
    """Cite a reference at the end of a statement's citations."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        statement = _statement_of(article, statement_pk)
        if reference.retracted:
            raise ValidationError(
                "“%(title)s” is retracted and cannot be cited.",
                code="retracted",
                params={"title": reference.title[:80]},
            )
        if statement.citations.filter(reference=reference).exists():
            raise ValidationError(
                "This statement already cites that reference.", code="already_cited"
            )
        last = statement.citations.aggregate(last=Max("order"))["last"]
        citation = Citation(
            statement=statement, reference=reference, order=0 if last is None else last + 1
        )
        citation.full_clean()
        citation.save()
    return citation


def citation_move(
    *, user, citation_pk: int, statement_pk: int, article_pk: int, version: int, direction: str
) -> None:
    """Move a citation earlier or later within its statement."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        statement = _statement_of(article, statement_pk)
        _move_by(_citations(statement), statement.citations.get(pk=citation_pk), direction)


def citation_remove(
    *, user, citation_pk: int, statement_pk: int, article_pk: int, version: int
) -> None:
    """Stop a statement from citing a reference (the reference stays in the library)."""
    with _article_change(article_pk=article_pk, version=version, user=user) as article:
        statement = _statement_of(article, statement_pk)
        statement.citations.get(pk=citation_pk).delete()
        _renumber(_citations(statement))
