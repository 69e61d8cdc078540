"""Import from files: sort a file's records into new, already present and broken, then save.

Matching is by DOI, then PMID, then folded title and year, looked up for the whole file in a
few queries (chunks of LOOKUP_CHUNK values), never per record; new records are written in
batches. The desk runs imports in the background (citations.services.import_jobs).
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.text import capfirst

from citations.identifiers import normalize_title
from citations.importers import ParsedFile, ParsedRecord, read_reference_file
from citations.models import Reference, title_match_key


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
        # Titles only for the records no DOI or PMID matched: the rule stops at the first hit.
        unmatched = [value for value in values if not self._by_identifier(value)]
        wanted = {self._title_key(value) for value in unmatched}
        for chunk in _chunks({key for key, _year in wanted if key}):
            rows = Reference.objects.filter(title_key__in=chunk).order_by("-pk")
            for pk, key, year in rows.values_list("pk", "title_key", "year"):
                if (key, year) in wanted:
                    self.by_title[(key, year)] = pk
        self.title_matches = (
            Reference.objects.in_bulk(set(self.by_title.values())) if self.by_title else {}
        )

    @staticmethod
    def _title_key(values: dict) -> tuple:
        return (title_match_key(values.get("title") or ""), values.get("year"))

    def _by_identifier(self, values: dict) -> Reference | None:
        if values.get("doi") and (match := self.by_doi.get(values["doi"].lower())):
            return match
        if values.get("pmid") and (match := self.by_pmid.get(values["pmid"])):
            return match
        return None

    def find(self, record: ParsedRecord) -> Reference | None:
        values = record.fields
        if match := self._by_identifier(values):
            return match
        pk = self.by_title.get(self._title_key(values))
        return self.title_matches.get(pk) if pk else None


def references_import_preview(*, data: bytes, filename: str) -> ImportPreview:
    """Parse an upload and sort its records into new, existing and broken; saves nothing.

    Raises ImportFileError (from citations.importers) when the file as a whole is unusable.
    """
    return preview_parsed(read_reference_file(data, filename))


def preview_parsed(parsed: ParsedFile) -> ImportPreview:
    """Sort the records of an already parsed file against the library and each other."""
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


WRITE_BATCH = 500


def _conflict(records: list[ParsedRecord]) -> ValidationError:
    """Name the record someone else saved meanwhile, found again now, or the batch it was in."""
    library = _LibraryIndex(records)
    taken = next((record for record in records if library.find(record) is not None), None)
    if taken is not None:
        which = capfirst(taken.label)
    elif len(records) == 1:
        which = capfirst(records[0].label)
    else:
        which = f"One of records {records[0].index}–{records[-1].index}"
    return ValidationError(
        f"{which} was added to the library by someone else while this file was being "
        "imported, so nothing was imported. Import the file again.",
        code="import_conflict",
    )


def write_new_records(records: list[ParsedRecord], *, user) -> list[Reference]:
    """Insert the records as new references, a batch at a time; IntegrityError names one."""
    created = []
    for start in range(0, len(records), WRITE_BATCH):
        batch = records[start : start + WRITE_BATCH]
        references = [Reference(created_by=user, **record.fields) for record in batch]
        try:
            with transaction.atomic():
                Reference.objects.bulk_create(references)
        except IntegrityError as exc:
            # Someone saved the same DOI or PMID between our check and our insert.
            raise _conflict(batch) from exc
        created.extend(references)
    return created


@transaction.atomic
def references_import_parsed(
    *, parsed: ParsedFile, user: AbstractBaseUser | None
) -> tuple[ImportPreview, list[Reference]]:
    """Create every new record of a parsed file at once, or nothing if any record is broken.

    Returns the preview (what matched, what repeated) and the references created. A broken
    record raises ValidationError whose messages name each record and field; nothing is saved.
    """
    preview = preview_parsed(parsed)
    if preview.broken:
        raise ValidationError(
            [
                ValidationError(message, code="import_broken_record")
                for message in preview.error_messages
            ]
        )
    # The parser validated every field as the model does (validate_record), and the preview
    # matched DOI, PMID and title against the library and the file, so rows go in as they are.
    return preview, write_new_records(preview.new, user=user)


def references_import(
    *, data: bytes, filename: str, user: AbstractBaseUser | None
) -> list[Reference]:
    """Parse and import a file in one go (shell, tests); the desk uses an ImportJob.

    ImportFileError propagates for a whole-file problem; nothing is saved on any error.
    """
    _preview, created = references_import_parsed(
        parsed=read_reference_file(data, filename), user=user
    )
    return created
