"""The file importers: real-format fixtures for RIS, BibTeX and PubMed MEDLINE, read without
touching the database."""

import pytest

from citations.importers import (
    ImportFileError,
    parse_reference_file,
)
from tests.citations.helpers import EXTENSIONS, fixture, parse_fixture

# Good files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["ris", "bibtex", "nbib"])
def test_parse_reference_file_good_file_reads_three_valid_records(file_format):
    name = f"good.{EXTENSIONS[file_format]}"
    found_format, records = parse_fixture(name)
    assert found_format == file_format
    assert [record.index for record in records] == [1, 2, 3]
    assert all(record.errors == {} for record in records)
    first, second, _third = records
    assert first.fields["title"].startswith(
        "American College of Sports Medicine position stand. Exercise and fluid replacement"
    )
    assert first.fields["kind"] == "guideline"
    assert first.fields["year"] == 2007
    assert first.fields["volume"] == "39"
    assert first.fields["issue"] == "2"
    assert first.fields["doi"] == "10.1249/mss.0b013e31802ca597"
    assert first.fields["pmid"] == "17277604"
    assert first.fields["pages"] in {"377-390", "377-90"}
    assert second.fields["kind"] == "narrative_review"
    # DOIs given as URLs or in capitals are stored in their canonical form.
    assert second.fields["doi"] == "10.1002/mus.880171102"


def test_parse_reference_file_ris_maps_every_field():
    _format, records = parse_fixture("good.ris")
    first, second, third = records
    assert first.fields["authors"][:2] == [
        {"family": "Sawka", "given": "M N"},
        {"family": "Burke", "given": "L M"},
    ]
    # The RIS title wraps onto a continuation line; it comes back as one line.
    assert first.fields["title"] == (
        "American College of Sports Medicine position stand. Exercise and fluid replacement"
    )
    assert first.fields["journal"] == "Medicine and Science in Sports and Exercise"
    assert first.fields["journal_abbrev"] == "Med Sci Sports Exerc"
    assert first.fields["url"] == "https://doi.org/10.1249/mss.0b013e31802ca597"
    assert second.fields["pages"] == "1243-1249"
    assert second.fields["pmid"] == ""
    assert third.fields["kind"] == "observational"
    assert third.fields["authors"][0] == {"family": "Schwellnus", "given": "Martin P"}


def test_parse_reference_file_bibtex_decodes_latex_and_names():
    _format, records = parse_fixture("good.bib")
    first, second, third = records
    assert first.fields["authors"][0] == {"family": "Sawka", "given": "Michael N"}
    assert len(first.fields["authors"]) == 6
    assert "{" not in first.fields["title"]
    assert second.fields["journal"] == "Muscle & Nerve"
    assert second.fields["pages"] == "1243-1249"
    assert second.fields["year"] == 1994
    assert third.fields["doi"] == "10.1136/bjsm.2008.050401"


def test_parse_reference_file_nbib_reads_medline_tags():
    _format, records = parse_fixture("good.nbib")
    first, second, third = records
    # The corporate author keeps its place ahead of the individuals, as PubMed lists it.
    assert first.fields["authors"][:2] == [
        {"family": "American College of Sports Medicine", "given": ""},
        {"family": "Sawka", "given": "MN"},
    ]
    assert first.fields["title"] == (
        "American College of Sports Medicine position stand. Exercise and fluid replacement"
    )
    assert first.fields["journal"] == "Medicine and science in sports and exercise"
    assert first.fields["journal_abbrev"] == "Med Sci Sports Exerc"
    assert second.fields["pmid"] == "7935546"
    assert second.fields["doi"] == "10.1002/mus.880171102"
    assert third.fields["kind"] == "observational"
    assert third.fields["pages"] == "650-6"
    assert third.fields["authors"] == [
        {"family": "Schwellnus", "given": "MP"},
        {"family": "Drew", "given": "N"},
        {"family": "Collins", "given": "M"},
    ]


# Malformed records --------------------------------------------------------------------------


def test_parse_reference_file_ris_bad_doi_names_record_and_field():
    _format, records = parse_fixture("malformed_record.ris")
    assert [bool(record.errors) for record in records] == [False, True, False]
    broken = records[1]
    assert set(broken.errors) == {"doi"}
    assert broken.messages() == [
        "Record 2 (“Muscle cramps”): DOI — “10.12/x” is not a valid DOI. "
        "A DOI looks like 10.1000/xyz123."
    ]


