"""What the article page shows beside the snapshot: disclaimers, the board's decisions, retractions.

The public page keeps these under the page cache's tokens (articles.page_cache), which change
after every committed change they depend on.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef

from articles.grades import statement_grades
from articles.history import review_history
from articles.markdown import render_markdown
from articles.models import Article, Audience, Disclaimer, Revision, Topic
from citations.models import Reference

KEEP_SECONDS = 60 * 60 * 24


def retracted_since_snapshot(content) -> set[str]:
    """Keys of references retracted after the snapshot was taken, in one small query."""
    keys = [ref.key for ref in content.references if not ref.retracted and ref.key.isdigit()]
    if not keys:
        return set()
    return {
        str(pk)
        for pk in Reference.objects.filter(pk__in=keys, retracted=True).values_list("pk", flat=True)
    }


def disclaimer_choose(article: Article | None, audience: Audience | None) -> Disclaimer | None:
    """The article's disclaimer, else its topic's, else the General one, in the audience's wording.

    One query: every wording, each flagged when it is the topic's choice.
    """
    topic_choice = Topic.objects.filter(
        pk=article.topic_id if article else None, disclaimer=OuterRef("pk")
    )
    wordings = list(Disclaimer.objects.annotate(is_topic_choice=Exists(topic_choice)))
    bases = [d for d in wordings if d.audience_id is None]
    chosen = (
        next((d for d in bases if article and d.pk == article.disclaimer_id), None)
        or next((d for d in bases if d.is_topic_choice), None)
        or next((d for d in bases if d.name == Disclaimer.DEFAULT_NAME), None)
        or next(iter(bases), None)
    )
    if chosen is None or audience is None:
        return chosen
    return next(
        (d for d in wordings if d.name == chosen.name and d.audience_id == audience.pk), chosen
    )


def disclaimer_html(
    audience: Audience | None, article: Article | None = None, *, site_token: str = ""
) -> str:
    """The disclaimer this article shows this audience, as safe HTML.

    With the page cache's site token the HTML is kept: any disclaimer or topic saved
    replaces that token (articles.page_cache), and the key names every other input.
    """
    key = ""
    if site_token and article is not None:
        key = (
            f"vetted:disclaimer:{site_token}:{article.disclaimer_id}:{article.topic_id}:"
            f"{audience.pk if audience else '-'}"
        )
        found = cache.get(key)
        if found is not None:
            return found
    chosen = disclaimer_choose(article, audience)
    html = render_markdown(chosen.text) if chosen else ""
    if key:
        cache.set(key, html, KEEP_SECONDS)
    return html


@dataclass
class ApprovalFacts:
    """What the page says about the board's decisions and later retractions."""

    reviewers: list
    grades: dict
    history: list
    retracted_keys: set


def approval_facts(
    article: Article, revision: Revision, content, *, is_approved: bool, tokens=()
) -> ApprovalFacts:
    """Reviewers, grades, history and retractions, kept under the page cache's tokens.

    With ``tokens`` (the article's, the site's; articles.page_cache):

    - the board's record (reviewers, grades, history) is kept per live revision and review
      date: it changes only when a revision goes live, which changes both, or when a board
      member's name does, which replaces the site token;
    - the retractions are kept per article token, which a retraction of a cited reference
      replaces.

    So a kept copy is never older than the data it describes.
    """
    board_key = retracted_key = ""
    if tokens:
        gen, site = tokens
        reviewed = article.last_reviewed_at.timestamp() if article.last_reviewed_at else ""
        board_key = (
            f"vetted:board:{site}:{article.pk}:{article.live_revision_id}:{reviewed}:"
            f"{revision.pk}:{int(is_approved)}"
        )
        retracted_key = f"vetted:retracted:{gen}:{site}:{revision.pk}"
    found = cache.get_many([board_key, retracted_key]) if tokens else {}
    board = found.get(board_key)
    if board is None:
        board = (
            list(article.reviewed_by.select_related("user")) if is_approved else [],
            statement_grades(revision) if is_approved else {},
            review_history(article),
        )
        if board_key:
            cache.set(board_key, board, KEEP_SECONDS)
    retracted = found.get(retracted_key)
    if retracted is None:
        retracted = retracted_since_snapshot(content)
        if retracted_key:
            cache.set(retracted_key, retracted, KEEP_SECONDS)
    reviewers, grades, history = board
    return ApprovalFacts(reviewers, grades, history, retracted)
