"""review:read — the board's queue and the revision under review, read-only.

Decisions are made in the admin, where the member reads the revision and names it.
"""

from django.http import Http404
from ninja import Router

from api.auth import REVIEW_READ
from api.content_schemas import QueuePageOut, RevisionReviewOut
from api.schemas import Problem
from api.views.common import cursor_decode, cursor_encode, json_response, schema_json
from articles import policies
from articles.models import Article
from reviews.models import Review

router = Router(auth=REVIEW_READ)
ERRORS = dict.fromkeys((400, 401, 403, 404, 429), Problem)
IN_BOARD_HANDS = (Article.Status.SUBMITTED, Article.Status.UNDER_REVIEW)


def _item(user, article: Article) -> dict:
    revision = article.revision_under_review()
    refusal = policies.decision_refusal(user, article, revision)
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": revision.title if revision else article.title,
        "topic": article.topic.slug,
        "status": article.status,
        "provenance": article.provenance,
        "pipeline": article.pipeline_name,
        "model": article.pipeline_model,
        "revision": revision.number if revision else None,
        "content_hash": revision.content_hash if revision else None,
        "submitted_at": revision.created_at if revision else None,
        "may_decide": refusal is None,
        "why_not": str(refusal or ""),
    }


@router.get("/queue", response={200: QueuePageOut, **ERRORS}, summary="The review queue")
def review_queue(request, cursor: str = "", limit: int = 50, provenance: str = ""):
    """Articles submitted or under review, oldest first; filter by provenance."""
    limit = max(1, min(limit, 100))
    articles = Article.objects.filter(status__in=IN_BOARD_HANDS).select_related("topic")
    if provenance:
        articles = articles.filter(provenance=provenance)
    if cursor:
        articles = articles.filter(pk__gt=cursor_decode(cursor)[0])
    rows = list(articles.order_by("pk")[: limit + 1])
    page = rows[:limit]
    body = {
        "items": [_item(request.user, article) for article in page],
        "next_cursor": cursor_encode(page[-1].pk) if len(rows) > limit else None,
    }
    return json_response(schema_json(QueuePageOut, body))


@router.get(
    "/{int:article_id}", response={200: RevisionReviewOut, **ERRORS}, summary="Under review"
)
def review_read(request, article_id: int):
    """The revision under review, as the board reads it, with the decisions so far."""
    article = (
        Article.objects.select_related("topic")
        .filter(pk=article_id, status__in=IN_BOARD_HANDS)
        .first()
    )
    revision = article.revision_under_review() if article else None
    if revision is None:
        raise Http404("No revision of this article is waiting for the board.")
    reviews = Review.objects.filter(revision__article=article).select_related(
        "revision", "member__user"
    )
    body = {
        "article": _item(request.user, article),
        "snapshot": revision.snapshot,
        "reviews": [
            {
                "revision": review.revision.number,
                "member": review.member.display_name,
                "decision": review.decision,
                "comment": review.comment,
                "created_at": review.created_at.isoformat(),
            }
            for review in reviews.order_by("created_at", "pk")
        ],
    }
    return json_response(schema_json(RevisionReviewOut, body))
