"""Hostile and damaged reference files: padding and garbage are read in linear time, a file cut
off inside its last record and a BibTeX key used twice are named, and nothing damaged is saved.

Timing figures live in benchmarks/import_sniffing.py. The one wall-clock guard here is
generous (5 s); the quadratic sniffer it replaces needed well over a minute for 200k lines.
"""

import time
import unicodedata
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from citations.importers import (
    ImportFileError,
    detect_format,
    parse_reference_file,
    read_reference_file,
)
from citations.importers.decoding import ALLOWED_CONTROLS, _has_control_chars, sniff_formats
from citations.models import Reference
from citations.services import references_import, references_import_preview

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
EXTENSIONS = {"ris": "ris", "bibtex": "bib", "nbib": "nbib"}
BLANK_LINES = 200_000
GUARD_SECONDS = 5


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


# Padding and garbage ------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", EXTENSIONS)
def test_sniff_formats_three_records_then_blank_lines_is_linear(file_format):
    text = fixture(f"good.{EXTENSIONS[file_format]}").decode() + "\n" * BLANK_LINES
    found, seconds = timed(sniff_formats, text)
    assert list(found) == [file_format]
    assert seconds < GUARD_SECONDS


@pytest.mark.parametrize("padding", ["\n", " \t\n", "\r\n"])
@pytest.mark.parametrize("file_format", EXTENSIONS)
def test_read_reference_file_blank_padding_keeps_the_three_records(file_format, padding):
    extension = EXTENSIONS[file_format]
    data = fixture(f"good.{extension}") + padding.encode() * BLANK_LINES
    # Without an extension the format comes from sniffing alone.
    for filename in (f"refs.{extension}", "refs"):
        parsed, seconds = timed(read_reference_file, data, filename)
        assert parsed.format == file_format
        assert [record.errors for record in parsed.records] == [{}, {}, {}]
        assert seconds < GUARD_SECONDS


def test_sniff_formats_an_entry_must_start_its_own_line():
    assert sniff_formats("\n \n\t@article{key,\n") == {"bibtex": 3}
    # "@" on one line and the entry type on the next is not an entry.
    assert sniff_formats("@\narticle{key,\n") == {}
    assert sniff_formats("see @ the end\n") == {}


LONG_GARBAGE = ("x" * 2000 + "\n") * 2000


def test_parse_reference_file_ris_long_garbage_lines_name_the_first_stray_line():
    data = fixture("good.ris") + LONG_GARBAGE.encode()
    first_garbage_line = fixture("good.ris").decode().count("\n") + 1
    with pytest.raises(ImportFileError, match=f"Line {first_garbage_line} of this RIS file"):
        parse_reference_file(data, "refs.ris")


def test_parse_reference_file_nbib_long_garbage_lines_break_only_the_record_they_touch():
    data = fixture("good.nbib") + LONG_GARBAGE.encode()
    _format, records = parse_reference_file(data, "refs.nbib")
    assert [bool(record.errors) for record in records] == [False, False, True]
    assert "is not a “TAG - value” line" in records[2].messages()[0]


def test_parse_reference_file_bibtex_text_outside_entries_is_a_comment():
    # BibTeX ignores everything between entries; so do we, however long it is.
    data = fixture("good.bib") + LONG_GARBAGE.encode() + b"@" + b"a" * 500_000
    file_format, records = parse_reference_file(data, "refs.bib")
    assert file_format == "bibtex"
    assert [record.errors for record in records] == [{}, {}, {}]


@pytest.mark.parametrize("file_format", EXTENSIONS)
def test_detect_format_one_huge_line_is_refused_or_read_not_hung(file_format):
    data = b"@" + b"z" * (4 * 1024 * 1024)
    found, seconds = timed(lambda: _format_or_error(data, f"refs.{EXTENSIONS[file_format]}"))
    assert found in {file_format, "error"}
    assert seconds < GUARD_SECONDS


def _format_or_error(data: bytes, filename: str) -> str:
    try:
        return detect_format(data, filename)
    except ImportFileError:
        return "error"


def test_has_control_chars_matches_unicode_control_category():
    # The character class replaced a per-character unicodedata loop; same verdict everywhere.
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        expected = unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS
        assert _has_control_chars(f"ok{char}ok") is expected, hex(code)


# A MEDLINE file cut off inside its last record ----------------------------------------------


