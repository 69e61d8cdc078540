"""Errors as application/problem+json (RFC 9457), each problem with a JSON-pointer path."""

import json
from dataclasses import dataclass, field
from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse

PROBLEM_TYPE_BASE = "https://vetted.example/problems/"
CONTENT_TYPE = "application/problem+json"


@dataclass
class FieldError:
    """One problem with one place in the request body."""

    path: str
    message: str
    code: str = "invalid"

    def as_dict(self) -> dict:
        return {"path": self.path, "message": self.message, "code": self.code}


@dataclass
class ApiProblem(Exception):
    """Raised anywhere in the API to answer with a problem document."""

    status: int
    title: str
    detail: str = ""
    code: str = ""
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.detail or self.title


def pointer(*parts) -> str:
    """A JSON pointer (RFC 6901): ("sections", 0, "heading") → /sections/0/heading."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "".join(f"/{part}" for part in escaped)


def problem_response(problem: ApiProblem, *, instance: str = "") -> HttpResponse:
    """The HTTP answer for a problem."""
    code = problem.code or HTTPStatus(problem.status).phrase.lower().replace(" ", "-")
    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail or problem.title,
        **({"instance": instance} if instance else {}),
        **({"errors": [error.as_dict() for error in problem.errors]} if problem.errors else {}),
        **problem.extra,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=problem.status, content_type=CONTENT_TYPE
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


def errors_from_django(error: DjangoValidationError, *, base: tuple = ()) -> list[FieldError]:
    """A Django ValidationError as field errors under ``base``; model field names become keys."""
    if hasattr(error, "error_dict"):
        found = []
        for name, items in error.error_dict.items():
            where = base if name == "__all__" else (*base, name)
            for item in items:
                found.append(_field_error(item, where))
        return found
    return [_field_error(item, base) for item in error.error_list]


def _field_error(item: DjangoValidationError, where: tuple) -> FieldError:
    message = item.message % item.params if item.params else item.message
    return FieldError(path=pointer(*where), message=str(message), code=item.code or "invalid")


def validation_problem(errors: list[FieldError], detail: str = "") -> ApiProblem:
    return ApiProblem(
        status=HTTPStatus.UNPROCESSABLE_ENTITY,
        title="The request has invalid fields.",
        detail=detail or "; ".join(f"{error.path or '/'}: {error.message}" for error in errors),
        code="validation",
        errors=errors,
    )