def test_parse_reference_file_bibtex_syntax_error_breaks_only_that_record():
    _format, records = parse_fixture("malformed_record.bib")
    assert len(records) == 3
    assert [bool(record.errors) for record in records] == [False, True, False]
    (message,) = records[1].messages()
    assert message.startswith("Record 2: Record — could not be read (line 9)")
    assert records[2].fields["title"] == "Cause of exercise associated muscle cramps"


def test_parse_reference_file_bibtex_bad_doi_names_record_and_field():
    _format, (record,) = parse_fixture("invalid_field.bib")
    assert record.messages()[0].startswith("Record 1 (“Muscle cramps”): DOI — “10.12/x”")


def test_parse_reference_file_nbib_missing_title_names_record_and_field():
    _format, records = parse_fixture("malformed_record.nbib")
    assert [bool(record.errors) for record in records] == [False, True, False]
    assert records[1].messages() == ["Record 2: Title — A title is required."]


def test_parse_reference_file_ris_missing_end_tag_is_a_broken_record():
    data = b"TY  - JOUR\nTI  - First\nTY  - JOUR\nTI  - Second\nER  - \n"
    _format, records = parse_reference_file(data, "refs.ris")
    assert [record.fields["title"] for record in records] == ["First", "Second"]
    assert "ER  -" in records[0].messages()[0]
    assert records[1].errors == {}


def test_parse_reference_file_ris_truncated_file_breaks_last_record():
    data = fixture("good.ris")[:-40]
    _format, records = parse_reference_file(data, "refs.ris")
    assert len(records) == 3
    assert records[2].errors and "does not end" in records[2].messages()[0]


def test_parse_reference_file_ris_text_between_records_refused():
    data = b"TY  - JOUR\nTI  - X\nER  - \nStray text\nTY  - JOUR\nTI  - Y\nER  - \n"
    with pytest.raises(ImportFileError, match="Line 4 of this RIS file is outside any record"):
        parse_reference_file(data, "a.ris")


def test_parse_reference_file_ris_publisher_preamble_is_skipped():
    data = (
        b"Provider: John Wiley & Sons, Ltd\nDatabase: Wiley Online Library\n"
        b'Content: text/plain; charset="UTF-8"\n\nTY  - JOUR\nTI  - Muscle cramps\nER  - \n'
    )
    _format, (record,) = parse_reference_file(data, "wiley.ris")
    assert record.fields["title"] == "Muscle cramps"
    assert record.errors == {}


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("PY  - 1200", "year", "1200 is not a plausible year"),
        ("PY  - 2300", "year", "2300 is not a plausible year"),
        ("PY  - sometime", "year", "“sometime” is not a year."),
        ("AN  - PMID: 0", "pmid", "is not a valid PubMed ID"),
        ("UR  - javascript:alert(1)", "url", "Enter a valid URL."),
        ("VL  - " + "9" * 31, "volume", "at most 30 characters"),
        ("JO  - " + "J" * 301, "journal", "at most 300 characters"),
    ],
)
def test_parse_reference_file_invalid_field_is_reported_on_that_field(line, field, expected):
    data = f"TY  - JOUR\nTI  - Muscle cramps\n{line}\nER  - \n".encode()
    _format, (record,) = parse_reference_file(data, "refs.ris")
    assert set(record.errors) == {field}
    assert expected in record.errors[field][0]
    assert record.messages()[0].startswith("Record 1 (“Muscle cramps”): ")


def test_parse_reference_file_oversized_title_is_reported_not_truncated():
    title = "T" * 501
    _format, (record,) = parse_reference_file(
        f"TY  - JOUR\nTI  - {title}\nER  - \n".encode(), "a.ris"
    )
    assert record.fields["title"] == title
    assert "at most 500 characters" in record.errors["title"][0]
    assert record.label == f"record 1 (“{'T' * 59}…”)"


# Duplicates: the parser reports every record; the service decides what is a repeat --------


@pytest.mark.parametrize("extension", ["ris", "bib", "nbib"])
def test_parse_reference_file_duplicates_are_all_returned_as_valid(extension):
    _format, records = parse_fixture(f"duplicates.{extension}")
    assert len(records) == 3
    assert all(record.errors == {} for record in records)
