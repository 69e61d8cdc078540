"""Answer shapes of the read side: public articles as their displayed revisions."""

from datetime import datetime

from ninja import Field, Schema


class TopicOut(Schema):
    name: str
    slug: str


class ContentItemOut(Schema):
    slug: str
    title: str
    topic: TopicOut | None
    revision: int
    content_hash: str
    review_status: str
    last_reviewed_at: datetime | None
    published_at: datetime
    updated_at: datetime
    url: str
    page_url: str


class ContentPageOut(Schema):
    items: list[ContentItemOut]
    next_cursor: str | None


class RevisionOut(Schema):
    number: int
    content_hash: str
    created_at: datetime
    change_summary: str = Field(
        "", description="The author's reader-facing summary of what changed in this revision."
    )
    is_correction: bool = Field(
        False, description="This revision corrects an error (or follows a retracted source)."
    )
    correction_note: str = Field("", description="For a correction: what was corrected.")


class ReviewerOut(Schema):
    name: str
    credentials: str
    specialty: str


class HistoryEntryOut(Schema):
    revision: int
    approved_at: datetime
    change_summary: str
    is_correction: bool
    correction_note: str
    reviewers: list[str]


class ReviewStatusOut(Schema):
    status: str
    approved: bool
    last_reviewed_at: datetime | None
    next_review_due: datetime | None
    reviewed_by: list[ReviewerOut]
    provenance: str


class PublicStatementOut(Schema):
    id: int = Field(0, description="The statement's id in the revision snapshot.")
    style: str
    text: str
    variants: dict[str, str]
    citations: list[int]
    certainty: str | None = Field(
        None,
        description=(
            "The board's GRADE-style certainty for an approved revision: high, moderate, low "
            "or very_low (the least certain grade among approvers); null if ungraded or not "
            "approved."
        ),
    )


class PublicSectionOut(Schema):
    kind: str
    heading: str
    statements: list[PublicStatementOut]


class PublicReferenceOut(Schema):
    number: int
    formatted: str
    link: str
    kind: str
    evidence_grade: str
    retracted: bool
    title: str
    doi: str
    pmid: str


class ArticleDocumentOut(Schema):
    slug: str
    title: str
    summary: str
    summary_variants: dict[str, str]
    topic: TopicOut
    authors: list[dict]
    audiences: list[str]
    revision: RevisionOut
    review: ReviewStatusOut
    sections: list[PublicSectionOut]
    references: list[PublicReferenceOut]
    history: list[HistoryEntryOut] = Field(
        default_factory=list,
        description="The public review history: approved revisions readers saw, newest first.",
    )
    page_url: str


class QueueItemOut(Schema):
    id: int
    slug: str
    title: str
    topic: str
    status: str
    provenance: str
    pipeline: str
    model: str
    revision: int | None
    content_hash: str | None
    submitted_at: datetime | None
    may_decide: bool
    why_not: str


class QueuePageOut(Schema):
    items: list[QueueItemOut]
    next_cursor: str | None


class RevisionReviewOut(Schema):
    article: QueueItemOut
    snapshot: dict
    reviews: list[dict]
