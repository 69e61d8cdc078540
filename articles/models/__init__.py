"""Articles: content, revisions, audiences and what readers send. Split by concern."""

from articles.models.article import Article, ArticleQuerySet
from articles.models.audience import Audience, Disclaimer
from articles.models.content import (
    STATEMENT_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    ArticleLocked,
    ArticleSummaryVariant,
    EvidenceSection,
    SectionKind,
    Statement,
    StatementVariant,
    Topic,
)
from articles.models.reader import EditorialPolicy, FollowUpQuestion
from articles.models.revision import Revision

__all__ = [
    "STATEMENT_MAX_LENGTH",
    "SUMMARY_MAX_LENGTH",
    "Article",
    "ArticleLocked",
    "ArticleQuerySet",
    "ArticleSummaryVariant",
    "Audience",
    "Disclaimer",
    "EditorialPolicy",
    "EvidenceSection",
    "FollowUpQuestion",
    "Revision",
    "SectionKind",
    "Statement",
    "StatementVariant",
    "Topic",
]
