"""Writes to the reference library: add, edit, delete, retract, and import from files.

The library knows nothing of articles. What a deletion or a retraction means for the articles
that cite a reference is decided above it: articles.services.references for deletion, and the
workflow (reviews.services) for retraction, which calls ``reference_mark_retracted`` here.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.text import capfirst

from citations.identifiers import normalize_doi, normalize_pmid, normalize_title
from citations.importers import ParsedRecord, read_reference_file
from citations.importers.records import IMPORTED_FIELDS, field_label
from citations.models import Reference

EDITABLE_FIELDS = frozenset({*IMPORTED_FIELDS, "evidence_grade", "version"})


@dataclass
class ImportPreview:
    """What an import would do: records to create, records already present, broken records.

    ``in_file_duplicates`` holds (later record, earlier record) pairs for a record that repeats
    one earlier in the same file: it is imported once. ``notices`` are sentences the desk shows
    above the preview (e.g. the file was read as Latin-1; a record appears twice).
    """

    format: str
    new: list[ParsedRecord]
    existing: list[tuple[ParsedRecord, Reference]]
    broken: list[ParsedRecord]
    encoding: str = "utf-8"
    in_file_duplicates: list[tuple[ParsedRecord, ParsedRecord]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def error_messages(self) -> list[str]:
        """Every broken record's problems, each naming the record and the field."""
        return [message for record in self.broken for message in record.messages()]


def _duplicate_keys(record: ParsedRecord) -> list[tuple]:
    values = record.fields
    keys: list[tuple] = []
    if values.get("doi"):
        keys.append(("doi", values["doi"]))
    if values.get("pmid"):
        keys.append(("pmid", values["pmid"]))
    title_key = normalize_title(values.get("title", ""))
    if title_key:
        keys.append(("title", title_key, values.get("year")))
    return keys


LOOKUP_CHUNK = 500


def _chunks(values: set) -> list[list]:
    ordered = sorted(values)
    return [ordered[start : start + LOOKUP_CHUNK] for start in range(0, len(ordered), LOOKUP_CHUNK)]


class _LibraryIndex:
    """The library's matches for one file's records, looked up in a few queries, not per record.

    Same rule as reference_find_duplicate: DOI, then PMID, then folded title and year; the
    oldest reference wins when several match.
    """

    def __init__(self, records: list[ParsedRecord]):
        values = [record.fields for record in records]
        self.by_doi: dict[str, Reference] = {}
        self.by_pmid: dict[str, Reference] = {}
        self.by_title: dict[tuple, int] = {}
        dois = {value["doi"].lower() for value in values if value.get("doi")}
        for chunk in _chunks(dois):
            matches = Reference.objects.annotate(doi_key=Lower("doi")).filter(doi_key__in=chunk)
            for reference in matches.order_by("-pk"):
                self.by_doi[reference.doi_key] = reference
        pmids = {value["pmid"] for value in values if value.get("pmid")}
        for chunk in _chunks(pmids):
            for reference in Reference.objects.filter(pmid__in=chunk).order_by("-pk"):
                self.by_pmid[reference.pmid] = reference
        years = {value.get("year") for value in values}
        queries = [Reference.objects.filter(year__in=chunk) for chunk in _chunks(years - {None})]
        if None in years:
            queries.append(Reference.objects.filter(year__isnull=True))
        wanted = {self._title_key(value) for value in values}
        for query in queries:
            for pk, title, year in query.order_by("-pk").values_list("pk", "title", "year"):
                key = (normalize_title(title), year)
                if key in wanted:
                    self.by_title[key] = pk
        self.title_matches = (
            Reference.objects.in_bulk(set(self.by_title.values())) if self.by_title else {}
        )

    @staticmethod
    def _title_key(values: dict) -> tuple:
        return (normalize_title(values.get("title", "")), values.get("year"))

    def find(self, record: ParsedRecord) -> Reference | None:
        values = record.fields
        if values.get("doi") and (match := self.by_doi.get(values["doi"].lower())):
            return match
        if values.get("pmid") and (match := self.by_pmid.get(values["pmid"])):
            return match
        pk = self.by_title.get(self._title_key(values))
        return self.title_matches.get(pk) if pk else None


