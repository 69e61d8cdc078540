"""The review workflow's writes, by concern: transitions, decisions, authors, retractions."""

from reviews.services.authors import article_authors_set
from reviews.services.comments import (
    comment_add,
    comment_edit,
    comment_reply,
    comment_resolve,
)
from reviews.services.decisions import (
    StaleRevision,
    article_start_review,
    review_record,
)
from reviews.services.retractions import RetractionResult, reference_retract
from reviews.services.transitions import (
    DECISION_NAMES,
    DECISION_TRANSITIONS,
    TRANSITION_NAMES,
    TransitionRefused,
    article_archive,
    article_request_rereview,
    article_restore,
    article_revise,
    article_submit,
    article_transition,
    article_withdraw,
    refusal_reason,
    transition_allowed_for,
)

__all__ = [
    "DECISION_NAMES",
    "DECISION_TRANSITIONS",
    "TRANSITION_NAMES",
    "RetractionResult",
    "StaleRevision",
    "TransitionRefused",
    "article_archive",
    "article_authors_set",
    "article_request_rereview",
    "article_restore",
    "article_revise",
    "article_start_review",
    "article_submit",
    "article_transition",
    "article_withdraw",
    "comment_add",
    "comment_edit",
    "comment_reply",
    "comment_resolve",
    "reference_retract",
    "refusal_reason",
    "review_record",
    "transition_allowed_for",
]
