"""Reads that shape the public pages. The article page is built from a revision snapshot only."""

from dataclasses import dataclass, field

from django.http import Http404

from articles.markdown import render_inline_markdown, render_markdown
from articles.models import Article, Audience, Disclaimer, Revision


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


@dataclass(frozen=True)
class PageStatement:
    style: str
    html: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class PageSection:
    kind: str
    heading: str
    statements: tuple[PageStatement, ...]


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
                    citations=tuple(numbers[key] for key in statement["citations"]),
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


def displayed_revision(article: Article) -> Revision | None:
    """The revision readers see: the live one, else the latest while it is under review."""
    if article.live_revision_id:
        return article.live_revision
    if article.status in (Article.Status.SUBMITTED, Article.Status.UNDER_REVIEW):
        return article.revisions.order_by("-number").first()
    return None


def public_article(slug: str) -> tuple[Article, Revision]:
    """The article at this slug and the revision to show, or Http404 / ArticleGone."""
    article = (
        Article.objects.select_related("topic", "live_revision")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404("No such article.")
    if article.status == Article.Status.ARCHIVED:
        raise ArticleGone(article)
    revision = displayed_revision(article)
    if revision is None:
        raise Http404("This article is not public.")
    return article, revision


def disclaimer_html(audience: Audience | None) -> str:
    """The audience's own disclaimer, else the default one, as safe HTML."""
    disclaimers = {d.audience_id: d for d in Disclaimer.objects.all()}
    chosen = disclaimers.get(audience.pk if audience else None) or disclaimers.get(None)
    return render_markdown(chosen.text) if chosen else ""


def article_page_context(
    *, article: Article, snapshot: dict, revision: Revision | None, audience: Audience | None,
    preview: bool = False,
) -> dict:
    """Everything the article template needs. The public page and the desk preview share it."""
    is_approved = revision is not None and revision.pk == article.live_revision_id
    return {
        "article": article,
        "revision": revision,
        "content": page_content(snapshot, audience.slug if audience else None),
        "is_approved": is_approved,
        "is_preview": preview,
        "review_step": "approved" if is_approved else article.status,
        "reviewers": list(article.reviewed_by.select_related("user")) if is_approved else [],
        "audience": audience,
        "audiences": list(Audience.objects.all()),
        "disclaimer_html": disclaimer_html(audience),
    }
