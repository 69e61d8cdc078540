"""Hypothesis fuzzing: no input makes a parser raise anything but ImportFileError, and an
import either creates every new record or nothing at all."""

import os

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citations.importers import ImportFileError, ParsedRecord, parse_reference_file
from citations.models import Reference
from citations.services import references_import, references_import_preview

# VETTED_FUZZ_EXAMPLES=5000 runs a longer hunt locally; CI keeps the suite fast.
FUZZ = settings(
    max_examples=int(os.environ.get("VETTED_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
FILENAMES = st.sampled_from(["refs.ris", "refs.bib", "refs.nbib", "refs.txt", "refs", "x.RIS"])

# Pieces of real syntax, so the fuzzer reaches the record and field logic, not only the sniffer.
RIS_LINES = st.sampled_from(
    [
        "TY  - JOUR",
        "ER  - ",
        "TI  - Muscle cramps",
        "AU  - Miller, T. M.",
        "PY  - 2005",
        "PY  - 99999",
        "DO  - 10.1002/mus.20341",
        "DO  - 10.12/x",
        "SP  - 431",
        "EP  - 442",
        "AN  - PMID: 16127723",
        "KW  - Review",
        "UR  - not a url",
        "UR  - https://a.org/x",
        "      continued title",
        "TY  - ",
        "JO  - " + "J" * 400,
        "",
        "garbage line",
        "VL  - 32",
    ]
)
BIB_PIECES = st.sampled_from(
    [
        "@article{a,",
        "@article{a, title={Muscle cramps}, year={2005}}",
        "title = {Cramps},",
        "author = {Miller, T. M. and Layzer, R. B.},",
        "year = 2005,",
        "year = {abcd},",
        "doi = {10.12/x},",
        "doi = {10.1002/mus.20341},",
        "pmid = {16127723},",
        "}",
        "{",
        '"',
        "@string{j = {Muscle Nerve}}",
        "journal = j,",
        "@comment{x}",
        '\\"o',
        "% comment",
        "",
        "pages = {1--2},",
        "@misc{b, title={" + "T" * 600 + "}}",
    ]
)
NBIB_LINES = st.sampled_from(
    [
        "PMID- 16127723",
        "PMID- abc",
        "TI  - Muscle cramps.",
        "      continued",
        "AU  - Miller TM",
        "FAU - Miller, Timothy M",
        "DP  - 2005 Oct",
        "DP  - someday",
        "AID - 10.1002/mus.20341 [doi]",
        "LID - 10.12/x [doi]",
        "PT  - Review",
        "PT  - Randomized Controlled Trial",
        "TA  - Muscle Nerve",
        "",
        "",
        "not a tag",
        "CN  - Some Body",
        "VI  - 32",
        "IP  - " + "9" * 40,
    ]
)


PRINTABLE = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\n"),
    max_size=20,
)


def _lines(pieces):
    return st.lists(st.one_of(pieces, pieces, pieces, PRINTABLE), min_size=1, max_size=30).map(
        "\n".join
    )


def _records(head: str, pieces, tail: str, separator: str):
    """Whole records built from syntax pieces, so most examples get past the file checks."""
    record = st.lists(pieces, max_size=10).map(lambda lines: "\n".join([head, *lines, tail]))
    return st.lists(record, min_size=1, max_size=4).map(separator.join)


RIS_TEXT = st.one_of(_lines(RIS_LINES), _records("TY  - JOUR", RIS_LINES, "ER  - ", "\n"))
BIB_TEXT = st.one_of(_lines(BIB_PIECES), _records("@article{k,", BIB_PIECES, "}", "\n"))
NBIB_TEXT = st.one_of(_lines(NBIB_LINES), _records("PMID- 16127723", NBIB_LINES, "", "\n\n"))
FUZZED_TEXT = st.one_of(RIS_TEXT, BIB_TEXT, NBIB_TEXT)
FUZZED_BYTES = st.one_of(
    st.binary(max_size=400),
    FUZZED_TEXT.map(lambda text: text.encode("utf-8")),
    FUZZED_TEXT.map(lambda text: text.encode("cp1252", errors="replace")),
    FUZZED_TEXT.map(lambda text: text.encode("utf-16")),
)


def _parse_or_file_error(data: bytes, filename: str):
    try:
        file_format, records = parse_reference_file(data, filename)
    except ImportFileError as exc:
        assert str(exc)
        return None
    assert file_format in {"ris", "bibtex", "nbib"}
    assert records
    for record in records:
        assert isinstance(record, ParsedRecord)
        for message in record.messages():
            assert message.startswith(f"Record {record.index}")
    return records


@FUZZ
@given(data=st.binary(max_size=600), filename=FILENAMES)
def test_parse_reference_file_arbitrary_bytes_only_raise_import_file_error(data, filename):
    _parse_or_file_error(data, filename)


@FUZZ
@given(text=RIS_TEXT)
def test_parse_reference_file_fuzzed_ris_only_raise_import_file_error(text):
    _parse_or_file_error(text.encode("utf-8"), "refs.ris")


@FUZZ
@given(text=BIB_TEXT)
def test_parse_reference_file_fuzzed_bibtex_only_raise_import_file_error(text):
    _parse_or_file_error(text.encode("utf-8"), "refs.bib")


@FUZZ
@given(text=NBIB_TEXT)
def test_parse_reference_file_fuzzed_nbib_only_raise_import_file_error(text):
    _parse_or_file_error(text.encode("utf-8"), "refs.nbib")


@pytest.mark.django_db
@FUZZ
@given(text=FUZZED_TEXT)
def test_parse_reference_file_valid_records_build_valid_references(text):
    records = _parse_or_file_error(text.encode("utf-8"), "refs.txt") or []
    for record in records:
        if not record.errors:
            # What the parser calls valid the model accepts (uniqueness aside).
            Reference(**record.fields).full_clean(validate_unique=False)


@pytest.mark.django_db
@FUZZ
@given(data=FUZZED_BYTES, filename=FILENAMES)
def test_references_import_fuzzed_input_is_all_or_nothing(data, filename, django_user_model):
    before = Reference.objects.count()
    try:
        preview = references_import_preview(data=data, filename=filename)
    except ImportFileError:
        preview = None
    try:
        created = references_import(data=data, filename=filename, user=None)
    except (ImportFileError, ValidationError) as exc:
        assert str(exc)
        assert Reference.objects.count() == before
        return
    assert preview is not None and not preview.broken
    assert len(created) == len(preview.new)
    assert Reference.objects.count() == before + len(created)
    # Importing the same file again finds everything already present.
    assert references_import(data=data, filename=filename, user=None) == []
    Reference.objects.filter(pk__in=[reference.pk for reference in created]).delete()
