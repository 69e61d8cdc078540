"""The article page's JSON-LD MedicalWebPage: parseable, complete, and safe in a script tag."""

import json
import re

import pytest

from articles.selectors import json_ld_dumps
from citations.models import Reference
from tests import factories

# A data block, not a script: CSP does not run it, so it carries no nonce (a nonce in a
# page every reader shares would be worthless; see articles/page_cache.py).
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def approved(audiences, board_member):
    references = [
        factories.ReferenceFactory(kind=Reference.Kind.GUIDELINE),
        factories.ReferenceFactory(),
    ]
    article = factories.article_with_evidence(
        title="Do cramps </script><b>hurt</b>?", slug="cramps-hurt", references=references
    )
    return factories.article_publish(article, reviewers=[board_member])


def _json_ld(client, url):
    html = client.get(url).content.decode()
    match = SCRIPT.search(html)
    assert match, "no JSON-LD script"
    return json.loads(match.group(1)), match.group(1)


def test_json_ld_medical_web_page_fields(client, approved, board_member):
    data, _ = _json_ld(client, approved.get_absolute_url() + "?audience=professional")
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == approved.title
    assert data["lastReviewed"] == approved.last_reviewed_at.isoformat()
    assert data["dateModified"] == approved.live_revision.created_at.isoformat()
    assert data["reviewedBy"][0]["@type"] == "Person"
    assert data["reviewedBy"][0]["name"] == board_member.user.get_full_name()
    assert data["reviewedBy"][0]["honorificSuffix"] == board_member.credentials
    assert data["medicalAudience"] == {"@type": "MedicalAudience", "audienceType": "Clinician"}
    assert data["about"]["name"] == approved.topic.name
    assert len(data["citation"]) == 2
    assert all(c["url"].startswith("https://") for c in data["citation"])
    assert data["url"] == "http://testserver" + approved.get_absolute_url()


def test_json_ld_cannot_close_its_script_tag(client, approved):
    data, raw = _json_ld(client, approved.get_absolute_url())
    assert "</script>" not in raw
    assert "<b>" not in raw
    assert data["name"] == "Do cramps </script><b>hurt</b>?"


def test_json_ld_pending_article_has_no_review_claims(client, audiences):
    article = factories.article_submit_for_readers(
        factories.article_with_evidence(slug="pending-ld")
    )
    data, _ = _json_ld(client, article.get_absolute_url())
    assert "lastReviewed" not in data
    assert "reviewedBy" not in data
    assert data["medicalAudience"]["audienceType"] == "Patient"


def test_json_ld_dumps_escapes_markup_characters():
    text = json_ld_dumps({"a": "<&>"})
    assert text == '{"a":"\\u003c\\u0026\\u003e"}'
    assert json.loads(text) == {"a": "<&>"}
