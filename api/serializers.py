"""Articles as API dictionaries: the working copy for its writers, the snapshot for readers."""

from api.services.citations import Resolved
from articles.models import Article, EvidenceSection
from reviews.models import Review


def provenance_of(article: Article) -> dict:
    return {
        "kind": article.provenance,
        "pipeline": article.pipeline_name,
        "model": article.pipeline_model,
    }


def _reviews(article: Article) -> list[dict]:
    reviews = (
        Review.objects.filter(revision__article=article)
        .select_related("revision", "member__user")
        .order_by("created_at", "pk")
    )
    return [
        {
            "revision": review.revision.number,
            "content_hash": review.revision.content_hash,
            "member": review.member.display_name,
            "decision": review.decision,
            "comment": review.comment,
            "created_at": review.created_at,
        }
        for review in reviews
    ]


def draft_data(article: Article, resolved: list[Resolved] | None = None) -> dict:
    """A writer's view of the working copy, with the board's decisions and comments."""
    sections = EvidenceSection.objects.filter(article=article).with_tree()
    return {
        "id": article.pk,
        "slug": article.slug,
        "status": article.status,
        "version": article.version,
        "topic": article.topic.slug,
        "question": article.title,
        "summary": article.summary,
        "summary_variants": {
            v.audience.slug: v.text for v in article.summary_variants.select_related("audience")
        },
        "provenance": provenance_of(article),
        "sections": [
            {
                "id": section.pk,
                "kind": section.kind.slug,
                "heading": section.heading,
                "statements": [
                    {
                        "id": statement.pk,
                        "style": statement.style,
                        "text": statement.text,
                        "variants": {v.audience.slug: v.text for v in statement.variants.all()},
                        "citations": [
                            {
                                "reference_id": citation.reference_id,
                                "title": citation.reference.title,
                                "doi": citation.reference.doi,
                                "pmid": citation.reference.pmid,
                                "retracted": citation.reference.retracted,
                            }
                            for citation in statement.citations.all()
                        ],
                    }
                    for statement in section.statements.all()
                ],
            }
            for section in sections
        ],
        "reviews": _reviews(article),
        "references": [
            {
                "path": found.path,
                "reference_id": found.reference.pk,
                "outcome": found.outcome,
                "title": found.reference.title,
                "doi": found.reference.doi,
                "pmid": found.reference.pmid,
            }
            for found in resolved or []
        ],
        "updated_at": article.updated_at,
    }
