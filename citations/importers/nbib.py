"""PubMed MEDLINE (.nbib) files: tag lines 'XXXX- value', continuations indented six spaces."""

import re

from django.core.exceptions import NON_FIELD_ERRORS

from citations.importers.mapping import Kind, kind_from_phrases, split_name
from citations.importers.records import (
    ImportFileError,
    ParsedRecord,
    clean_text,
    parse_year,
    validate_record,
)

TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")
CONTINUATION = "      "
# PubMed writes the source citation last in every record: a record without it, at the end of
# a file whose other records have one, was cut off.
LAST_TAG = "SO"
# PubMed's publication types, most telling first; "Journal Article" alone says nothing.
PUBLICATION_TYPES = (
    ("meta-analysis", Kind.SYSTEMATIC_REVIEW),
    ("systematic review", Kind.SYSTEMATIC_REVIEW),
    ("practice guideline", Kind.GUIDELINE),
    ("guideline", Kind.GUIDELINE),
    ("consensus development conference", Kind.GUIDELINE),
    ("randomized controlled trial", Kind.RANDOMIZED_TRIAL),
    ("controlled clinical trial", Kind.RANDOMIZED_TRIAL),
    ("observational study", Kind.OBSERVATIONAL),
    ("review", Kind.NARRATIVE_REVIEW),
)


def _kind(publication_types: list[str], title: str) -> str:
    lowered = [value.casefold() for value in publication_types]
    for phrase, kind in PUBLICATION_TYPES:
        if any(phrase in value for value in lowered):
            return kind
    return kind_from_phrases([], title=title)


def _split(text: str) -> list[tuple[int, list[tuple[str, str]], list[int]]]:
    """Records as (first line, [(tag, value)], lines that are neither tag nor continuation)."""
    records = []
    tags: list[tuple[str, str]] = []
    stray: list[int] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            if tags or stray:
                records.append((start, tags, stray))
            tags, stray = [], []
            continue
        if not tags and not stray:
            start = number
        match = TAG_LINE.match(line)
        if line.startswith(CONTINUATION) and tags:
            tag, value = tags[-1]
            tags[-1] = (tag, f"{value} {line.strip()}")
        elif match and not line.startswith(" "):
            tags.append((match.group(1), match.group(2).strip()))
        else:
            stray.append(number)
    if tags or stray:
        records.append((start, tags, stray))
    return records


def _identifier(values: list[str], marker: str) -> str:
    for value in values:
        if value.lower().endswith(f"[{marker}]"):
            return value[: -len(marker) - 2].strip()
    return ""


def _record(index: int, tags: list[tuple[str, str]]) -> ParsedRecord:
    record = ParsedRecord(index=index, fields={})
    grouped: dict[str, list[str]] = {}
    for tag, value in tags:
        grouped.setdefault(tag, []).append(value)

    def one(tag: str) -> str:
        return clean_text(grouped.get(tag, [""])[0])

    title = one("TI") or one("BTI")
    # AU carries MEDLINE's "Family Initials" (what AMA prints); FAU the full name, used only
    # when AU is absent. CN is a corporate author, kept in its place in the byline.
    name_tag = "AU" if "AU" in grouped else "FAU"
    authors = []
    for tag, value in tags:
        if tag == name_tag and (author := split_name(value)):
            authors.append(author)
        elif tag == "CN" and clean_text(value):
            authors.append({"family": clean_text(value), "given": ""})
    ids = [*grouped.get("AID", []), *grouped.get("LID", [])]
    record.fields = {
        "kind": _kind(grouped.get("PT", []), title),
        "authors": authors,
        "title": title.rstrip("."),
        "journal": one("JT"),
        "journal_abbrev": one("TA"),
        "year": parse_year(one("DP"), record),
        "volume": one("VI"),
        "issue": one("IP"),
        "pages": one("PG"),
        "doi": _identifier(ids, "doi"),
        "pmid": one("PMID"),
    }
    return validate_record(record)


def _has_tag(tags: list[tuple[str, str]], name: str) -> bool:
    return any(tag == name for tag, _value in tags)


def _cut_off(text: str, chunks: list[tuple[int, list[tuple[str, str]], list[int]]]) -> bool:
    """Whether the file ends inside its last record, as a download or copy stopped short does.

    Either the last line stops without its line break, or the other records end with PubMed's
    closing "SO" line and the last one has none. A last record that has its "SO" line is whole.
    """
    *earlier, (_start, tags, _stray) = chunks
    if _has_tag(tags, LAST_TAG):
        return False
    if not text.rstrip(" \t").endswith("\n"):
        return True
    return any(_has_tag(other, LAST_TAG) for _line, other, _ in earlier)


def parse(text: str) -> list[ParsedRecord]:
    """Every blank-line-separated record of a MEDLINE file, each validated."""
    chunks = _split(text)
    if chunks and not any(tag == "PMID" for _start, tags, _stray in chunks for tag, _ in tags):
        raise ImportFileError(
            "No PubMed records were found: a MEDLINE record starts with a “PMID- ” line. "
            "In PubMed, use Save → Format: PubMed."
        )
    records = []
    for index, (line, tags, stray) in enumerate(chunks, start=1):
        record = _record(index, tags)
        if stray:
            record.add_error(
                NON_FIELD_ERRORS,
                f"line {stray[0]} is not a “TAG - value” line nor a continuation indented by "
                "six spaces.",
            )
        if not any(tag == "PMID" for tag, _ in tags):
            record.add_error("pmid", f"this record (line {line}) has no “PMID- ” line.")
        records.append(record)
    if records and _cut_off(text, chunks):
        last_line = text.rstrip().count("\n") + 1
        records[-1].add_error(
            NON_FIELD_ERRORS,
            f"is cut off: the file ends on line {last_line}, inside this record (which starts "
            f"on line {chunks[-1][0]}). Download the file from PubMed again.",
        )
    return records
