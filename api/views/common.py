"""What the API's views share: JSON answers, cursors and the If-Match header."""

import base64
import binascii
import json
from http import HTTPStatus

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

from api.problems import ApiProblem


def json_response(data, *, status: int = HTTPStatus.OK, headers: dict | None = None):
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def schema_json(schema, data: dict) -> dict:
    """Validate ``data`` against the documented answer schema and make it JSON-ready."""
    return schema.model_validate(data).model_dump(mode="json")


def cursor_encode(*values) -> str:
    raw = ":".join(str(value) for value in values)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str, parts: int = 1) -> list[int]:
    """The integers in an opaque cursor, or a 400 problem."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = [int(value) for value in base64.urlsafe_b64decode(padded).decode().split(":")]
        if len(values) != parts:
            raise ValueError
        return values
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise ApiProblem(
            status=HTTPStatus.BAD_REQUEST,
            title="The cursor is not valid.",
            detail="Pass back the next_cursor of a previous page unchanged.",
            code="invalid-cursor",
        ) from error


def if_match_version(request) -> int:
    """The article version named by If-Match: 428 when missing, 400 when malformed."""
    value = request.headers.get("If-Match", "").strip()
    if not value:
        raise ApiProblem(
            status=HTTPStatus.PRECONDITION_REQUIRED,
            title="If-Match is required.",
            detail="Send If-Match with the draft's version (its ETag) so a stale write "
            "cannot overwrite someone else's.",
            code="if-match-required",
        )
    try:
        return int(value.removeprefix("W/").strip('"'))
    except ValueError as error:
        raise ApiProblem(
            status=HTTPStatus.BAD_REQUEST,
            title="If-Match is not a version.",
            detail='If-Match carries the draft\'s version, e.g. If-Match: "7".',
            code="if-match-invalid",
        ) from error
