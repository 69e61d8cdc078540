"""BibTeX files through bibtexparser 2, with LaTeX accents decoded to Unicode."""

import contextlib
import logging
import re

import bibtexparser
from bibtexparser import model
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.text import capfirst
from pylatexenc.latex2text import LatexNodes2Text

from citations.importers.mapping import Kind, authors_from, kind_from_phrases
from citations.importers.records import (
    ImportFileError,
    ParsedRecord,
    blank_fields,
    clean_text,
    identity_keys,
    join_pages,
    parse_year,
    validate_record,
)

TYPE_KINDS = {"standard": Kind.GUIDELINE}
AND = re.compile(r"\s+and\s+", re.IGNORECASE)
# Identifiers are not LaTeX prose: "%" would start a comment. Only undo the usual escapes.
IDENTIFIER_FIELDS = {"doi", "url", "pmid"}
IDENTIFIER_ESCAPES = re.compile(r"\\([_%&#$])")
_latex = LatexNodes2Text(math_mode="verbatim")


def _decode(text: str, *, name: str = "") -> str:
    """LaTeX markup (accents, escapes, {braces}) to plain Unicode text."""
    if name in IDENTIFIER_FIELDS:
        return IDENTIFIER_ESCAPES.sub(r"\1", text).replace("{", "").replace("}", "")
    # Decoding is slow, so only values with a LaTeX command pay for it.
    if "\\" in text:
        # pylatexenc has no error contract; on any failure keep the raw text.
        with contextlib.suppress(Exception):
            text = _latex.latex_to_text(text)
    else:
        text = text.replace("---", "—").replace("--", "–")
    return text.replace("{", "").replace("}", "")


def _library(text: str):
    # bibtexparser logs every failed block itself; we report them per record instead.
    logger = logging.getLogger("bibtexparser")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        try:
            return bibtexparser.parse_string(text)
        except Exception as exc:  # bibtexparser has no error contract beyond failed blocks
            raise ImportFileError(
                "This BibTeX file could not be read. Check that its braces and quotes are balanced."
            ) from exc
    finally:
        logger.setLevel(previous)


def _value(entry: model.Entry, *names: str) -> str:
    fields = {key.lower(): field for key, field in entry.fields_dict.items()}
    for name in names:
        if name in fields:
            text = clean_text(_decode(clean_text(fields[name].value), name=name))
            if text:
                return text
    return ""


def _split_names(text: str) -> list[str]:
    """Split on " and " outside braces: "{Centers for Disease Control and Prevention}" is one."""
    names, depth, start = [], 0, 0
    for position, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and (match := AND.match(text, position)) and char.isspace():
            names.append(text[start:position])
            start = match.end()
    names.append(text[start:])
    return [name.strip() for name in names if name.strip()]


def _authors(entry: model.Entry) -> list[dict]:
    fields = {key.lower(): field for key, field in entry.fields_dict.items()}
    raw = fields.get("author")
    if raw is None:
        return []
    names = []
    for name in _split_names(clean_text(raw.value)):
        # A name wholly in braces, "{World Health Organization}", is one corporate author.
        corporate = name.startswith("{") and name.endswith("}")
        decoded = clean_text(_decode(name))
        names.append(f"{{{decoded}}}" if corporate else decoded)
    return authors_from(names)


def _record(index: int, entry: model.Entry) -> ParsedRecord:
    record = ParsedRecord(index=index, fields={})
    title = _value(entry, "title")
    entry_type = (entry.entry_type or "").lower()
    labels = [_value(entry, "keywords"), _value(entry, "type"), _value(entry, "note")]
    doi = _value(entry, "doi")
    record.fields = {
        "kind": kind_from_phrases(
            labels, title=title, default=TYPE_KINDS.get(entry_type, Kind.OTHER)
        ),
        "authors": _authors(entry),
        "title": title,
        "journal": _value(
            entry,
            "journal",
            "journaltitle",
            "booktitle",
            "institution",
            "organization",
            "publisher",
        ),
        "journal_abbrev": _value(entry, "shortjournal", "journal-abbrev", "journalabbrev"),
        "year": parse_year(_value(entry, "year", "date"), record),
        "volume": _value(entry, "volume"),
        "issue": _value(entry, "number", "issue"),
        "pages": join_pages(_value(entry, "pages"), ""),
        "doi": doi,
        "pmid": _value(entry, "pmid"),
        "url": "" if doi and "doi.org" in _value(entry, "url") else _value(entry, "url"),
    }
    return validate_record(record)


def _failed(index: int, block) -> ParsedRecord:
    record = ParsedRecord(index=index, fields=blank_fields())
    if isinstance(block, model.DuplicateBlockKeyBlock) and block.raw:
        # A key used twice is judged in parse(), against the record that used it first; read
        # the entry on its own so the usual middlewares (braces, LaTeX) apply to it too.
        try:
            entries = _library(block.raw).entries
        except ImportFileError:
            entries = []
        if len(entries) == 1:
            return _record(index, entries[0])
    record.add_error(
        NON_FIELD_ERRORS,
        f"could not be read (line {_line(block)}). Check its braces, quotes and commas.",
    )
    return record


def _line(block) -> int:
    return (getattr(block, "start_line", 0) or 0) + 1


def _entry_key(block) -> str:
    """The citation key of an entry, or of an entry whose key was already taken."""
    if isinstance(block, model.Entry):
        return block.key or ""
    if isinstance(block, model.DuplicateBlockKeyBlock) and isinstance(
        block.ignore_error_block, model.Entry
    ):
        return block.key or ""
    return ""


def _check_key_reuse(record: ParsedRecord, *, key: str, line: int, first) -> None:
    """A key names one reference: a second entry under it is a repeat or a clash.

    Compared without case, as BibTeX itself does. A repeat of the same reference (same DOI,
    PMID, or title and year) is noted and imported once; a different reference under the same
    key is an error, since every citation of that key would point at only one of them.
    """
    first_record, first_line, first_key = first
    where = f"the BibTeX key “{first_key}” of {first_record.label} (line {first_line})"
    if record.errors or identity_keys(record.fields) & identity_keys(first_record.fields):
        record.notices.append(
            f"{capfirst(record.label)} (line {line}) reuses {where}; it is imported once."
        )
        return
    record.add_error(
        NON_FIELD_ERRORS,
        f"reuses {where} but describes another reference (line {line}). Give each entry its "
        f"own key, e.g. “{key}b”.",
    )


def parse(text: str) -> list[ParsedRecord]:
    """Every entry of a BibTeX file, broken ones included, in file order."""
    library = _library(text)
    blocks = [
        *((block, True) for block in library.entries),
        *((block, False) for block in library.failed_blocks),
    ]
    blocks.sort(key=lambda pair: getattr(pair[0], "start_line", 0) or 0)
    records = []
    first_by_key: dict[str, tuple[ParsedRecord, int, str]] = {}
    for index, (block, ok) in enumerate(blocks, start=1):
        record = _record(index, block) if ok else _failed(index, block)
        if key := _entry_key(block):
            first = first_by_key.setdefault(key.casefold(), (record, _line(block), key))
            if first[0] is not record:
                _check_key_reuse(record, key=key, line=_line(block), first=first)
        records.append(record)
    return records
