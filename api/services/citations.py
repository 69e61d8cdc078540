"""Citations given by library id, DOI or PMID: matched with the library's dedupe rules,
or created from the data the client sent. There is no network lookup."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from api.problems import FieldError, errors_from_django, pointer
from api.schemas import CitationIn
from citations.identifiers import normalize_doi, normalize_pmid
from citations.models import Reference
from citations.services import reference_create, reference_find_duplicate


@dataclass(frozen=True)
class Resolved:
    reference: Reference
    outcome: str  # "matched" or "created"
    path: str


class CitationProblems(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


def _identifiers(item: CitationIn, where: tuple) -> tuple[str, str, list[FieldError]]:
    errors = []
    doi = pmid = ""
    for name, normalize in (("doi", normalize_doi), ("pmid", normalize_pmid)):
        value = getattr(item, name).strip()
        if not value:
            continue
        try:
            normalized = normalize(value)
        except ValidationError as error:
            errors.extend(errors_from_django(error, base=(*where, name)))
            continue
        if name == "doi":
            doi = normalized
        else:
            pmid = normalized
    return doi, pmid, errors


def citation_resolve(*, item: CitationIn, user, where: tuple) -> Resolved:
    """The library reference this item names; created from the item's data if it is new."""
    path = pointer(*where)
    if item.reference_id is not None:
        reference = Reference.objects.filter(pk=item.reference_id).first()
        if reference is None:
            raise CitationProblems(
                [
                    FieldError(
                        pointer(*where, "reference_id"),
                        f"There is no reference {item.reference_id} in the library.",
                        "unknown_reference",
                    )
                ]
            )
        return Resolved(reference, "matched", path)
    doi, pmid, errors = _identifiers(item, where)
    if errors:
        raise CitationProblems(errors)
    if not (doi or pmid):
        raise CitationProblems(
            [FieldError(path, "Cite a reference by reference_id, doi or pmid.", "no_identifier")]
        )
    match = reference_find_duplicate(doi=doi, pmid=pmid, title=item.title, year=item.year)
    if match is not None:
        return Resolved(match, "matched", path)
    if not item.title.strip():
        raise CitationProblems(
            [
                FieldError(
                    pointer(*where, "title"),
                    f"{'DOI ' + doi if doi else 'PMID ' + pmid} is not in the library, and "
                    "Vetted does not look identifiers up: send the reference's title, authors, "
                    "journal and year in this citation to add it.",
                    "unknown_identifier",
                )
            ]
        )
    try:
        reference = reference_create(
            user=user,
            kind=item.kind,
            authors=[author.model_dump() for author in item.authors],
            title=item.title.strip(),
            journal=item.journal,
            year=item.year,
            volume=item.volume,
            issue=item.issue,
            pages=item.pages,
            doi=doi,
            pmid=pmid,
            url=item.url,
        )
    except ValidationError as error:
        raise CitationProblems(errors_from_django(error, base=where)) from error
    return Resolved(reference, "created", path)
