"""The NinjaAPI at /api/v1/: routers, the JSON parser's limits and problem+json errors."""

import json
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser

from api.problems import ApiProblem, FieldError, pointer, problem_response, validation_problem
from api.services.drafts import DraftInvalid
from articles.models import ArticleLocked
from articles.selectors import ArticleGone
from articles.services.content import ArticleConflict


def too_large() -> ApiProblem:
    return ApiProblem(
        status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        title="The request body is too large.",
        detail=f"The API accepts JSON bodies up to {settings.VETTED_API_MAX_BODY_BYTES} bytes; "
        "send a batch of fewer drafts.",
        code="body-too-large",
    )


class LimitedJSONParser(Parser):
    """JSON only, within the size limit, and an object at the top."""

    def parse_body(self, request):
        if len(request.body) > settings.VETTED_API_MAX_BODY_BYTES:
            raise too_large()
        try:
            data = json.loads(request.body)
        except UnicodeDecodeError as error:
            raise ApiProblem(
                status=HTTPStatus.BAD_REQUEST,
                title="The request body is not UTF-8.",
                detail=str(error),
                code="malformed-json",
            ) from error
        except json.JSONDecodeError as error:
            raise ApiProblem(
                status=HTTPStatus.BAD_REQUEST,
                title="The request body is not valid JSON.",
                detail=f"{error.msg} at line {error.lineno}, column {error.colno}.",
                code="malformed-json",
            ) from error
        if not isinstance(data, dict):
            raise ApiProblem(
                status=HTTPStatus.BAD_REQUEST,
                title="The request body must be a JSON object.",
                detail="Send a JSON object, as the schema at /api/v1/openapi.json shows.",
                code="malformed-json",
            )
        return data


api = NinjaAPI(
    title="Vetted API",
    version="1",
    description="Machine-drafted answers in, board-approved content out. See docs/api.md.",
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=LimitedJSONParser(),
)


def _instance(request) -> str:
    return request.path


@api.exception_handler(ApiProblem)
def _problem(request, exc: ApiProblem):
    return problem_response(exc, instance=_instance(request))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    cause = exc.__cause__
    if isinstance(cause, ApiProblem):
        return problem_response(cause, instance=_instance(request))
    if isinstance(exc, AuthenticationError):
        problem = ApiProblem(status=401, title="Authentication required.", code="unauthorized")
    else:
        problem = ApiProblem(status=exc.status_code, title=str(exc.message))
    return problem_response(problem, instance=_instance(request))


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    errors = []
    for error in exc.errors:
        location = list(error.get("loc", ()))
        # ("body", "payload", "sections", 0, ...) → /sections/0/...; query and path keep a prefix.
        if location[:1] == ["body"]:
            location = location[2:]
        errors.append(
            FieldError(pointer(*location), error.get("msg", "Invalid."), error.get("type", ""))
        )
    return problem_response(validation_problem(errors), instance=_instance(request))


@api.exception_handler(DraftInvalid)
def _draft_invalid(request, exc: DraftInvalid):
    return problem_response(validation_problem(exc.errors), instance=_instance(request))


@api.exception_handler(ArticleConflict)
def _conflict(request, exc: ArticleConflict):
    problem = ApiProblem(
        status=HTTPStatus.PRECONDITION_FAILED,
        title="The draft changed since you read it.",
        detail=f"If-Match does not match the current version {exc.current.version}; "
        "nothing was saved. Read the draft again, merge, and retry with its version.",
        code="stale-version",
        headers={"ETag": f'"{exc.current.version}"'},
        extra={"current_version": exc.current.version},
    )
    return problem_response(problem, instance=_instance(request))


@api.exception_handler(ArticleLocked)
def _locked(request, exc: ArticleLocked):
    problem = ApiProblem(
        status=HTTPStatus.CONFLICT,
        title="The article is read-only now.",
        detail=str(exc),
        code="article-locked",
    )
    return problem_response(problem, instance=_instance(request))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    problem = ApiProblem(
        status=HTTPStatus.FORBIDDEN, title="Not allowed.", detail=str(exc), code="forbidden"
    )
    return problem_response(problem, instance=_instance(request))


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    problem = ApiProblem(
        status=HTTPStatus.NOT_FOUND,
        title="Not found.",
        detail=str(exc) or "Not found.",
        code="not-found",
    )
    return problem_response(problem, instance=_instance(request))


@api.exception_handler(ArticleGone)
def _gone(request, exc: ArticleGone):
    problem = ApiProblem(
        status=HTTPStatus.GONE,
        title="The article was withdrawn from the site.",
        detail="This article is archived.",
        code="gone",
    )
    return problem_response(problem, instance=_instance(request))


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc: RequestDataTooBig):
    return problem_response(too_large(), instance=_instance(request))


from api.views import content, drafts, review  # noqa: E402  (routes need ``api`` above)

api.add_router("/drafts", drafts.router, tags=["drafts"])
api.add_router("/articles", content.router, tags=["content"])
api.add_router("/review", review.router, tags=["review"])
