"""Idempotency-Key on POST: a retried request replays the first answer and creates nothing.

The key, the user and a hash of the request are stored with the first successful answer in
the same transaction as the writes, so two racing requests with one key cannot both commit.
"""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from http import HTTPStatus

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from api.models import IdempotentRequest
from api.problems import ApiProblem

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _request_hash(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(b"\0" + request.path.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotentRequest, request_hash: str, path: str) -> HttpResponse:
    if record.request_hash != request_hash or record.path != path:
        raise ApiProblem(
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
            title="Idempotency-Key reused with a different request.",
            detail="This Idempotency-Key was first used with another body or endpoint. "
            "Use a new key for a new request.",
            code="idempotency-key-reused",
        )
    response = HttpResponse(
        bytes(record.body), status=record.status_code, content_type="application/json"
    )
    response["Idempotent-Replayed"] = "true"
    return response


def _live(user, key: str) -> IdempotentRequest | None:
    since = timezone.now() - timedelta(hours=settings.VETTED_API_IDEMPOTENCY_HOURS)
    return IdempotentRequest.objects.filter(user=user, key=key, created_at__gte=since).first()


def idempotent(request, user, handler: Callable[[], HttpResponse]) -> HttpResponse:
    """Run ``handler`` once per Idempotency-Key; without the header, just run it."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return handler()
    if len(key) > MAX_KEY_LENGTH:
        raise ApiProblem(
            status=HTTPStatus.BAD_REQUEST,
            title="Idempotency-Key too long.",
            detail=f"An Idempotency-Key has at most {MAX_KEY_LENGTH} characters.",
            code="idempotency-key-invalid",
        )
    request_hash = _request_hash(request)
    found = _live(user, key)
    if found is not None:
        return _replay(found, request_hash, request.path)
    # An expired record with the same key makes way for the new request.
    IdempotentRequest.objects.filter(user=user, key=key).delete()
    try:
        with transaction.atomic():
            response = handler()
            if HTTPStatus(response.status_code).is_success:
                IdempotentRequest.objects.create(
                    user=user,
                    key=key,
                    path=request.path,
                    request_hash=request_hash,
                    status_code=response.status_code,
                    body=response.content,
                )
    except IntegrityError:
        # Another request with this key committed first: its writes stand, ours rolled back.
        found = _live(user, key)
        if found is None:
            raise
        return _replay(found, request_hash, request.path)
    return response
