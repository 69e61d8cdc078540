"""Size checks, decoding with an honest Latin-1 fallback, and format sniffing."""

import codecs
import re
import unicodedata

from citations.importers.records import MAX_IMPORT_BYTES, ImportFileError

# Share of non-ASCII characters above which a cp1252 reading is more likely binary or another
# encoding (Mac Roman, Shift-JIS…) than a Western-European reference export.
MAX_NON_ASCII_SHARE = 0.2
ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}


def check_size(data: bytes) -> None:
    if not data or not data.strip():
        raise ImportFileError("The file is empty.")
    if len(data) > MAX_IMPORT_BYTES:
        megabytes = MAX_IMPORT_BYTES // (1024 * 1024)
        raise ImportFileError(
            f"The file is larger than {megabytes} MB. Split it into smaller exports."
        )


# Unicode's control characters (category Cc: U+0000–U+001F and U+007F–U+009F) other than
# ALLOWED_CONTROLS, as one character class so the scan runs in C, not a Python loop per char.
_FORBIDDEN = "".join(
    re.escape(chr(code))
    for code in (*range(0x20), *range(0x7F, 0xA0))
    if chr(code) not in ALLOWED_CONTROLS
)
FORBIDDEN_CONTROLS = re.compile(f"[{_FORBIDDEN}]")


def _has_control_chars(text: str) -> bool:
    return FORBIDDEN_CONTROLS.search(text) is not None


def _latin1_is_plausible(text: str) -> bool:
    """Accented letters and common typography, not runs of symbols, in a cp1252 reading."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if _has_control_chars(text) or non_ascii > MAX_NON_ASCII_SHARE * len(text):
        return False
    # Each distinct character once: the verdict depends on which characters occur, not how often.
    for char in set(text):
        if char.isascii() or char.isalpha():
            continue
        # Typographic punctuation and symbols a medical export can contain (– — ’ “ ° ± µ × ·).
        if unicodedata.category(char) in (
            "Pd",
            "Pi",
            "Pf",
            "Po",
            "Ps",
            "Pe",
            "Zs",
            "Sm",
            "So",
            "Sc",
            "No",
            "Lm",
            "Sk",
        ):
            continue
        return False
    return True


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding): UTF-8/UTF-16 as is, else a plausible cp1252, else refuse."""
    check_size(data)
    refusal = ImportFileError(
        "This file could not be read as text. Export it again as UTF-8 (in EndNote, Zotero "
        "or PubMed choose “UTF-8” or “Unicode”) and upload it again."
    )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise refusal from None
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                # cp1252 leaves five bytes undefined; those never occur in a real Latin-1 file.
                raise refusal from None
            if not _latin1_is_plausible(text):
                raise refusal from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportFileError("The file is empty.")
    if _has_control_chars(text):
        raise refusal
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


RIS_START = re.compile(r"^TY  -", re.MULTILINE)
BIBTEX_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
NBIB_START = re.compile(r"^PMID- ", re.MULTILINE)
RECORD_STARTS = {"ris": RIS_START, "bibtex": BIBTEX_ENTRY, "nbib": NBIB_START}


def sniff_formats(text: str) -> dict[str, int]:
    """Each format whose tell-tale line occurs in the text, with where it first occurs."""
    return {
        name: match.start()
        for name, pattern in (("ris", RIS_START), ("bibtex", BIBTEX_ENTRY), ("nbib", NBIB_START))
        if (match := pattern.search(text))
    }


def sniff_format(text: str) -> str:
    """Guess the format of decoded text by its tell-tale lines, or raise ImportFileError."""
    found = sniff_formats(text)
    if not found:
        raise ImportFileError(
            "This file is not in a format we can import. Upload a RIS (.ris), BibTeX (.bib) "
            "or PubMed MEDLINE (.nbib) file."
        )
    # The format whose first record comes first wins: a MEDLINE abstract may quote "@".
    return min(found, key=found.get)
