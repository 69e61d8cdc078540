"""Writes to the reference library by hand: add, edit, delete and retract.

The library knows nothing of articles. What a deletion or a retraction means for the articles
that cite a reference is decided above it: articles.services.references for deletion, and the
workflow (reviews.services) for retraction, which calls ``reference_mark_retracted`` here.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from citations.identifiers import normalize_doi, normalize_pmid
from citations.importers.records import IMPORTED_FIELDS
from citations.models import Reference, title_match_key

EDITABLE_FIELDS = frozenset({*IMPORTED_FIELDS, "evidence_grade", "version"})


def _normalized_or_blank(value, normalize) -> str:
    try:
        return normalize(value) if value else ""
    except ValidationError:
        return ""


def reference_find_duplicate(
    *,
    doi: str = "",
    pmid: str = "",
    title: str = "",
    year: int | None = None,
    exclude_pk: int | None = None,
) -> Reference | None:
    """The library's copy of a reference: same DOI, else same PMID, else same title and year."""
    references = Reference.objects.all()
    if exclude_pk is not None:
        references = references.exclude(pk=exclude_pk)
    doi = _normalized_or_blank(doi, normalize_doi)
    # Lower-cased: rows written around full_clean (fixtures, raw SQL) may keep the DOI's
    # capitals. An index on LOWER(doi) serves this lookup on both databases.
    by_doi = references.annotate(doi_key=Lower("doi")).filter(doi_key=doi)
    if doi and (match := by_doi.order_by("pk").first()):
        return match
    pmid = _normalized_or_blank(pmid, normalize_pmid)
    if pmid and (match := references.filter(pmid=pmid).order_by("pk").first()):
        return match
    title_key = title_match_key(title)
    if not title_key:
        return None
    same_year = (
        references.filter(year=year) if year is not None else references.filter(year__isnull=True)
    )
    # Titles are folded in Python (accents, punctuation) when a row is written, so the match is
    # the same on every database, and an index lookup.
    return same_year.filter(title_key=title_key).order_by("pk").first()


def _reference_validate(reference: Reference) -> None:
    """full_clean, with a duplicate DOI or PMID reported on its field with the match's pk."""
    errors: dict = {}
    try:
        reference.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    for name, label in (("doi", "DOI"), ("pmid", "PMID")):
        value = getattr(reference, name)
        if not value or name in errors:
            continue
        match = reference_find_duplicate(**{name: value}, exclude_pk=reference.pk)
        if match is not None:
            errors.setdefault(name, []).append(
                ValidationError(
                    "“%(reference)s” already has this %(label)s.",
                    code="duplicate_reference",
                    params={"reference": str(match), "reference_pk": match.pk, "label": label},
                )
            )
    if not errors:
        reference.validate_constraints()
        return
    raise ValidationError(errors)


def _check_field_names(fields: dict) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable reference fields: {', '.join(sorted(unknown))}")


@transaction.atomic
def reference_create(*, user: AbstractBaseUser | None, **fields) -> Reference:
    """Add a reference by hand, validated and with DOI/PMID normalized."""
    _check_field_names(fields)
    reference = Reference(created_by=user, **fields)
    _reference_validate(reference)
    reference.save()
    return reference


@transaction.atomic
def reference_update(*, reference: Reference, **fields) -> Reference:
    """Edit a reference; a stale ``version`` raises concurrency's RecordModifiedError."""
    _check_field_names(fields)
    for name, value in fields.items():
        setattr(reference, name, value)
    _reference_validate(reference)
    reference.save()
    return reference


@transaction.atomic
def reference_delete_uncited(*, reference: Reference) -> None:
    """Delete a reference; callers first make sure no article cites it."""
    if reference.citations.exists():
        raise ValidationError(
            "This reference is cited; remove those citations first.", code="reference_cited"
        )
    reference.delete()


@transaction.atomic
def reference_mark_retracted(*, reference: Reference, reason: str, notice: str) -> Reference:
    """Flag a reference retracted, with the reason and the retraction notice's DOI or URL."""
    reason, notice = (reason or "").strip(), (notice or "").strip()
    errors = {}
    if not reason:
        errors["retraction_note"] = ValidationError(
            "Say why the source was retracted.", code="reason_required"
        )
    if not notice:
        errors["retraction_notice"] = ValidationError(
            "Give the retraction notice's DOI or URL.", code="notice_required"
        )
    elif not notice.lower().startswith(("http://", "https://")):
        try:
            notice = normalize_doi(notice)
        except ValidationError:
            errors["retraction_notice"] = ValidationError(
                "Give the retraction notice as a DOI (10.…) or a web address.",
                code="notice_invalid",
            )
    if errors:
        raise ValidationError(errors)
    reference = Reference.objects.select_for_update().get(pk=reference.pk)
    if reference.retracted:
        raise ValidationError("This reference is already marked retracted.", code="already")
    reference.retracted = True
    reference.retraction_note = reason
    reference.retraction_notice = notice
    reference.full_clean()
    reference.save()
    return reference
