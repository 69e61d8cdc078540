import json

import pytest

from api.tokens import token_create
from tests import factories


class ApiClient:
    """The Django test client speaking JSON with a bearer token."""

    def __init__(self, client, raw: str | None = None) -> None:
        self.client = client
        self.raw = raw

    def headers(self, extra: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.raw}"} if self.raw else {}
        return {**headers, **(extra or {})}

    def get(self, path: str, *, headers: dict | None = None, **params):
        return self.client.get(path, params, headers=self.headers(headers))

    def _send(self, method: str, path: str, body, headers: dict | None):
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return getattr(self.client, method)(
            path, data=data, content_type="application/json", headers=self.headers(headers)
        )

    def post(self, path: str, body=None, *, headers: dict | None = None):
        return self._send("post", path, body if body is not None else {}, headers)

    def put(self, path: str, body, *, headers: dict | None = None):
        return self._send("put", path, body, headers)


@pytest.fixture
def setup(roles, audiences, section_kinds):
    topic = factories.TopicFactory(slug="sports-medicine", name="Sports medicine")
    return {"topic": topic, "audiences": audiences, "kinds": section_kinds}


@pytest.fixture
def make_client(client):
    def make(user=None, scopes=("drafts:write",), **kwargs) -> ApiClient:
        if user is None:
            return ApiClient(client)
        _, raw = token_create(user=user, scopes=list(scopes), **kwargs)
        return ApiClient(client, raw)

    return make


@pytest.fixture
def writer(make_client, author, setup):
    return make_client(author, ["drafts:write"])


def citation(doi: str, title: str = "", **extra) -> dict:
    item = {"doi": doi, **extra}
    if title:
        item.update(
            title=title,
            authors=[{"family": "Schwellnus", "given": "MP"}],
            journal="Br J Sports Med",
            year=2011,
            kind="systematic_review",
        )
    return item


def draft_payload(question: str = "Why do my feet cramp when I run?", **overrides) -> dict:
    """A complete draft with two DOI citations that the library does not hold yet."""
    payload = {
        "topic": "sports-medicine",
        "question": question,
        "summary": "Cramps during exercise are common and usually harmless.",
        "summary_variants": {"professional": "EAMC is common; its cause is multifactorial."},
        "provenance": {"kind": "machine", "pipeline": "answer-drafter", "model": "med-llm-2"},
        "sections": [
            {
                "kind": "guidelines",
                "statements": [
                    {
                        "style": "bullet",
                        "text": "Stretch the cramping muscle gently.",
                        "variants": {"patient": "Gently stretch the muscle that cramps."},
                        "citations": [citation("10.1136/bjsm.2010.081117", "Muscle cramps")],
                    }
                ],
            },
            {
                "kind": "research",
                "heading": "What studies show",
                "statements": [
                    {
                        "style": "bullet",
                        "text": "Fatigue, not dehydration, is the likelier cause.",
                        "citations": [
                            citation("https://doi.org/10.1080/02640414.2021.1898190", "Fatigue")
                        ],
                    }
                ],
            },
        ],
    }
    payload.update(overrides)
    return payload


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", response.content[:300]
    return json.loads(response.content)
