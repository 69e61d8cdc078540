"""content:read — approved content, as the public pages show it, and only that."""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.http import parse_etags
from ninja import Router

from api.auth import CONTENT_READ
from api.content_schemas import ArticleDocumentOut, ContentPageOut
from api.schemas import Problem
from api.selectors import article_document, etag_for, list_item, public_page
from api.views.common import cursor_decode, cursor_encode, json_response, schema_json

router = Router(auth=CONTENT_READ)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ERRORS = dict.fromkeys((400, 401, 403, 404, 410, 422, 429), Problem)


@router.get("", response={200: ContentPageOut, **ERRORS}, summary="Public articles")
def articles_list(
    request, cursor: str = "", limit: int | None = None, updated_since: datetime | None = None
):
    """Public articles, least recently changed first; pass next_cursor back for more.

    ``updated_since`` keeps only articles changed at or after that time (ISO 8601).
    """
    size = settings.VETTED_API_PAGE_SIZE
    limit = max(1, min(limit or size, 100))
    after = None
    if cursor:
        micros, pk = cursor_decode(cursor, parts=2)
        after = (EPOCH + timedelta(microseconds=micros), pk)
    rows = public_page(after=after, updated_since=updated_since, limit=limit)
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = page[-1]
        next_cursor = cursor_encode((last.updated_at - EPOCH) // timedelta(microseconds=1), last.pk)
    body = {"items": [list_item(article) for article in page], "next_cursor": next_cursor}
    return json_response(schema_json(ContentPageOut, body))


@router.get(
    "/{slug:slug}",
    response={200: ArticleDocumentOut, 304: None, **ERRORS},
    summary="One public article",
)
def articles_read(request, slug: str):
    """The displayed revision's snapshot; ETag is its hash, so If-None-Match answers 304."""
    revision, document = article_document(slug)
    etag = etag_for(revision, document)
    if_none_match = request.headers.get("If-None-Match", "")
    if if_none_match and (etag in parse_etags(if_none_match) or if_none_match.strip() == "*"):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    return json_response(
        schema_json(ArticleDocumentOut, document), status=HTTPStatus.OK, headers={"ETag": etag}
    )
