"""Create and replace a whole draft through articles.services.content, all or nothing.

There is no second write path: every change below is one call to the content services,
which lock the article, check its state, its writer and its version, and bump the version.
"""

from collections.abc import Callable
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction

from api.problems import FieldError, errors_from_django, pointer
from api.schemas import DraftIn, ProvenanceIn
from api.services.citations import CitationProblems, Resolved, citation_resolve
from articles.models import Article, Audience, SectionKind, Topic
from articles.services import content


class DraftInvalid(Exception):
    """The draft has problems at these paths; nothing was saved."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{error.path}: {error.message}" for error in errors))
        self.errors = errors


class _Lookups:
    """The slugs a draft names, resolved once, with every unknown one reported."""

    def __init__(self, payload: DraftIn) -> None:
        self.errors: list[FieldError] = []
        self.topic = Topic.objects.filter(slug=payload.topic).first()
        if self.topic is None:
            self.errors.append(
                FieldError("/topic", f"There is no topic “{payload.topic}”.", "unknown_topic")
            )
        self.kinds = {kind.slug: kind for kind in SectionKind.objects.all()}
        self.audiences = {audience.slug: audience for audience in Audience.objects.all()}
        self._check_audiences(payload.summary_variants, ("summary_variants",))
        for s, section in enumerate(payload.sections):
            if section.kind not in self.kinds:
                self.errors.append(
                    FieldError(
                        pointer("sections", s, "kind"),
                        f"There is no section kind “{section.kind}”. "
                        f"Kinds: {', '.join(sorted(self.kinds))}.",
                        "unknown_kind",
                    )
                )
            for t, statement in enumerate(section.statements):
                self._check_audiences(
                    statement.variants, ("sections", s, "statements", t, "variants")
                )
        self._check_provenance(payload.provenance)
        if self.errors:
            raise DraftInvalid(self.errors)

    def _check_audiences(self, variants: dict[str, str], where: tuple) -> None:
        for slug in variants:
            if slug not in self.audiences:
                self.errors.append(
                    FieldError(
                        pointer(*where, slug), f"There is no audience “{slug}”.", "unknown_audience"
                    )
                )

    def _check_provenance(self, provenance: ProvenanceIn | None) -> None:
        if (
            provenance is not None
            and provenance.kind == "machine"
            and not provenance.pipeline.strip()
        ):
            self.errors.append(
                FieldError(
                    "/provenance/pipeline",
                    "A machine-drafted answer names the pipeline that drafted it.",
                    "pipeline_required",
                )
            )

    def variants(self, texts: dict[str, str], *, clear_others: bool = False) -> dict:
        chosen = {self.audiences[slug]: text for slug, text in texts.items()}
        if clear_others:
            chosen.update({a: "" for a in self.audiences.values() if a not in chosen})
        return chosen


class _Writer:
    """Calls the content services in turn, passing each the article's current version."""

    def __init__(self, *, user, article: Article) -> None:
        self.user = user
        self.article_pk = article.pk
        self.version = article.version

    def __call__(self, service: Callable, **kwargs):
        result = service(user=self.user, article_pk=self.article_pk, version=self.version, **kwargs)
        self.version = Article.objects.values_list("version", flat=True).get(pk=self.article_pk)
        return result


@contextmanager
def _at(where: tuple):
    """Report a ValidationError from a service at this place in the draft."""
    try:
        yield
    except ValidationError as error:
        raise DraftInvalid(errors_from_django(error, base=where)) from error
    except CitationProblems as problems:
        raise DraftInvalid(problems.errors) from problems


def _provenance_kwargs(provenance: ProvenanceIn | None) -> dict:
    if provenance is None:
        return {}
    return {
        "provenance": provenance.kind,
        "pipeline": provenance.pipeline,
        "model": provenance.model,
    }


def _tree_build(*, write: _Writer, payload: DraftIn, lookups: _Lookups) -> list[Resolved]:
    resolved: list[Resolved] = []
    for s, section_in in enumerate(payload.sections):
        with _at(("sections", s)):
            section = write(
                content.section_add, kind=lookups.kinds[section_in.kind], heading=section_in.heading
            )
        for t, statement_in in enumerate(section_in.statements):
            where = ("sections", s, "statements", t)
            with _at(where):
                statement = write(
                    content.statement_add,
                    section_pk=section.pk,
                    style=statement_in.style,
                    text=statement_in.text,
                )
            if statement_in.variants:
                with _at((*where, "variants")):
                    write(
                        content.statement_update,
                        statement_pk=statement.pk,
                        style=statement_in.style,
                        text=statement_in.text,
                        variants=lookups.variants(statement_in.variants),
                    )
            for c, citation_in in enumerate(statement_in.citations):
                at = (*where, "citations", c)
                with _at(at):
                    found = citation_resolve(item=citation_in, user=write.user, where=at)
                    write(
                        content.citation_add, statement_pk=statement.pk, reference=found.reference
                    )
                resolved.append(found)
    return resolved


@transaction.atomic
def draft_create(*, user, payload: DraftIn) -> tuple[Article, list[Resolved]]:
    """A new draft with its whole tree, created by the user; all or nothing."""
    lookups = _Lookups(payload)
    with _at(()):
        article = content.article_create(
            user=user,
            title=payload.question,
            topic=lookups.topic,
            summary=payload.summary,
            **_provenance_kwargs(payload.provenance),
        )
    write = _Writer(user=user, article=Article.objects.get(pk=article.pk))
    if payload.summary_variants:
        with _at(("summary_variants",)):
            write(
                content.article_update,
                title=payload.question,
                topic=lookups.topic,
                summary=payload.summary,
                summary_variants=lookups.variants(payload.summary_variants),
            )
    resolved = _tree_build(write=write, payload=payload, lookups=lookups)
    return Article.objects.get(pk=article.pk), resolved


@transaction.atomic
def draft_replace(
    *, user, article: Article, version: int, payload: DraftIn
) -> tuple[Article, list[Resolved]]:
    """Replace a draft's question, summary and whole tree, if ``version`` is still current."""
    lookups = _Lookups(payload)
    write = _Writer(user=user, article=article)
    write.version = version
    with _at(()):
        updated = write(
            content.article_update,
            title=payload.question,
            topic=lookups.topic,
            summary=payload.summary,
            summary_variants=lookups.variants(payload.summary_variants, clear_others=True),
        )
        if payload.provenance is not None:
            updated = write(
                content.article_provenance_set, **_provenance_kwargs(payload.provenance)
            )
    for section_pk in list(updated.sections.values_list("pk", flat=True)):
        write(content.section_delete, section_pk=section_pk)
    resolved = _tree_build(write=write, payload=payload, lookups=lookups)
    return Article.objects.get(pk=article.pk), resolved
