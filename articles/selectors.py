"""Reads that shape the public pages. The article page is built from a revision snapshot only."""

import functools
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from articles.audiences import audiences_for_request
from articles.markdown import render_inline_markdown, render_markdown
from articles.models import Article, Audience, Revision
from articles.page_cache import deploy_version
from articles.page_facts import (  # noqa: F401  (disclaimer_choose: other modules' import)
    approval_facts,
    disclaimer_choose,
    disclaimer_html,
    retracted_since_snapshot,
)

# Bump when page_content's output changes shape, so old cache entries are never read.
PAGE_CACHE_VERSION = 2
PAGE_CACHE_SECONDS = 60 * 60 * 24


class ArticleGone(Exception):
    """The article existed but is archived: the page answers 410."""


@dataclass(frozen=True)
class PageReference:
    number: int
    key: str
    formatted: str
    link: str
    kind: str
    kind_label: str
    evidence_grade: str
    retracted: bool
    title: str = ""


@dataclass(frozen=True)
class PageStatement:
    style: str
    html: str
    citations: tuple[int, ...]
    id: int = 0


@dataclass(frozen=True)
class StatementBlock:
    """Consecutive statements of one style: bullets in a row share one list."""

    style: str
    statements: tuple[PageStatement, ...]


@dataclass(frozen=True)
class PageSection:
    kind: str
    heading: str
    statements: tuple[PageStatement, ...]

    @property
    def blocks(self) -> tuple[StatementBlock, ...]:
        blocks: list[StatementBlock] = []
        for statement in self.statements:
            if blocks and blocks[-1].style == statement.style == "bullet":
                last = blocks.pop()
                blocks.append(StatementBlock("bullet", (*last.statements, statement)))
            else:
                blocks.append(StatementBlock(statement.style, (statement,)))
        return tuple(blocks)


@dataclass(frozen=True)
class PageContent:
    """What a snapshot says, for one audience, with references numbered by first citation."""

    title: str
    summary_html: str
    topic: dict
    authors: tuple[dict, ...]
    sections: tuple[PageSection, ...]
    references: tuple[PageReference, ...] = field(default_factory=tuple)


def number_references(snapshot: dict) -> dict[str, int]:
    """Number each cited reference by its first citation, across sections and statements."""
    numbers: dict[str, int] = {}
    for section in snapshot["sections"]:
        for statement in section["statements"]:
            for key in statement["citations"]:
                numbers.setdefault(key, len(numbers) + 1)
    return numbers


def _variant(default: str, variants: dict, audience_slug: str | None) -> str:
    if audience_slug and variants.get(audience_slug):
        return variants[audience_slug]
    return default


def page_content(snapshot: dict, audience_slug: str | None) -> PageContent:
    """Render a snapshot for an audience; pure, so it can be cached per revision and audience."""
    numbers = number_references(snapshot)
    sections = tuple(
        PageSection(
            kind=section["kind"],
            heading=section["heading"],
            statements=tuple(
                PageStatement(
                    style=statement["style"],
                    html=render_inline_markdown(
                        _variant(statement["text"], statement["variants"], audience_slug)
                    ),
                    # AMA: a marker lists its reference numbers in ascending order.
                    citations=tuple(sorted(numbers[key] for key in statement["citations"])),
                    id=statement.get("id", 0),
                )
                for statement in section["statements"]
            ),
        )
        for section in snapshot["sections"]
    )
    entries = snapshot["references"]
    references = tuple(
        PageReference(
            number=number,
            key=key,
            formatted=entries[key]["formatted"],
            link=entries[key]["link"],
            kind=entries[key]["kind"],
            kind_label=entries[key]["kind_label"],
            evidence_grade=entries[key]["evidence_grade"],
            retracted=entries[key]["retracted"],
            title=entries[key].get("title", ""),
        )
        for key, number in sorted(numbers.items(), key=lambda pair: pair[1])
    )
    return PageContent(
        title=snapshot["title"],
        summary_html=render_markdown(
            _variant(snapshot["summary"], snapshot["summary_variants"], audience_slug)
        ),
        topic=snapshot["topic"],
        authors=tuple(snapshot["authors"]),
        sections=sections,
        references=references,
    )


