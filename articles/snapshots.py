"""The frozen JSON form of an article tree, which revisions store and readers are shown."""

import hashlib
import json

from articles.models import Article, EvidenceSection
from citations.formatting import format_reference

SNAPSHOT_SCHEMA = 1


def canonical_json(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(snapshot: dict) -> str:
    """SHA-256 of the canonical JSON: equal content, equal hash, whatever the key order."""
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()


def reference_entry(reference) -> dict:
    return {
        "kind": reference.kind,
        "kind_label": str(reference.get_kind_display()),
        "title": reference.title,
        "authors": reference.authors,
        "journal": reference.journal,
        "journal_abbrev": reference.journal_abbrev,
        "year": reference.year,
        "volume": reference.volume,
        "issue": reference.issue,
        "pages": reference.pages,
        "doi": reference.doi,
        "pmid": reference.pmid,
        "url": reference.url,
        "link": reference.link,
        "evidence_grade": reference.evidence_grade,
        "retracted": reference.retracted,
        "formatted": format_reference(reference.to_csl()),
    }


def build_snapshot(article: Article) -> dict:
    """Read the article's working copy, in a fixed number of queries, into a snapshot dict."""
    sections = EvidenceSection.objects.filter(article=article).with_tree()
    references: dict[str, dict] = {}
    section_data = []
    for section in sections:
        statements = []
        for statement in section.statements.all():
            cited = []
            for citation in statement.citations.all():
                key = str(citation.reference_id)
                if key not in references:
                    references[key] = reference_entry(citation.reference)
                cited.append(key)
            statements.append(
                {
                    "id": statement.pk,
                    "style": statement.style,
                    "text": statement.text,
                    "variants": {v.audience.slug: v.text for v in statement.variants.all()},
                    "citations": cited,
                }
            )
        section_data.append(
            {
                "id": section.pk,
                "kind": section.kind.slug,
                "kind_name": section.kind.name,
                "heading": section.heading,
                "statements": statements,
            }
        )
    topic = article.topic
    return {
        "schema": SNAPSHOT_SCHEMA,
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "summary_variants": {
            v.audience.slug: v.text for v in article.summary_variants.select_related("audience")
        },
        "topic": {"name": topic.name, "slug": topic.slug},
        "authors": [
            {"name": user.get_full_name() or user.get_username()}
            for user in article.authors.order_by("last_name", "first_name", "pk")
        ],
        "sections": section_data,
        "references": references,
    }
