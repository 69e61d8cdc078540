"""The API's request and response shapes (pydantic, through django-ninja)."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

MAX_SECTIONS = 30
MAX_STATEMENTS = 100
MAX_CITATIONS = 30
MAX_BATCH = 100


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class AuthorIn(Strict):
    family: str = Field(max_length=200)
    given: str = Field(default="", max_length=200)


class CitationIn(Strict):
    """A reference by library id, DOI or PMID; bibliographic data creates it if it is new."""

    reference_id: int | None = None
    doi: str = Field(default="", max_length=255)
    pmid: str = Field(default="", max_length=20)
    title: str = Field(default="", max_length=500)
    authors: list[AuthorIn] = Field(default_factory=list, max_length=100)
    journal: str = Field(default="", max_length=300)
    year: int | None = None
    volume: str = Field(default="", max_length=30)
    issue: str = Field(default="", max_length=30)
    pages: str = Field(default="", max_length=50)
    url: str = Field(default="", max_length=500)
    kind: Literal[
        "guideline",
        "systematic_review",
        "randomized_trial",
        "observational",
        "narrative_review",
        "other",
    ] = "other"


class StatementIn(Strict):
    style: Literal["paragraph", "bullet", "subheading"] = "bullet"
    text: str = Field(max_length=4000)
    variants: dict[str, str] = Field(
        default_factory=dict, description="Audience slug → text for that audience."
    )
    citations: list[CitationIn] = Field(default_factory=list, max_length=MAX_CITATIONS)


class SectionIn(Strict):
    kind: str = Field(description="Section kind slug, e.g. guidelines or research.")
    heading: str = Field(default="", max_length=200)
    statements: list[StatementIn] = Field(default_factory=list, max_length=MAX_STATEMENTS)


class ProvenanceIn(Strict):
    kind: Literal["person", "machine"] = "person"
    pipeline: str = Field(default="", max_length=100)
    model: str = Field(default="", max_length=100)


class DraftIn(Strict):
    topic: str = Field(description="Topic slug.")
    question: str = Field(max_length=300)
    summary: str = Field(default="", max_length=2000)
    summary_variants: dict[str, str] = Field(default_factory=dict)
    sections: list[SectionIn] = Field(default_factory=list, max_length=MAX_SECTIONS)
    provenance: ProvenanceIn | None = Field(
        default=None,
        description="How the draft was made. On create, absent means written by a person; "
        "on replace, absent keeps the draft's provenance.",
    )


class BatchIn(Strict):
    drafts: list[DraftIn] = Field(min_length=1, max_length=MAX_BATCH)


# -- answers -------------------------------------------------------------------------------


class ProvenanceOut(Schema):
    kind: str
    pipeline: str
    model: str


class ReferenceOutcome(Schema):
    path: str
    reference_id: int
    outcome: Literal["matched", "created"]
    title: str
    doi: str
    pmid: str


class CitationOut(Schema):
    reference_id: int
    title: str
    doi: str
    pmid: str
    retracted: bool


class StatementOut(Schema):
    id: int
    style: str
    text: str
    variants: dict[str, str]
    citations: list[CitationOut]


class SectionOut(Schema):
    id: int
    kind: str
    heading: str
    statements: list[StatementOut]


class ReviewOut(Schema):
    revision: int
    content_hash: str
    member: str
    decision: str
    comment: str
    created_at: datetime


class DraftOut(Schema):
    id: int
    slug: str
    status: str
    version: int
    topic: str
    question: str
    summary: str
    summary_variants: dict[str, str]
    provenance: ProvenanceOut
    sections: list[SectionOut]
    reviews: list[ReviewOut]
    references: list[ReferenceOutcome] = Field(
        default_factory=list, description="How each cited reference was found (write answers)."
    )
    updated_at: datetime


class DraftSummaryOut(Schema):
    id: int
    slug: str
    status: str
    version: int
    question: str
    updated_at: datetime


class DraftPageOut(Schema):
    items: list[DraftSummaryOut]
    next_cursor: str | None


class SubmitOut(Schema):
    id: int
    status: str
    version: int
    revision: int
    content_hash: str


class StatusOut(Schema):
    id: int
    status: str
    version: int


class BatchItemOut(Schema):
    index: int
    status: int
    draft: DraftOut | None = None
    problem: dict | None = None


class BatchOut(Schema):
    created: int
    failed: int
    results: list[BatchItemOut]


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict] = Field(default_factory=list)
