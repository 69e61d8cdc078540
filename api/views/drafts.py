"""drafts:write — create, replace, read, submit and withdraw one's drafts, and batches."""

from http import HTTPStatus

from django.db import transaction
from django.http import Http404
from ninja import Router

from api.auth import DRAFTS_WRITE
from api.idempotency import idempotent
from api.problems import ApiProblem, FieldError, pointer, problem_response, validation_problem
from api.schemas import (
    BatchIn,
    BatchOut,
    DraftIn,
    DraftOut,
    DraftPageOut,
    Problem,
    StatusOut,
    SubmitOut,
)
from api.serializers import draft_data
from api.services.drafts import DraftInvalid, draft_create, draft_replace
from api.views.common import (
    cursor_decode,
    cursor_encode,
    if_match_version,
    json_response,
    schema_json,
)
from articles import policies
from articles.models import Article, EvidenceSection
from reviews.services import TransitionRefused, article_submit, article_withdraw

router = Router(auth=DRAFTS_WRITE)
ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 412, 413, 422, 428, 429), Problem)
PAGE_SIZE = 50


def _draft(request, draft_id: int) -> Article:
    """The article if the caller may open it at the desk; 404 otherwise, whoever owns it."""
    article = Article.objects.select_related("topic").filter(pk=draft_id).first()
    if article is None or not policies.may_open_at_desk(request.user, article):
        raise Http404("No draft with this id is yours.")
    return article


def _draft_response(article, resolved=None, *, status=HTTPStatus.OK):
    return json_response(
        schema_json(DraftOut, draft_data(article, resolved)),
        status=status,
        headers={"ETag": f'"{article.version}"', "Location": f"/api/v1/drafts/{article.pk}"},
    )


@router.get("", response={200: DraftPageOut, **ERRORS}, summary="My drafts")
def drafts_list(request, cursor: str = "", limit: int = PAGE_SIZE):
    """The caller's own articles, newest first, in pages."""
    limit = max(1, min(limit, 100))
    articles = Article.objects.authored_by(request.user).order_by("-pk")
    if cursor:
        articles = articles.filter(pk__lt=cursor_decode(cursor)[0])
    page = list(
        articles.values("id", "slug", "status", "version", "title", "updated_at")[: limit + 1]
    )
    items = [{**row, "question": row["title"]} for row in page[:limit]]
    more = len(page) > limit
    return json_response(
        schema_json(
            DraftPageOut,
            {"items": items, "next_cursor": cursor_encode(items[-1]["id"]) if more else None},
        )
    )


@router.post("", response={201: DraftOut, **ERRORS}, summary="Create a draft")
def drafts_create(request, payload: DraftIn):
    """A new draft with its sections, statements and citations; send an Idempotency-Key."""

    def create():
        article, resolved = draft_create(user=request.user, payload=payload)
        return _draft_response(article, resolved, status=HTTPStatus.CREATED)

    return idempotent(request, request.user, create)


@router.post("/batch", response={200: BatchOut, **ERRORS}, summary="Create up to 100 drafts")
def drafts_batch(request, payload: BatchIn):
    """Each draft is created all or nothing on its own; the answer reports every item."""

    def create_all():
        results = []
        for index, item in enumerate(payload.drafts):
            try:
                with transaction.atomic():
                    article, resolved = draft_create(user=request.user, payload=item)
                results.append(
                    {
                        "index": index,
                        "status": HTTPStatus.CREATED,
                        "draft": draft_data(article, resolved),
                    }
                )
            except DraftInvalid as invalid:
                errors = [
                    FieldError(pointer("drafts", index) + e.path, e.message, e.code)
                    for e in invalid.errors
                ]
                problem = validation_problem(errors)
                results.append(
                    {"index": index, "status": problem.status, "problem": _problem_dict(problem)}
                )
        created = sum(1 for result in results if result["status"] == HTTPStatus.CREATED)
        body = {"created": created, "failed": len(results) - created, "results": results}
        return json_response(schema_json(BatchOut, body))

    return idempotent(request, request.user, create_all)


