import pytest
from django.core.exceptions import ValidationError

from citations.identifiers import normalize_doi, normalize_pmid, normalize_title


@pytest.mark.parametrize(
    "raw",
    [
        "10.1000/X",
        "https://doi.org/10.1000/x",
        "http://dx.doi.org/10.1000/X",
        "doi:10.1000/x",
        "DOI: 10.1000/x",
        "  10.1000/x  ",
    ],
)
def test_normalize_doi_treats_spellings_as_one_doi(raw):
    assert normalize_doi(raw) == "10.1000/x"


@pytest.mark.parametrize("raw", ["", "10.1000", "11.1000/x", "doi:abc", "10.12/x", "10.1000/ x"])
def test_normalize_doi_refuses_malformed_with_clear_message(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_doi(raw)
    assert excinfo.value.code == "invalid_doi"
    assert "not a valid DOI" in str(excinfo.value.messages[0])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("17277604", "17277604"),
        ("PMID: 17277604", "17277604"),
        ("pmid17277604", "17277604"),
        ("007935546", "7935546"),
        (7935546, "7935546"),
    ],
)
def test_normalize_pmid_accepts_common_spellings(raw, expected):
    assert normalize_pmid(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "0", "123456789", "12 34", "١٢٣"])
def test_normalize_pmid_refuses_malformed(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_pmid(raw)
    assert excinfo.value.code == "invalid_pmid"


def test_normalize_title_ignores_case_accents_and_punctuation():
    assert normalize_title("Muscle  Cramps: a Réview!") == normalize_title("muscle cramps a review")
