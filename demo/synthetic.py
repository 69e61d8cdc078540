"""Synthetic approved articles in bulk, for scale and speed work."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import Article, EvidenceSection, Revision, SectionKind, Statement, Topic
from articles.snapshots import SNAPSHOT_SCHEMA, content_hash, reference_entry
from citations.models import Citation, Reference

STATEMENTS_PER_SECTION = 3
SYNTHETIC_PREFIX = "synthetic-"


@transaction.atomic
def synthetic_articles_create(*, count: int, author, batch_size: int = 500) -> int:
    """Add `count` approved articles, each with two cited sections, using bulk inserts."""
    references = list(Reference.objects.not_retracted().order_by("pk")[:6])
    kinds = list(SectionKind.objects.order_by("order", "pk")[:2])
    topic = Topic.objects.order_by("pk").first()
    if not references or not kinds or topic is None:
        raise ValueError("Run seed_demo first: synthetic articles cite the demo references.")
    entries = {str(r.pk): reference_entry(r) for r in references}
    start = Article.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
    now = timezone.now()
    due = now + timedelta(days=settings.VETTED_REVIEW_INTERVAL_DAYS)

    articles = Article.objects.bulk_create(
        [
            Article(
                slug=f"{SYNTHETIC_PREFIX}{start + i + 1}",
                title=f"Synthetic question {start + i + 1}: how does exercise affect cramps?",
                topic=topic,
                summary="A synthetic summary used for scale testing.",
                status=Article.Status.APPROVED,
                last_reviewed_at=now,
                next_review_due=due,
            )
            for i in range(count)
        ],
        batch_size=batch_size,
    )
    Article.authors.through.objects.bulk_create(
        [Article.authors.through(article_id=a.pk, user_id=author.pk) for a in articles],
        batch_size=batch_size,
    )
    sections = EvidenceSection.objects.bulk_create(
        [
            EvidenceSection(article=a, kind=kind, heading=kind.default_heading, order=order)
            for a in articles
            for order, kind in enumerate(kinds)
        ],
        batch_size=batch_size,
    )
    statements = Statement.objects.bulk_create(
        [
            Statement(
                section=s,
                style=Statement.Style.BULLET,
                order=order,
                text=f"Synthetic statement {order + 1} in {s.heading}.",
            )
            for s in sections
            for order in range(STATEMENTS_PER_SECTION)
        ],
        batch_size=batch_size,
    )
    citations = []
    for index, statement in enumerate(statements):
        reference = references[index % len(references)]
        citations.append(Citation(statement=statement, reference=reference, order=0))
    Citation.objects.bulk_create(citations, batch_size=batch_size)

    by_article: dict[int, list] = {}
    statement_iter = iter(statements)
    for section in sections:
        cited = []
        for _ in range(STATEMENTS_PER_SECTION):
            statement = next(statement_iter)
            cited.append(statement)
        by_article.setdefault(section.article_id, []).append((section, cited))
    citation_of = {c.statement_id: str(c.reference_id) for c in citations}

    revisions = []
    for article in articles:
        snapshot = {
            "schema": SNAPSHOT_SCHEMA,
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "summary_variants": {},
            "topic": {"name": topic.name, "slug": topic.slug},
            "authors": [{"name": author.get_full_name() or author.get_username()}],
            "sections": [
                {
                    "id": section.pk,
                    "kind": section.kind.slug,
                    "kind_name": section.kind.name,
                    "heading": section.heading,
                    "statements": [
                        {
                            "id": s.pk,
                            "style": s.style,
                            "text": s.text,
                            "variants": {},
                            "citations": [citation_of[s.pk]],
                        }
                        for s in cited
                    ],
                }
                for section, cited in by_article[article.pk]
            ],
            "references": {},
        }
        for section in snapshot["sections"]:
            for statement in section["statements"]:
                for key in statement["citations"]:
                    snapshot["references"].setdefault(key, entries[key])
        revisions.append(
            Revision(
                article=article,
                number=1,
                snapshot=snapshot,
                content_hash=content_hash(snapshot),
                title=article.title,
                topic=topic,
                contributor_ids=[author.pk],
                created_by=author,
            )
        )
    Revision.objects.bulk_create(revisions, batch_size=batch_size)
    for article, revision in zip(articles, revisions, strict=True):
        article.live_revision = article.displayed_revision = revision
    Article.objects.bulk_update(
        articles, ["live_revision", "displayed_revision"], batch_size=batch_size
    )
    return len(articles)
