"""What every importer shares: the parsed record, its validation, and the whole-file error."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst

from citations.identifiers import normalize_doi, normalize_pmid, normalize_title
from citations.models import Reference

# The fields an importer may fill in; everything else on Reference is editorial.
IMPORTED_FIELDS = (
    "kind",
    "authors",
    "title",
    "journal",
    "journal_abbrev",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
)
YEAR_MIN, YEAR_MAX = 1500, 2200
LABEL_TITLE_CHARS = 60
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; str(exc) is a message for the user."""


@dataclass
class ParsedRecord:
    """One record of an import file: Reference field values plus what is wrong with them.

    ``notices`` are remarks that do not stop the import (e.g. a BibTeX key used twice for
    the same reference); the preview shows them above the records.
    """

    index: int
    fields: dict
    errors: dict[str, list[str]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How messages name this record, e.g. 'record 3 (“Muscle cramps”)'."""
        title = " ".join(str(self.fields.get("title") or "").split())
        if not title:
            return f"record {self.index}"
        if len(title) > LABEL_TITLE_CHARS:
            title = title[: LABEL_TITLE_CHARS - 1].rstrip() + "…"
        return f"record {self.index} (“{title}”)"

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(str(message))

    def messages(self) -> list[str]:
        """Every problem as a sentence naming the record and the field."""
        return [
            f"{capfirst(self.label)}: {field_label(name)} — {message}"
            for name, messages in self.errors.items()
            for message in messages
        ]


def identity_keys(values: dict) -> set[tuple]:
    """What makes two records the same reference: DOI, PMID, or folded title with year.

    The same rule the import service uses to find a record already in the library.
    """
    keys: set[tuple] = set()
    if values.get("doi"):
        keys.add(("doi", str(values["doi"]).lower()))
    if values.get("pmid"):
        keys.add(("pmid", values["pmid"]))
    title = normalize_title(values.get("title") or "")
    if title:
        keys.add(("title", title, values.get("year")))
    return keys


def blank_fields() -> dict:
    """Every imported field, empty: what a record that could not be read at all carries."""
    return {
        name: [] if name == "authors" else None if name == "year" else ""
        for name in IMPORTED_FIELDS
    }


def field_label(name: str) -> str:
    """The user-facing name of a Reference field ('DOI', 'Title'), or 'Record' for the whole."""
    if name == NON_FIELD_ERRORS:
        return "Record"
    try:
        return str(capfirst(Reference._meta.get_field(name).verbose_name))
    except Exception:  # an unknown key is still worth showing, under its own name
        return capfirst(name)


def clean_text(value) -> str:
    """Collapse whitespace; importers join wrapped lines, and the model stores one line."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value if v)
    return " ".join(str(value).split())


YEAR_PATTERN = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def parse_year(raw, record: ParsedRecord) -> int | None:
    """The first four-digit year in a date such as '2019/05/01/' or '2019 May 3'."""
    text = clean_text(raw)
    if not text:
        return None
    match = YEAR_PATTERN.search(text)
    if not match:
        record.add_error("year", f"“{text[:40]}” is not a year.")
        return None
    return int(match.group(1))


def join_pages(start, end) -> str:
    """'100', '110' → '100-110'; BibTeX's en dash '100--110' becomes a hyphen too."""
    start, end = clean_text(start), clean_text(end)
    pages = f"{start}-{end}" if start and end and end != start else start or end
    return re.sub(r"\s*[-–—]+\s*", "-", pages)


def validate_record(record: ParsedRecord) -> ParsedRecord:
    """Normalize DOI and PMID and check every field as the model would, recording errors."""
    values = record.fields
    for name, blank in blank_fields().items():
        values.setdefault(name, blank)
    values["kind"] = str(values["kind"] or Reference.Kind.OTHER)
    for name, normalize in (("doi", normalize_doi), ("pmid", normalize_pmid)):
        if values[name]:
            try:
                values[name] = normalize(values[name])
            except ValidationError as exc:
                for message in exc.messages:
                    record.add_error(name, message)
    year = values["year"]
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        record.add_error(
            "year", f"{year} is not a plausible year (between {YEAR_MIN} and {YEAR_MAX})."
        )
    # Database-free: uniqueness is the service's business and the year check is done above.
    exclude = list(record.errors)
    try:
        Reference(**values).full_clean(
            exclude=exclude, validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name == "title" and not values["title"]:
                messages = ["A title is required."]
            for message in messages:
                record.add_error(name, message)
    return record
