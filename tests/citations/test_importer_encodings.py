"""Reading reference files in the encodings people export them in."""

import codecs

import pytest

from citations.importers import (
    MAX_IMPORT_BYTES,
    ImportFileError,
    ParsedRecord,
    detect_format,
    parse_reference_file,
    read_reference_file,
)
from citations.importers.mapping import kind_from_phrases, split_name
from tests.citations.helpers import fixture, parse_fixture

# Encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["ris", "bib", "nbib"])
def test_read_reference_file_latin1_is_decoded_and_flagged(extension):
    parsed = read_reference_file(fixture(f"latin1.{extension}"), f"latin1.{extension}")
    (record,) = parsed.records
    assert parsed.encoding == "cp1252"
    assert "Latin-1" in parsed.notices[0]
    assert record.fields["title"] == "Crampes musculaires liées à l’effort chez le coureur"
    assert record.fields["authors"][0]["family"] == "Müller"
    assert record.fields["journal"] == "Revue médicale suisse"
    # No mojibake: the UTF-8 reading of Latin-1 bytes would have produced these.
    assert "Ã" not in record.fields["title"] and "\ufffd" not in record.fields["title"]


def test_read_reference_file_utf8_has_no_notice():
    parsed = read_reference_file(fixture("good.ris"), "good.ris")
    assert parsed.encoding == "utf-8"
    assert parsed.notices == []


def test_read_reference_file_utf8_with_bom_is_read():
    data = codecs.BOM_UTF8 + "TY  - JOUR\nTI  - Crampes liées\nER  - \n".encode()
    parsed = read_reference_file(data, "refs.ris")
    assert parsed.records[0].fields["title"] == "Crampes liées"
    assert parsed.encoding == "utf-8"


def test_read_reference_file_utf16_with_bom_is_read():
    data = "TY  - JOUR\r\nTI  - Crampes liées\r\nER  - \r\n".encode("utf-16")
    parsed = read_reference_file(data, "refs.ris")
    assert parsed.records[0].fields["title"] == "Crampes liées"


def test_read_reference_file_implausible_latin1_refused():
    # Bytes that are neither UTF-8 nor sensible Western text (here: Shift-JIS Japanese).
    data = "TY  - JOUR\nTI  - 筋肉のけいれんと運動\nER  - \n".encode("shift_jis") * 3
    with pytest.raises(ImportFileError, match="UTF-8"):
        read_reference_file(data, "refs.ris")


# Whole-file problems ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.ris", "empty.bib", "empty.nbib"])
def test_parse_reference_file_empty_file_refused(name):
    with pytest.raises(ImportFileError, match="The file is empty."):
        parse_fixture(name)


@pytest.mark.parametrize("data", [b"   \n\n\t", codecs.BOM_UTF8 + b"\n"])
def test_parse_reference_file_blank_file_refused(data):
    with pytest.raises(ImportFileError, match="empty"):
        parse_reference_file(data, "refs.ris")


def test_parse_reference_file_over_five_megabytes_refused():
    record = fixture("good.ris")
    data = record * (MAX_IMPORT_BYTES // len(record) + 1)
    assert len(data) > MAX_IMPORT_BYTES
    with pytest.raises(ImportFileError, match="larger than 5 MB"):
        parse_reference_file(data, "big.ris")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        bytes(range(256)),
    ],
)
def test_parse_reference_file_binary_garbage_refused(data):
    with pytest.raises(ImportFileError, match="could not be read as text"):
        parse_reference_file(data, "refs.ris")


def test_parse_reference_file_unknown_format_refused():
    with pytest.raises(ImportFileError, match="not in a format we can import"):
        parse_reference_file(b"Just some notes about cramps.\n", "notes.txt")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"% only a comment\n@comment{nothing here}\n", "refs.bib", "No references were found"),
        (b"OWN - NLM\nTI  - A title\n", "refs.nbib", "No PubMed records were found"),
        (b"Some notes\n", "refs.ris", "No RIS records were found"),
    ],
)
def test_parse_reference_file_zero_records_refused(data, name, message):
    with pytest.raises(ImportFileError, match=message):
        parse_reference_file(data, name)


# Format detection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("refs.RIS", "ris"),
        ("refs.bib", "bibtex"),
        ("refs.bibtex", "bibtex"),
        ("pubmed.nbib", "nbib"),
        ("citations.medline", "nbib"),
    ],
)
def test_detect_format_by_extension(filename, expected):
    assert detect_format(b"whatever", filename) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("good.ris", "ris"), ("good.bib", "bibtex"), ("good.nbib", "nbib")],
)
def test_detect_format_by_content_for_txt_files(name, expected):
    # PubMed saves MEDLINE as "pubmed-….txt"; reference managers often use .txt too.
    assert detect_format(fixture(name), "pubmed-export.txt") == expected
    assert detect_format(fixture(name), "no-extension") == expected


