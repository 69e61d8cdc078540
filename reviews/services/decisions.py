"""The board's decisions: start review, approve, request changes, reject.

A decision is made on a named revision. The form (or API call) carries the number and content
hash of the revision the member read; inside the same locked transaction as the transition,
the service refuses with 409 (StaleRevision) when that is no longer the revision under review,
and records nothing. Whoever wrote or edited a revision can never decide on it
(articles.policies.decision_refusal).
"""

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from articles.models import Article, Revision
from citations.models import Reference
from reviews.comments import open_comments_listing
from reviews.models import BoardMember, Review, ReviewAssignment
from reviews.notifications import notify_on_commit
from reviews.services.grades import grades_checked, grades_record
from reviews.services.releases import LiveState, go_live_checked, release_hold
from reviews.services.transitions import (
    DECISION_TRANSITIONS,
    TransitionRefused,
    _check,
    _locked,
    _run,
)


class StaleRevision(TransitionRefused):
    """The member decided on a revision that is no longer the one under review."""

    def __init__(self, *, seen_number, seen_hash: str, current: Revision) -> None:
        self.seen_number = seen_number
        self.seen_hash = seen_hash
        self.current = current
        super().__init__(
            _(
                "You read revision %(seen)s, but the revision under review is now revision "
                "%(number)s (%(hash)s), made on %(when)s. Nothing was recorded: read what "
                "changed, then decide again."
            )
            % {
                "seen": f"{seen_number} ({(seen_hash or '')[:12]})",
                "number": current.number,
                "hash": current.short_hash,
                "when": current.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            },
            status=HTTPStatus.CONFLICT,
        )


def _revision_seen(article: Article, revision_number, content_hash: str) -> Revision:
    """The revision under review, provided it is the one the member read."""
    current = article.revision_under_review()
    if current is None:
        raise TransitionRefused(_("There is no revision to review."))
    try:
        number = int(revision_number)
    except (TypeError, ValueError):
        number = None
    if number != current.number or (content_hash or "").strip() != current.content_hash:
        raise StaleRevision(seen_number=revision_number, seen_hash=content_hash, current=current)
    return current


def _assignment_ensure(*, article: Article, revision: Revision, user) -> None:
    member = BoardMember.objects.filter(user=user).first()
    if member is None:
        return
    ReviewAssignment.objects.get_or_create(
        article=article,
        revision=revision,
        member=member,
        defaults={"assigned_by": user},
    )


@transaction.atomic
def article_start_review(
    *, article: Article, user, revision_number: int, content_hash: str
) -> Article:
    """A board member picks up the submitted revision they read; the assignment is recorded."""
    article = _locked(article)
    _check(article, "start_review", user, check_conditions=False, check_user=False)
    revision = _revision_seen(article, revision_number, content_hash)
    _check(article, "start_review", user)
    _run(article, "start_review", user, "")
    _assignment_ensure(article=article, revision=revision, user=user)
    notify_on_commit(event="review_started", article=article, actor=user)
    return article


def _retracted_citations(revision: Revision) -> list[Reference]:
    keys = [key for key in revision.snapshot.get("references", {}) if key.isdigit()]
    return list(Reference.objects.filter(pk__in=keys, retracted=True).order_by("pk"))


@transaction.atomic
def review_record(
    *,
    article: Article,
    user,
    decision: str,
    comment: str = "",
    revision_number: int,
    content_hash: str,
    grades: dict | None = None,
    go_live_at=None,
) -> Review:
    """Record one member's decision on the revision they read; move the article if due.

    An approval that completes the quorum may carry ``go_live_at`` (an aware future time):
    the article is approved but readers keep what they saw until the release task puts the
    revision live then (reviews.services.releases).

    An approval signs off every statement, with the certainty grades given
    (``{statement_id: "high" | "moderate" | "low" | "very_low" | ""}``); a missing grade is
    refused unless ``VETTED_UNGRADED_STATEMENTS_ALLOWED``.
    """
    if decision not in DECISION_TRANSITIONS:
        raise TransitionRefused(_("Choose approve, request changes or reject."))
    name = DECISION_TRANSITIONS[decision]
    comment = (comment or "").strip()
    article = _locked(article)
    _check(article, name, user, check_conditions=False, check_user=False)
    revision = _revision_seen(article, revision_number, content_hash)
    _check(article, name, user, check_conditions=False)
    if decision != Review.Decision.APPROVE and not comment:
        raise TransitionRefused(
            _("Requesting changes needs a comment for the authors.")
            if decision == Review.Decision.REQUEST_CHANGES
            else _("Rejecting needs a reason for the authors.")
        )
    if decision == Review.Decision.APPROVE and (retracted := _retracted_citations(revision)):
        raise TransitionRefused(
            _(
                "Revision %(number)s cites a retracted source (%(titles)s); it cannot be "
                "approved. Request changes instead."
            )
            % {
                "number": revision.number,
                "titles": "; ".join(f"“{reference.title[:80]}”" for reference in retracted),
            }
        )
    if decision == Review.Decision.REQUEST_CHANGES and (
        listing := open_comments_listing(article, revision)
    ):
        comment = f"{comment}\n\n{_('Open comments on statements:')}\n{listing}"
    if decision == Review.Decision.APPROVE:
        checked_grades = grades_checked(revision=revision, grades=grades)
    if go_live_at is not None:
        go_live_at = go_live_checked(go_live_at)
        if decision != Review.Decision.APPROVE:
            raise TransitionRefused(_("Only an approval can carry a go-live time."))
    member = BoardMember.objects.get(user=user)
    if Review.objects.filter(revision=revision, member=member).exists():
        raise TransitionRefused(
            _("You have already recorded your decision on revision %(number)s.")
            % {"number": revision.number}
        )
    review = Review(revision=revision, member=member, decision=decision, comment=comment)
    try:
        review.full_clean()
        # A savepoint, so a duplicate that slips past the check leaves the transaction usable.
        with transaction.atomic():
            review.save()
    except (ValidationError, IntegrityError) as error:
        raise TransitionRefused(
            _("Your decision could not be recorded: %(error)s") % {"error": error}
        ) from error
    if decision == Review.Decision.APPROVE:
        grades_record(review=review, grades=checked_grades)
    _assignment_ensure(article=article, revision=revision, user=user)
    if go_live_at is not None and not can_proceed(article.approve):
        raise TransitionRefused(
            _(
                "A go-live time is set by the approval that completes the quorum of "
                "%(needed)s; record your approval without one."
            )
            % {"needed": settings.VETTED_APPROVALS_REQUIRED}
        )
    if can_proceed(getattr(article, name)):
        before = LiveState.of(article)
        _run(article, name, user, comment)
        if go_live_at is not None:
            # Readers keep what they saw; the release task sets the reviewers at go-live.
            release_hold(
                article=article, revision=revision, before=before, user=user, go_live_at=go_live_at
            )
        elif decision == Review.Decision.APPROVE:
            approvers = BoardMember.objects.filter(
                reviews__revision=revision, reviews__decision=Review.Decision.APPROVE
            ).distinct()
            article.reviewed_by.set(approvers)
        if decision == Review.Decision.APPROVE:
            # A new approval starts a new round of contributors for the next working copy.
            article.contributors.clear()
        notify_on_commit(event=name, article=article, comment=comment, actor=user)
    return review
