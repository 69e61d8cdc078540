"""Comment threads on statements: a board member opens one on the revision under review; the
authors reply and resolve. Every write is a new append-only row (the table refuses UPDATE)."""

from http import HTTPStatus

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from articles import policies
from articles.models import Article
from reviews.comments import anchor_text
from reviews.models import StatementComment
from reviews.services.decisions import _revision_seen
from reviews.services.transitions import TransitionRefused, _locked


def _save(row: StatementComment) -> StatementComment:
    try:
        row.full_clean()
        with transaction.atomic():
            row.save()
    except (ValidationError, IntegrityError) as error:
        messages = getattr(error, "messages", None) or [str(error)]
        raise TransitionRefused(" ".join(messages)) from error
    return row


@transaction.atomic
def comment_add(
    *,
    article: Article,
    user,
    anchor: str,
    anchor_id: int,
    body: str,
    revision_number: int,
    content_hash: str,
) -> StatementComment:
    """A board member who may decide comments on a statement or section of the revision read."""
    article = _locked(article)
    if article.status != Article.Status.UNDER_REVIEW:
        raise TransitionRefused(_("Comments are made while the article is under review."))
    revision = _revision_seen(article, revision_number, content_hash)
    refusal = policies.decision_refusal(user, article, revision)
    if refusal:
        raise TransitionRefused(refusal, status=HTTPStatus.FORBIDDEN)
    if anchor not in StatementComment.Anchor.values or (
        anchor_text(revision.snapshot, anchor, int(anchor_id)) is None
    ):
        raise TransitionRefused(
            _("Revision %(number)s has no such statement or section.")
            % {"number": revision.number},
            status=HTTPStatus.BAD_REQUEST,
        )
    return _save(
        StatementComment(
            article=article,
            revision=revision,
            anchor=anchor,
            anchor_id=int(anchor_id),
            kind=StatementComment.Kind.COMMENT,
            author=user,
            body=(body or "").strip(),
        )
    )


def _open_thread(thread: StatementComment) -> StatementComment:
    opening = StatementComment.objects.select_related("article").get(pk=thread.pk)
    if opening.kind != StatementComment.Kind.COMMENT:
        raise TransitionRefused(_("Reply to the opening comment of a thread."))
    if opening.followups.filter(kind=StatementComment.Kind.RESOLVE).exists():
        raise TransitionRefused(_("This comment is already resolved."))
    return opening


def _followup(opening: StatementComment, *, user, kind: str, body: str = "") -> StatementComment:
    return _save(
        StatementComment(
            article=opening.article,
            revision=opening.revision,
            anchor=opening.anchor,
            anchor_id=opening.anchor_id,
            thread=opening,
            kind=kind,
            author=user,
            body=(body or "").strip(),
        )
    )


def _may_take_part(user, article: Article) -> bool:
    """The article's authors, and board members who may decide on it."""
    return policies.is_author_of(user, article) or policies.may_decide(user, article)


@transaction.atomic
def comment_reply(*, thread: StatementComment, user, body: str) -> StatementComment:
    """An author, or a member who may decide on the article, replies to an open thread."""
    opening = _open_thread(thread)
    _locked(opening.article)
    if not _may_take_part(user, opening.article):
        raise TransitionRefused(
            _("Only the article's authors and the board reply to comments."),
            status=HTTPStatus.FORBIDDEN,
        )
    return _followup(opening, user=user, kind=StatementComment.Kind.REPLY, body=body)


@transaction.atomic
def comment_edit(*, thread: StatementComment, user, body: str) -> StatementComment:
    """The commenting member rewords an open comment: a new version, the old one is kept."""
    opening = _open_thread(thread)
    _locked(opening.article)
    if opening.author_id != getattr(user, "pk", None):
        raise TransitionRefused(
            _("Only the member who wrote a comment edits it."), status=HTTPStatus.FORBIDDEN
        )
    return _followup(opening, user=user, kind=StatementComment.Kind.EDIT, body=body)


@transaction.atomic
def comment_resolve(*, thread: StatementComment, user, body: str = "") -> StatementComment:
    """An author (or the commenting member) marks a thread resolved, as a new row."""
    opening = _open_thread(thread)
    _locked(opening.article)
    if not (
        policies.is_author_of(user, opening.article) or opening.author_id == getattr(user, "pk", 0)
    ):
        raise TransitionRefused(
            _("Only the article's authors or the commenting member resolve a comment."),
            status=HTTPStatus.FORBIDDEN,
        )
    return _followup(opening, user=user, kind=StatementComment.Kind.RESOLVE, body=body)
