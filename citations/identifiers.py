"""Normalize and validate the identifiers a reference is matched by: DOI and PMID."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A DOI is "10." + a registrant code of digits (dots allowed) + "/" + any suffix.
# Case does not matter to the DOI system, so we store it lower-cased.
DOI_PATTERN = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "dx.doi.org/",
    "doi:",
    "doi ",
)
PMID_PREFIXES = ("pmid:", "pmid ", "pmid")
PMID_MAX = 99_999_999


def normalize_doi(value: str) -> str:
    """Return the canonical lower-case DOI, or raise ValidationError."""
    doi = (value or "").strip()
    lowered = doi.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            doi = doi[len(prefix) :].strip()
            lowered = doi.lower()
            break
    if not DOI_PATTERN.match(lowered):
        raise ValidationError(
            _("“%(value)s” is not a valid DOI. A DOI looks like 10.1000/xyz123."),
            code="invalid_doi",
            params={"value": value},
        )
    return lowered


def normalize_pmid(value: str | int) -> str:
    """Return the PMID as plain digits without leading zeros, or raise ValidationError."""
    pmid = str(value if value is not None else "").strip()
    lowered = pmid.lower()
    for prefix in PMID_PREFIXES:
        if lowered.startswith(prefix):
            pmid = pmid[len(prefix) :].strip()
            break
    if not pmid.isascii() or not pmid.isdigit() or not 0 < int(pmid) <= PMID_MAX:
        raise ValidationError(
            _("“%(value)s” is not a valid PubMed ID. A PMID is a number of up to 8 digits."),
            code="invalid_pmid",
            params={"value": value},
        )
    return str(int(pmid))


def normalize_title(value: str) -> str:
    """Fold a title for duplicate matching: case, accents, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKD", value or "")
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())
