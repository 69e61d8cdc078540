"""Two retries of one POST racing on real PostgreSQL: one draft, one answer for both."""

import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from api.tokens import token_create
from articles.models import Article
from tests.api.conftest import draft_payload


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_retries_with_one_key_create_one_draft(author, setup):
    assert connection.vendor == "postgresql"
    _, raw = token_create(user=author, scopes=["drafts:write"])
    body = json.dumps(draft_payload())
    barrier = threading.Barrier(2)
    answers = []

    def post():
        try:
            barrier.wait(timeout=10)
            response = Client().post(
                "/api/v1/drafts",
                body,
                content_type="application/json",
                headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": "race-1"},
            )
            answers.append((response.status_code, json.loads(response.content)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [status for status, _ in answers] == [201, 201]
    assert answers[0][1]["id"] == answers[1][1]["id"]
    assert Article.objects.count() == 1