def references_import_preview(*, data: bytes, filename: str) -> ImportPreview:
    """Parse an upload and sort its records into new, existing and broken; saves nothing.

    Raises ImportFileError (from citations.importers) when the file as a whole is unusable.
    """
    parsed = read_reference_file(data, filename)
    preview = ImportPreview(
        format=parsed.format,
        new=[],
        existing=[],
        broken=[],
        encoding=parsed.encoding,
        notices=list(parsed.notices),
    )
    library = _LibraryIndex([record for record in parsed.records if not record.errors])
    earlier: dict[tuple, ParsedRecord] = {}
    for record in parsed.records:
        if record.errors:
            preview.broken.append(record)
            continue
        match = library.find(record)
        if match is not None:
            preview.existing.append((record, match))
            continue
        keys = _duplicate_keys(record)
        first = next((earlier[key] for key in keys if key in earlier), None)
        if first is not None:
            preview.in_file_duplicates.append((record, first))
            preview.notices.append(
                f"{capfirst(record.label)} repeats {first.label}; it will be imported once."
            )
            continue
        preview.new.append(record)
        for key in keys:
            earlier.setdefault(key, record)
    return preview


@transaction.atomic
def references_import(
    *, data: bytes, filename: str, user: AbstractBaseUser | None
) -> list[Reference]:
    """Create every new record of the file at once, or nothing if any record is broken.

    Records already in the library, and repeats within the file, are skipped. A broken record
    raises ValidationError whose messages name each record and field; ImportFileError
    propagates for a whole-file problem. Either way nothing is saved.
    """
    preview = references_import_preview(data=data, filename=filename)
    if preview.broken:
        raise ValidationError(
            [
                ValidationError(message, code="import_broken_record")
                for message in preview.error_messages
            ]
        )
    created = []
    for record in preview.new:
        reference = Reference(created_by=user, **record.fields)
        try:
            # The preview has matched DOI, PMID and title against the library and the file, and
            # the parser checked the year, so the per-row constraint queries would only repeat
            # it; a race with another writer still ends in IntegrityError below.
            reference.full_clean(validate_unique=False, validate_constraints=False)
            with transaction.atomic():
                reference.save()
        except ValidationError as exc:
            raise ValidationError(
                [
                    ValidationError(
                        f"{capfirst(record.label)}: {field_label(name)} — {message}",
                        code="import_broken_record",
                    )
                    for name, messages in exc.message_dict.items()
                    for message in messages
                ]
            ) from exc
        except IntegrityError as exc:
            # Someone saved the same DOI or PMID between our check and our insert.
            raise ValidationError(
                f"{capfirst(record.label)} was added to the library by someone else while "
                "this file was being imported. Preview the file again.",
                code="import_conflict",
            ) from exc
        created.append(reference)
    return created


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
    # iexact: rows written around full_clean (fixtures, raw SQL) may keep the DOI's capitals.
    if doi and (match := references.filter(doi__iexact=doi).order_by("pk").first()):
        return match
    pmid = _normalized_or_blank(pmid, normalize_pmid)
    if pmid and (match := references.filter(pmid=pmid).order_by("pk").first()):
        return match
    title_key = normalize_title(title)
    if not title_key:
        return None
    same_year = (
        references.filter(year=year) if year is not None else references.filter(year__isnull=True)
    )
    # Titles are folded in Python (accents, punctuation) so the match is the same on every DB.
    for pk, candidate_title in same_year.order_by("pk").values_list("pk", "title"):
        if normalize_title(candidate_title) == title_key:
            return references.get(pk=pk)
    return None


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