def _problem_dict(problem: ApiProblem) -> dict:
    import json

    return json.loads(problem_response(problem).content)


@router.get("/{int:draft_id}", response={200: DraftOut, **ERRORS}, summary="Read a draft")
def drafts_read(request, draft_id: int):
    """The working copy, its version (also the ETag) and the board's decisions and comments."""
    return _draft_response(_draft(request, draft_id))


@router.put("/{int:draft_id}", response={200: DraftOut, **ERRORS}, summary="Replace a draft")
def drafts_replace(request, draft_id: int, payload: DraftIn):
    """Replace the whole draft; If-Match must carry its current version (412 if stale)."""
    version = if_match_version(request)
    article = _draft(request, draft_id)
    article, resolved = draft_replace(
        user=request.user, article=article, version=version, payload=payload
    )
    return _draft_response(article, resolved)


def _submission_errors(article: Article, refusal: TransitionRefused) -> list[FieldError]:
    """The submit guard's problems, each at its place in the draft's tree."""
    places: dict[int, tuple] = {}
    sections = EvidenceSection.objects.filter(article=article).with_tree()
    statements: dict[int, tuple] = {}
    for s, section in enumerate(sections):
        places[section.pk] = ("sections", s)
        for t, statement in enumerate(section.statements.all()):
            statements[statement.pk] = ("sections", s, "statements", t)
            for c, citation in enumerate(statement.citations.all()):
                statements[(statement.pk, citation.reference_id)] = (
                    "sections",
                    s,
                    "statements",
                    t,
                    "citations",
                    c,
                )
    errors = []
    for problem in refusal.problems:
        where: tuple = ()
        if problem.statement_id and problem.reference_id:
            where = statements.get((problem.statement_id, problem.reference_id), ())
        elif problem.statement_id:
            where = statements.get(problem.statement_id, ())
        elif problem.section_id:
            where = places.get(problem.section_id, ())
        elif problem.code == "no_sections":
            where = ("sections",)
        elif problem.code == "no_title":
            where = ("question",)
        errors.append(FieldError(pointer(*where), problem.message, problem.code))
    return errors


def _refused(article: Article, refusal: TransitionRefused) -> ApiProblem:
    errors = _submission_errors(article, refusal) if refusal.problems else []
    return ApiProblem(
        status=refusal.status,
        title=refusal.message,
        detail=refusal.message if not errors else "; ".join(e.message for e in errors),
        code="submission-incomplete" if errors else "transition-refused",
        errors=errors,
    )


@router.post("/{int:draft_id}/submit", response={200: SubmitOut, **ERRORS}, summary="Submit")
def drafts_submit(request, draft_id: int):
    """Send the draft to the board; the submit guard's problems come back with their paths."""
    article = _draft(request, draft_id)

    def submit():
        try:
            revision = article_submit(article=article, user=request.user)
        except TransitionRefused as refusal:
            raise _refused(article, refusal) from refusal
        fresh = Article.objects.get(pk=article.pk)
        body = {
            "id": fresh.pk,
            "status": fresh.status,
            "version": fresh.version,
            "revision": revision.number,
            "content_hash": revision.content_hash,
        }
        return json_response(schema_json(SubmitOut, body))

    return idempotent(request, request.user, submit)


@router.post("/{int:draft_id}/withdraw", response={200: StatusOut, **ERRORS}, summary="Withdraw")
def drafts_withdraw(request, draft_id: int):
    """Take a submission back to draft before the board starts its review."""
    article = _draft(request, draft_id)

    def withdraw():
        try:
            article_withdraw(article=article, user=request.user)
        except TransitionRefused as refusal:
            raise _refused(article, refusal) from refusal
        fresh = Article.objects.get(pk=article.pk)
        body = {"id": fresh.pk, "status": fresh.status, "version": fresh.version}
        return json_response(schema_json(StatusOut, body))

    return idempotent(request, request.user, withdraw)
