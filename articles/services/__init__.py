"""Writes to articles, by concern. Workflow transitions live in reviews.services."""

from articles.services.content import ArticleConflict, ArticleLocked, Move
from articles.services.follow_ups import (
    FollowUpRateLimited,
    FollowUpRateLimitUnavailable,
    client_hash,
    follow_up_convert_to_draft,
    follow_up_create,
    follow_up_recent_count,
    follow_up_status_set,
)
from articles.services.references import reference_citing_articles, reference_delete
from articles.services.revisions import revision_create

__all__ = [
    "ArticleConflict",
    "ArticleLocked",
    "FollowUpRateLimited",
    "FollowUpRateLimitUnavailable",
    "Move",
    "client_hash",
    "follow_up_convert_to_draft",
    "follow_up_create",
    "follow_up_recent_count",
    "follow_up_status_set",
    "reference_citing_articles",
    "reference_delete",
    "revision_create",
]
