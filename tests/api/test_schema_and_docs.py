"""The OpenAPI schema validates; the docs page uses only our own assets, under our CSP."""

import json
import re
from http import HTTPStatus

from django.contrib.staticfiles import finders
from openapi_spec_validator import validate


def test_openapi_schema_is_valid_and_lists_every_endpoint(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == HTTPStatus.OK
    schema = json.loads(response.content)
    validate(schema)
    assert set(schema["paths"]) == {
        "/api/v1/drafts",
        "/api/v1/drafts/batch",
        "/api/v1/drafts/{draft_id}",
        "/api/v1/drafts/{draft_id}/submit",
        "/api/v1/drafts/{draft_id}/withdraw",
        "/api/v1/articles",
        "/api/v1/articles/{slug}",
        "/api/v1/review/queue",
        "/api/v1/review/{article_id}",
    }
    create = schema["paths"]["/api/v1/drafts"]["post"]
    assert {"201", "412", "422", "429"} <= set(create["responses"])
    assert create["security"] == [{"TokenAuth": []}]


def test_docs_are_served_from_our_static_files_under_the_csp(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/static/ninja/") for source in sources)
    assert "cdn" not in page.lower()
    # The only inline script is data (type="application/json"), which CSP does not execute.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline == [' type="application/json" id="swagger-settings"']
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), source