def _good_nbib_cut_before(marker: bytes, *, keep: int = 0) -> bytes:
    data = fixture("good.nbib")
    return data[: data.index(marker) + keep]


def test_parse_reference_file_nbib_cut_mid_title_names_the_broken_record_and_line():
    # The third record starts on line 52; the cut falls inside its title, on line 58.
    data = _good_nbib_cut_before(b"TI  - Increased running", keep=40)
    _format, records = parse_reference_file(data, "pubmed.nbib")
    assert [record.errors for record in records[:2]] == [{}, {}]
    (message,) = records[2].messages()
    assert message.startswith("Record 3 (“Increased running speed")
    assert "cut off: the file ends on line 58" in message
    assert "starts on line 52" in message


def test_parse_reference_file_nbib_cut_at_a_line_break_is_still_broken():
    # Whole lines, but no closing "SO" line while the other records have theirs.
    data = _good_nbib_cut_before(b"PG  - 650-6")
    _format, records = parse_reference_file(data, "pubmed.nbib")
    assert [bool(record.errors) for record in records] == [False, False, True]
    assert "cut off" in records[2].messages()[0]


def test_parse_reference_file_nbib_whole_files_are_not_called_cut_off():
    for name in ("good.nbib", "duplicates.nbib", "latin1.nbib"):
        _format, records = parse_reference_file(fixture(name), name)
        assert not any("cut off" in m for record in records for m in record.messages()), name
    # A complete last record may lack its final line break.
    _format, records = parse_reference_file(fixture("good.nbib").rstrip(b"\n"), "good.nbib")
    assert [record.errors for record in records] == [{}, {}, {}]


@pytest.mark.django_db
def test_references_import_nbib_cut_off_imports_nothing(author):
    data = _good_nbib_cut_before(b"TI  - Increased running", keep=40)
    preview = references_import_preview(data=data, filename="pubmed.nbib")
    assert [record.index for record in preview.broken] == [3]
    with pytest.raises(ValidationError) as excinfo:
        references_import(data=data, filename="pubmed.nbib", user=author)
    assert "cut off" in excinfo.value.messages[0]
    assert Reference.objects.count() == 0


# A BibTeX key used twice --------------------------------------------------------------------

CLASHING_KEYS = b"""@article{miller2005,
  title = {Muscle cramps},
  journal = {Muscle Nerve},
  year = {2005},
}

@article{Miller2005,
  title = {Exercise-associated muscle cramps},
  journal = {Sports Med},
  year = {2005},
}
"""


def test_read_reference_file_bibtex_repeated_key_for_same_reference_is_a_notice():
    parsed = read_reference_file(fixture("duplicates.bib"), "duplicates.bib")
    assert [record.errors for record in parsed.records] == [{}, {}, {}]
    (notice,) = parsed.notices
    assert notice == (
        "Record 3 (“Muscle Cramps”) (line 17) reuses the BibTeX key “miller2005” of "
        "record 2 (“Muscle cramps”) (line 9); it is imported once."
    )


def test_parse_reference_file_bibtex_key_clash_breaks_the_later_record():
    _format, (first, second) = parse_reference_file(CLASHING_KEYS, "clash.bib")
    assert first.errors == {}
    # BibTeX compares keys without case, so "Miller2005" clashes with "miller2005".
    assert second.messages() == [
        "Record 2 (“Exercise-associated muscle cramps”): Record — reuses the BibTeX key "
        "“miller2005” of record 1 (“Muscle cramps”) (line 1) but describes another reference "
        "(line 7). Give each entry its own key, e.g. “Miller2005b”."
    ]


@pytest.mark.django_db
def test_references_import_bibtex_key_clash_imports_nothing(author):
    with pytest.raises(ValidationError) as excinfo:
        references_import(data=CLASHING_KEYS, filename="clash.bib", user=author)
    assert "reuses the BibTeX key" in excinfo.value.messages[0]
    assert Reference.objects.count() == 0


@pytest.mark.django_db
def test_references_import_preview_bibtex_repeated_key_is_shown_and_imported_once(author):
    preview = references_import_preview(data=fixture("duplicates.bib"), filename="dup.bib")
    assert any("reuses the BibTeX key “miller2005”" in notice for notice in preview.notices)
    created = references_import(data=fixture("duplicates.bib"), filename="dup.bib", user=author)
    assert len(created) == 2
