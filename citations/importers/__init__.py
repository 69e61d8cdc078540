"""Read reference files (RIS, BibTeX, PubMed MEDLINE .nbib) into validated records.

Pure parsing: nothing here touches the database. ``citations.services`` decides what is new,
what already exists, and saves.

How a file is read, in the order a user would expect:

* Size: an empty file, or one over ``MAX_IMPORT_BYTES`` (5 MB), is refused before parsing.
* Encoding: UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are
  read as they are. A file that is not valid UTF-8 is most often an older export in Windows
  Latin-1 (cp1252, a superset of ISO-8859-1): it is read that way *only* when the result looks
  like text (no control characters, accented letters rather than symbol soup), and the result
  says so (``ParsedFile.encoding`` / the preview's notice) so the user can check the accents
  before confirming. Anything else is refused with a message asking for a UTF-8 export; we
  never guess silently and never store mojibake.
* Format: by the file's extension (.ris, .bib/.bibtex, .nbib/.medline), otherwise by looking
  at the content (a ``TY  -`` line, an ``@type{`` entry, a ``PMID-`` line).
* Records: each record is parsed and validated on its own, like the ``Reference`` model
  (title required, DOI and PMID normalized, year 1500–2200, field lengths). A broken record
  carries its errors by field; a problem with the whole file raises ``ImportFileError``.
"""

import re
from dataclasses import dataclass

from citations.importers import bibtex, nbib, ris
from citations.importers.decoding import (
    RECORD_STARTS,
    check_size,
    decode,
    sniff_format,
    sniff_formats,
)
from citations.importers.records import MAX_IMPORT_BYTES, ImportFileError, ParsedRecord

__all__ = [
    "FORMAT_LABELS",
    "MAX_IMPORT_BYTES",
    "ImportFileError",
    "ParsedFile",
    "ParsedRecord",
    "decode_reference_file",
    "detect_format",
    "parse_reference_file",
    "read_reference_file",
    "read_reference_sample",
]

FORMAT_LABELS = {"ris": "RIS", "bibtex": "BibTeX", "nbib": "PubMed MEDLINE (.nbib)"}
EXTENSIONS = {
    "ris": "ris",
    "bib": "bibtex",
    "bibtex": "bibtex",
    "nbib": "nbib",
    "medline": "nbib",
}
# UTF-8 text that was once mis-read as Latin-1 and saved again: "MÃ¼ller", "â€™".
GARBLED = re.compile(r"Ã[\u0080-\u00bf]|â€[\u0080-\u00bf\u2018-\u201e\u2122\u0153]")


@dataclass
class ParsedFile:
    """Everything read from one upload: its format, how it was decoded, and its records."""

    format: str
    encoding: str
    records: list[ParsedRecord]
    garbled_sample: str = ""

    @property
    def notices(self) -> list[str]:
        """Things the user should check before confirming, e.g. a Latin-1 fallback."""
        notices = [notice for record in self.records for notice in record.notices]
        if self.encoding == "cp1252":
            notices.append(
                "This file is not UTF-8, so it was read as Latin-1 (Windows-1252). "
                "Check that accented names and titles look right before importing."
            )
        if self.garbled_sample:
            notices.append(
                f"Some characters in this file look garbled (for example “{self.garbled_sample}”)"
                ". It may have been converted between encodings before; check names and "
                "titles, or export it again as UTF-8."
            )
        return notices


def decode_reference_file(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for an upload, or raise ImportFileError."""
    return decode(data)


def detect_format(data: bytes, filename: str) -> str:
    """'ris', 'bibtex' or 'nbib': by the file extension, then by sniffing the content.

    The extension wins unless the content clearly belongs to another format and has no sign
    of the extension's own (a MEDLINE export renamed to .ris is still read as MEDLINE).
    """
    by_extension = _format_by_extension(filename)
    try:
        text, _encoding = decode(data)
    except ImportFileError:
        if by_extension:
            return by_extension
        raise
    return _detect(text, by_extension)


def _format_by_extension(filename: str) -> str | None:
    name = filename or ""
    return EXTENSIONS.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None


def _detect(text: str, by_extension: str | None) -> str:
    if by_extension is None:
        return sniff_format(text)
    found = sniff_formats(text)
    if found and by_extension not in found:
        return min(found, key=found.get)
    return by_extension


def read_reference_file(data: bytes, filename: str) -> ParsedFile:
    """Check, decode, detect and parse an upload into a ParsedFile, or raise ImportFileError."""
    check_size(data)
    text, encoding = decode(data)
    file_format = _detect(text, _format_by_extension(filename))
    return _parse(text, encoding, file_format)


def read_reference_sample(data: bytes, filename: str, *, limit: int) -> tuple[ParsedFile, int]:
    """The first ``limit`` records of an upload, parsed, and how many records it opens.

    For a quick preview of a large file: the count is of record-opening lines (``TY  -``,
    ``@type{``, ``PMID-``), found in one linear scan; only the records before the
    ``limit + 1``-th opening are parsed, so line numbers match the whole file's. A file with
    at most ``limit`` records is parsed whole.
    """
    check_size(data)
    text, encoding = decode(data)
    file_format = _detect(text, _format_by_extension(filename))
    starts = [match.start() for match in RECORD_STARTS[file_format].finditer(text)]
    if len(starts) > limit:
        text = text[: starts[limit]]
    parsed = _parse(text, encoding, file_format)
    return parsed, max(len(starts), len(parsed.records))


def _parse(text: str, encoding: str, file_format: str) -> ParsedFile:
    parser = {"ris": ris.parse, "bibtex": bibtex.parse, "nbib": nbib.parse}[file_format]
    records = parser(text)
    if not records:
        raise ImportFileError(
            f"No references were found in this {FORMAT_LABELS[file_format]} file."
        )
    garbled = GARBLED.search(text)
    return ParsedFile(
        format=file_format,
        encoding=encoding,
        records=records,
        garbled_sample=garbled.group(0) if garbled else "",
    )


def parse_reference_file(data: bytes, filename: str) -> tuple[str, list[ParsedRecord]]:
    """Parse an upload into (format, records); raise ImportFileError for a whole-file problem."""
    parsed = read_reference_file(data, filename)
    return parsed.format, parsed.records