def public_article(slug: str) -> tuple[Article, Revision]:
    """The article at this slug and the revision to show, or Http404 / ArticleGone."""
    article = (
        Article.objects.select_related("displayed_revision", "live_revision")
        .defer("live_revision__snapshot")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404("No such article.")
    if article.status == Article.Status.ARCHIVED:
        raise ArticleGone(article)
    revision = article.displayed_revision
    if revision is None:
        raise Http404("This article is not public.")
    return article, revision


def page_cache_key(revision: Revision, audience_slug: str | None) -> str:
    """Cache key for one revision's content in one audience's wording."""
    return (
        f"vetted:page:v{PAGE_CACHE_VERSION}:{revision.pk}:{revision.content_hash[:16]}:"
        f"{audience_slug or '-'}"
    )


def cached_page_content(revision: Revision, audience_slug: str | None) -> PageContent:
    """page_content for a stored revision, cached: a revision never changes once made."""
    key = page_cache_key(revision, audience_slug)
    content = cache.get(key)
    if content is None:
        content = page_content(revision.snapshot, audience_slug)
        cache.set(key, content, PAGE_CACHE_SECONDS)
    return content


def json_ld_dumps(data: dict) -> str:
    """JSON for a <script> element: <, > and & escaped so the text cannot close the tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def article_json_ld(
    *,
    article: Article,
    content: PageContent,
    revision: Revision | None,
    audience: Audience | None,
    reviewers: list,
    canonical_url: str,
    is_approved: bool,
) -> dict:
    """schema.org MedicalWebPage data for the article page."""
    modified = revision.created_at if revision else timezone.now()
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": content.title,
        "headline": content.title,
        "url": canonical_url,
        "dateModified": modified.isoformat(),
        "about": {"@type": "Thing", "name": content.topic.get("name", "")},
        "medicalAudience": {
            "@type": "MedicalAudience",
            "audienceType": audience.schema_type if audience else Audience.SchemaType.PATIENT,
        },
        "citation": [
            {
                "@type": "CreativeWork",
                "name": entry.title,
                **({"url": entry.link} if entry.link else {}),
            }
            for entry in content.references
        ],
    }
    if is_approved and article.last_reviewed_at:
        data["lastReviewed"] = article.last_reviewed_at.isoformat()
        data["reviewedBy"] = [
            {
                "@type": "Person",
                "name": member.user.get_full_name() or member.user.get_username(),
                "honorificSuffix": member.credentials,
                "jobTitle": member.specialty,
            }
            for member in reviewers
        ]
    return data


@functools.cache
def page_urls() -> dict[str, str]:
    """Addresses every article page links to, reversed once per process."""
    return {
        "home": reverse("articles:home"),
        "policy": reverse("articles:editorial_policy"),
        "audience": reverse("articles:audience"),
        "board": reverse("board:list"),
    }


def article_page_context(
    *,
    article: Article,
    snapshot: dict,
    revision: Revision | None,
    audience: Audience | None,
    preview: bool = False,
    request=None,
    cache_tokens: tuple[str, str] = (),
) -> dict:
    """Everything the article template needs. The public page and the desk preview share it.

    ``cache_tokens`` (the public page's) let the approval facts and the disclaimer be kept.
    """
    audience_slug = audience.slug if audience else None
    is_approved = not preview and revision is not None and revision.pk == article.live_revision_id
    if revision is not None and not preview:
        content = cached_page_content(revision, audience_slug)
    else:
        content = page_content(snapshot, audience_slug)
    if revision is not None and not preview:
        facts = approval_facts(
            article, revision, content, is_approved=is_approved, tokens=cache_tokens
        )
        reviewers, grades, retracted_keys = facts.reviewers, facts.grades, facts.retracted_keys
        history = facts.history
    else:
        reviewers, grades, history = [], {}, []
        retracted_keys = retracted_since_snapshot(content)
    now = timezone.now()
    next_review_due = article.next_review_due if is_approved else None
    path = article.get_absolute_url()
    canonical_url = request.build_absolute_uri(path) if request is not None else path
    back_under_review = ""
    if (
        is_approved
        and retracted_keys
        and article.status in (Article.Status.SUBMITTED, Article.Status.UNDER_REVIEW)
    ):
        # The retraction sent the answer back to the board; the last approved text stays
        # readable meanwhile, and the stepper says where it really is.
        review_step = "under_review"
        back_under_review = "Back under review — a cited source was retracted"
    elif is_approved:
        review_step = "approved"
    elif preview and article.status not in (
        Article.Status.SUBMITTED,
        Article.Status.UNDER_REVIEW,
        Article.Status.APPROVED,
    ):
        review_step = "draft"
    elif article.status == Article.Status.UNDER_REVIEW:
        review_step = "under_review"
    else:
        review_step = "submitted"
    json_ld = article_json_ld(
        article=article,
        content=content,
        revision=revision,
        audience=audience,
        reviewers=reviewers,
        canonical_url=canonical_url,
        is_approved=is_approved,
    )
    body_cache_key = ""
    if revision is not None and not preview:
        # The rendered sections and references: same revision, audience and retractions,
        # same HTML, so the template caches the fragment under this key.
        body_cache_key = (
            f"{page_cache_key(revision, audience_slug)}:{','.join(sorted(retracted_keys))}"
            f":{'graded' if grades else ''}:{deploy_version()}"
        )
    return {
        "article": article,
        "revision": revision,
        "content": content,
        "body_cache_key": body_cache_key,
        "is_approved": is_approved,
        "is_preview": preview,
        "review_step": review_step,
        "reviewers": reviewers,
        "statement_grades": grades,
        "review_history": history,
        "last_updated": revision.created_at if revision else now,
        "next_review_due": next_review_due,
        "review_overdue": bool(next_review_due and next_review_due < now),
        "retracted_keys": retracted_keys,
        "retracted_numbers": {
            ref.number for ref in content.references if ref.retracted or ref.key in retracted_keys
        },
        "back_under_review": back_under_review,
        "audience": audience,
        "audiences": (
            audiences_for_request(request) if request is not None else list(Audience.objects.all())
        ),
        "disclaimer_html": disclaimer_html(
            audience, article, site_token=cache_tokens[1] if cache_tokens else ""
        ),
        "canonical_url": canonical_url,
        "json_ld": json_ld_dumps(json_ld),
        "approvals_required": settings.VETTED_APPROVALS_REQUIRED,
        "page_urls": page_urls(),
    }
