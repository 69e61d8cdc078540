"""RIS files, read record by record with rispy so one bad record does not sink the others."""

import re

import rispy
from django.core.exceptions import NON_FIELD_ERRORS

from citations.importers.mapping import Kind, authors_from, kind_from_phrases
from citations.importers.records import (
    ImportFileError,
    ParsedRecord,
    blank_fields,
    clean_text,
    join_pages,
    parse_year,
    validate_record,
)

TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
TYPE_KINDS = {"STAND": Kind.GUIDELINE}


def _split(text: str) -> list[tuple[int, list[str], str]]:
    """Cut the text into (first line number, lines, structural problem) per TY…ER record."""
    chunks: list[tuple[int, list[str], str]] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        match = TAG_LINE.match(line.rstrip())
        tag = match.group(1) if match else None
        if tag == "TY":
            if current is not None:
                chunks.append((start, current, "missing_end"))
            current, start = [line], number
        elif current is None:
            # Publishers (Wiley, Taylor & Francis) put "Provider: …" lines before the first
            # record; text between records, though, means the file is not what it claims.
            if line.strip() and chunks:
                raise ImportFileError(
                    f"Line {number} of this RIS file is outside any record: each record must "
                    "start with a “TY  -” line and end with an “ER  -” line."
                )
        elif tag == "ER":
            current.append(line)
            chunks.append((start, current, ""))
            current = None
        else:
            current.append(line)
    if current is not None:
        chunks.append((start, current, "missing_end"))
    return chunks


def _first(entry: dict, *keys: str):
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = next((item for item in value if clean_text(item)), "")
        if clean_text(value):
            return value
    return ""


def _record(index: int, entry: dict) -> ParsedRecord:
    record = ParsedRecord(index=index, fields={})
    ris_type = clean_text(entry.get("type_of_reference")).upper()
    title = clean_text(_first(entry, "primary_title", "title", "translated_title"))
    labels = [entry.get("type_of_work"), *(entry.get("keywords") or [])]
    default_kind = TYPE_KINDS.get(ris_type, Kind.OTHER)
    record.fields = {
        "kind": kind_from_phrases(labels, title=title, default=default_kind),
        "authors": authors_from(
            [*(entry.get("authors") or []), *(entry.get("first_authors") or [])]
        ),
        "title": title,
        "journal": clean_text(_first(entry, "journal_name", "secondary_title", "alternate_title3")),
        "journal_abbrev": clean_text(_first(entry, "alternate_title2", "alternate_title1")),
        "year": parse_year(_first(entry, "year", "publication_year", "date"), record),
        "volume": clean_text(entry.get("volume")),
        "issue": clean_text(entry.get("number")),
        "pages": join_pages(entry.get("start_page"), entry.get("end_page")),
        "doi": clean_text(entry.get("doi")),
        "url": clean_text(_first(entry, "urls")),
    }
    # Some exporters put "PMID: 123" in AN (accession number) for PubMed records.
    accession = clean_text(entry.get("accession_number"))
    if re.fullmatch(r"(?i)(pmid:?\s*)?\d{1,8}", accession) and (
        "pubmed" in clean_text(entry.get("name_of_database")).lower()
        or accession.lower().startswith("pmid")
    ):
        record.fields["pmid"] = accession
    if record.fields["journal"] == record.fields["journal_abbrev"]:
        record.fields["journal_abbrev"] = ""
    return validate_record(record)


def parse(text: str) -> list[ParsedRecord]:
    """Every TY…ER record of a RIS file, each validated; ImportFileError for a non-RIS file."""
    chunks = _split(text)
    if not chunks:
        raise ImportFileError("No RIS records were found: a RIS record starts with a “TY  -” line.")
    records = []
    for index, (line, lines, problem) in enumerate(chunks, start=1):
        body = "\n".join(lines)
        if problem:
            body += "\nER  - "
        try:
            entries = rispy.loads(body)
        except Exception:  # rispy has no error contract; any failure is this record's
            entries = []
        if len(entries) != 1:
            record = ParsedRecord(index=index, fields=blank_fields())
            record.add_error(NON_FIELD_ERRORS, f"could not be read (line {line}).")
            records.append(record)
            continue
        record = _record(index, entries[0])
        if problem == "missing_end":
            record.add_error(
                NON_FIELD_ERRORS,
                f"does not end with an “ER  -” line (it starts on line {line}); the file may be "
                "cut short or two records may have run together.",
            )
        records.append(record)
    return records