# Names, kinds, labels -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Schwellnus MP", {"family": "Schwellnus", "given": "MP"}),
        ("Schwellnus, M. P.", {"family": "Schwellnus", "given": "M P"}),
        ("Schwellnus, Martin P.", {"family": "Schwellnus", "given": "Martin P"}),
        ("Martin P. Schwellnus", {"family": "Schwellnus", "given": "Martin P"}),
        ("van der Berg JH", {"family": "van der Berg", "given": "JH"}),
        ("Smith, Jr., John", {"family": "Smith Jr.", "given": "John"}),
        ("{World Health Organization}", {"family": "World Health Organization", "given": ""}),
        ("Plato", {"family": "Plato", "given": ""}),
    ],
)
def test_split_name_handles_each_source_convention(raw, expected):
    assert split_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", " , "])
def test_split_name_blank_is_no_author(raw):
    assert split_name(raw) is None


@pytest.mark.parametrize(
    ("labels", "title", "expected"),
    [
        (["Randomized Controlled Trial"], "", "randomized_trial"),
        (["Review", "Systematic Review"], "", "systematic_review"),
        (["Meta-Analysis"], "", "systematic_review"),
        (["Practice Guideline"], "", "guideline"),
        (["Guideline"], "", "guideline"),
        (["Observational Study"], "", "observational"),
        (["Review"], "", "narrative_review"),
        ([], "A systematic review and meta-analysis of cramps", "systematic_review"),
        ([], "A review of cramps", "other"),
        (["Journal Article"], "Muscle cramps", "other"),
    ],
)
def test_kind_from_phrases_maps_publication_types(labels, title, expected):
    assert kind_from_phrases(labels, title=title) == expected


@pytest.mark.parametrize(
    ("pt", "expected"),
    [
        ("Randomized Controlled Trial", "randomized_trial"),
        ("Systematic Review", "systematic_review"),
        ("Meta-Analysis", "systematic_review"),
        ("Practice Guideline", "guideline"),
        ("Guideline", "guideline"),
        ("Observational Study", "observational"),
        ("Review", "narrative_review"),
        ("Journal Article", "other"),
    ],
)
def test_parse_reference_file_nbib_publication_type_sets_kind(pt, expected):
    data = f"PMID- 123\nTI  - Cramps.\nPT  - Journal Article\nPT  - {pt}\n".encode()
    _format, (record,) = parse_reference_file(data, "x.nbib")
    assert record.fields["kind"] == expected


def test_parsed_record_label_without_title():
    assert ParsedRecord(index=4, fields={}).label == "record 4"
    assert ParsedRecord(index=2, fields={"title": "Muscle  cramps"}).label == (
        "record 2 (“Muscle cramps”)"
    )


@pytest.mark.parametrize(
    ("name", "mislabelled_as", "expected"),
    [
        ("good.nbib", "refs.ris", "nbib"),
        ("good.ris", "refs.bib", "ris"),
        ("good.bib", "refs.nbib", "bibtex"),
    ],
)
def test_detect_format_content_overrides_a_wrong_extension(name, mislabelled_as, expected):
    assert detect_format(fixture(name), mislabelled_as) == expected
    found_format, records = parse_reference_file(fixture(name), mislabelled_as)
    assert found_format == expected and len(records) == 3


def test_read_reference_file_double_encoded_utf8_is_flagged():
    # Latin-1 text once mis-read and re-saved as UTF-8: valid UTF-8, but mojibake.
    garbled = "Müller".encode().decode("latin-1")
    data = f"TY  - JOUR\nAU  - {garbled}, J.\nTI  - Cramps\nER  - \n".encode()
    parsed = read_reference_file(data, "refs.ris")
    assert parsed.encoding == "utf-8"
    assert any("garbled" in notice and "Ã¼" in notice for notice in parsed.notices)


def test_parse_reference_file_unreadable_record_still_has_every_field():
    _format, records = parse_fixture("malformed_record.bib")
    assert records[1].fields["title"] == "" and records[1].fields["authors"] == []


def test_parse_reference_file_bibtex_corporate_author_with_and_stays_whole():
    data = (
        b"@techreport{cdc,\n  author = {{Centers for Disease Control and Prevention} and "
        b"Smith, J.},\n  title = {Heat illness: a clinical guideline},\n  year = {2020},\n}\n"
    )
    _format, (record,) = parse_reference_file(data, "cdc.bib")
    assert record.fields["authors"] == [
        {"family": "Centers for Disease Control and Prevention", "given": ""},
        {"family": "Smith", "given": "J"},
    ]
    assert record.fields["kind"] == "guideline"
