"""Approved content for readers: always the displayed revision's snapshot, never the draft."""

from datetime import datetime

from django.db.models import Q

from articles.grades import statement_grades
from articles.history import review_history
from articles.models import Article, Audience, Revision
from articles.selectors import cached_page_content, public_article


def review_status(article: Article) -> str:
    """approved once a revision is live; otherwise submitted or under_review (pending)."""
    return "approved" if article.live_revision_id else article.status


def public_page(
    *, after: tuple[datetime, int] | None, updated_since: datetime | None, limit: int
) -> list:
    """One page of public articles, least recently changed first, limit + 1 rows.

    A keyset on (updated_at, id), which articles_article_updated indexes: a page costs the
    same at any depth, and an article that changes while a client pages comes round again.
    """
    articles = (
        Article.objects.public()
        .select_related("displayed_revision__topic")
        .only(
            "pk",
            "slug",
            "status",
            "live_revision_id",
            "last_reviewed_at",
            "updated_at",
            "displayed_revision__number",
            "displayed_revision__content_hash",
            "displayed_revision__title",
            "displayed_revision__created_at",
            "displayed_revision__topic__name",
            "displayed_revision__topic__slug",
        )
        .order_by("updated_at", "pk")
    )
    if after is not None:
        changed, pk = after
        # The >= bound lets the index seek to the cursor; the OR then skips ties already seen.
        articles = articles.filter(updated_at__gte=changed).filter(
            Q(updated_at__gt=changed) | Q(pk__gt=pk)
        )
    if updated_since is not None:
        articles = articles.filter(updated_at__gte=updated_since)
    return list(articles[: limit + 1])


def list_item(article: Article) -> dict:
    revision = article.displayed_revision
    topic = revision.topic
    return {
        "slug": article.slug,
        "title": revision.title,
        "topic": {"name": topic.name, "slug": topic.slug} if topic else None,
        "revision": revision.number,
        "content_hash": revision.content_hash,
        "review_status": review_status(article),
        "last_reviewed_at": article.last_reviewed_at,
        "published_at": revision.created_at,
        "updated_at": article.updated_at,
        "url": f"/api/v1/articles/{article.slug}",
        "page_url": article.get_absolute_url(),
    }


def _reviewers(article: Article) -> list[dict]:
    if not article.live_revision_id:
        return []
    return [
        {
            "name": member.user.get_full_name() or member.user.get_username(),
            "credentials": member.credentials,
            "specialty": member.specialty,
        }
        for member in article.reviewed_by.select_related("user")
    ]


def article_document(slug: str) -> tuple[Revision, dict]:
    """The displayed revision of a public article as a document; Http404 or ArticleGone."""
    article, revision = public_article(slug)
    snapshot = revision.snapshot
    content = cached_page_content(revision, None)
    numbers = {reference.key: reference.number for reference in content.references}
    approved = revision.pk == article.live_revision_id
    grades = statement_grades(revision) if approved else {}
    audiences = list(Audience.objects.order_by("order", "pk").values_list("slug", flat=True))
    document = {
        "slug": article.slug,
        "title": snapshot["title"],
        "summary": snapshot["summary"],
        "summary_variants": snapshot["summary_variants"],
        "topic": snapshot["topic"],
        "authors": snapshot["authors"],
        "audiences": audiences,
        "revision": {
            "number": revision.number,
            "content_hash": revision.content_hash,
            "created_at": revision.created_at,
            "change_summary": revision.change_summary,
            "is_correction": revision.is_correction,
            "correction_note": revision.correction_note,
        },
        "review": {
            "status": review_status(article),
            "approved": bool(article.live_revision_id),
            "last_reviewed_at": article.last_reviewed_at,
            "next_review_due": article.next_review_due,
            "reviewed_by": _reviewers(article),
            "provenance": article.provenance,
        },
        "sections": [
            {
                "kind": section["kind"],
                "heading": section["heading"],
                "statements": [
                    {
                        "id": statement.get("id") or 0,
                        "style": statement["style"],
                        "text": statement["text"],
                        "variants": statement["variants"],
                        "citations": [numbers[key] for key in statement["citations"]],
                        "certainty": grades.get(statement.get("id"), {}).get("slug"),
                    }
                    for statement in section["statements"]
                ],
            }
            for section in snapshot["sections"]
        ],
        "references": [
            {
                "number": reference.number,
                "formatted": reference.formatted,
                "link": reference.link,
                "kind": reference.kind,
                "evidence_grade": reference.evidence_grade,
                "retracted": reference.retracted,
                "title": reference.title,
                "doi": snapshot["references"][reference.key].get("doi", ""),
                "pmid": snapshot["references"][reference.key].get("pmid", ""),
            }
            for reference in content.references
        ],
        "history": [
            {
                "revision": entry.number,
                "approved_at": entry.approved_at,
                "change_summary": entry.change_summary,
                "is_correction": entry.is_correction,
                "correction_note": entry.correction_note,
                "reviewers": entry.reviewers,
            }
            for entry in review_history(article)
        ],
        "page_url": article.get_absolute_url(),
    }
    return revision, document


def etag_for(revision: Revision, document: dict) -> str:
    """The revision's hash; a pending revision's tag differs from the same one approved."""
    suffix = "" if document["review"]["approved"] else ".pending"
    return f'"{revision.content_hash}{suffix}"'
