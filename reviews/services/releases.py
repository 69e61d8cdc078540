"""Scheduled go-live: approve now, let readers see the revision later.

An approval may carry a go-live time. The article is then approved (the board's decision is
done and recorded), but ``live_revision`` and what readers see stay as they were: the previous
live revision, or for an article never approved the "pending review" page. The reviewers shown
and the public "reviewed on" date (the approval's date) also wait for go-live, since they
describe the text on the page.

The revision goes live through ``release_due_revisions``, run by the worker's periodic command
(``manage.py release_due_revisions``, a systemd timer in production), never by a reader's
request. A schedule goes live only if its revision is still the approved one when its time
comes (the article approved, that revision its newest); otherwise it lapses and is recorded so.
Every schedule, cancel, release and lapse is an append-only ``ScheduledRelease`` row.
"""

from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import policies
from articles.models import Article, Revision
from reviews.models import BoardMember, Review
from reviews.releases import ScheduledRelease
from reviews.services.transitions import TransitionRefused, _locked

Kind = ScheduledRelease.Kind


@dataclass(frozen=True)
class LiveState:
    """What readers saw before an approval that is held for a go-live time."""

    live_revision_id: int | None
    displayed_revision_id: int | None
    last_reviewed_at: object
    next_review_due: object

    @classmethod
    def of(cls, article: Article) -> "LiveState":
        return cls(
            article.live_revision_id,
            article.displayed_revision_id,
            article.last_reviewed_at,
            article.next_review_due,
        )


def go_live_checked(go_live_at, *, now=None):
    """A go-live time must be an aware datetime in the future."""
    if go_live_at is None:
        return None
    if timezone.is_naive(go_live_at):
        raise TransitionRefused(
            _("Give the go-live time with its time zone."), status=HTTPStatus.BAD_REQUEST
        )
    if go_live_at <= (now or timezone.now()):
        raise TransitionRefused(
            _(
                "The go-live time %(when)s has already passed: choose a later time, or leave it "
                "empty for the revision to go live on approval."
            )
            % {"when": go_live_at.strftime("%Y-%m-%d %H:%M UTC")},
            status=HTTPStatus.BAD_REQUEST,
        )
    return go_live_at


def pending_release(article: Article) -> ScheduledRelease | None:
    """The article's open schedule, if any (newest first)."""
    return (
        ScheduledRelease.objects.pending()
        .filter(article=article)
        .select_related("revision", "by")
        .first()
    )


def _awaiting_go_live(article: Article) -> Revision | None:
    """The approved revision that is not live yet, if the article is in that state."""
    if article.status != Article.Status.APPROVED:
        return None
    newest = article.revision_under_review()
    if newest is None or newest.pk == article.live_revision_id:
        return None
    return newest


def may_schedule(user, revision: Revision) -> bool:
    """Editors, and the board members who approved this revision, set its go-live time."""
    if policies.is_editor(user):
        return True
    member = policies.board_member_for(user)
    return (
        bool(member)
        and revision.reviews.filter(member=member, decision=Review.Decision.APPROVE).exists()
    )


def _close(schedule: ScheduledRelease, *, kind: str, by=None, note: str = "") -> ScheduledRelease:
    row = ScheduledRelease(
        article_id=schedule.article_id,
        revision_id=schedule.revision_id,
        kind=kind,
        closes=schedule,
        by=by,
        note=note[:300],
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as error:
        raise TransitionRefused(
            _("This go-live schedule was closed at the same moment; reload and look again.")
        ) from error
    return row


def _enqueue_release(go_live_at) -> None:
    """After the commit, queue a release run for the go-live time where the task backend can
    defer (the database worker); elsewhere the periodic command is what releases."""

    def enqueue():
        from reviews.tasks import release_due_send

        if release_due_send.get_backend().supports_defer:
            release_due_send.using(run_after=go_live_at).enqueue()

    transaction.on_commit(enqueue)


def release_hold(
    *, article: Article, revision: Revision, before: LiveState, user, go_live_at
) -> ScheduledRelease:
    """Called inside the approval's transaction, after the approve transition: keep what
    readers saw, and record the schedule."""
    article.live_revision_id = before.live_revision_id
    article.displayed_revision_id = before.displayed_revision_id
    article.last_reviewed_at = before.last_reviewed_at
    article.next_review_due = before.next_review_due
    article.save()
    schedule = ScheduledRelease(
        article=article, revision=revision, kind=Kind.SCHEDULED, go_live_at=go_live_at, by=user
    )
    schedule.save()
    _enqueue_release(go_live_at)
    return schedule


@transaction.atomic
def release_schedule(
    *, article: Article, user, go_live_at, revision_number: int | None = None, note: str = ""
) -> ScheduledRelease:
    """Set (or move) the go-live time of an approved revision that is not live yet.

    ``revision_number`` is the revision the person saw: a stale form is refused (409).
    """
    article = _locked(article)
    revision = _awaiting_go_live(article)
    if revision is None:
        raise TransitionRefused(
            _("There is no approved revision waiting to go live on this article.")
        )
    if revision_number is not None and int(revision_number) != revision.number:
        raise TransitionRefused(
            _(
                "You looked at revision %(seen)s, but the approved revision waiting to go live "
                "is revision %(number)s. Nothing was changed."
            )
            % {"seen": revision_number, "number": revision.number}
        )
    if not may_schedule(user, revision):
        raise TransitionRefused(
            _("Only editors and the members who approved this revision set its go-live time."),
            status=HTTPStatus.FORBIDDEN,
        )
    go_live_at = go_live_checked(go_live_at)
    current = pending_release(article)
    if current is not None:
        _close(current, kind=Kind.CANCELLED, by=user, note=_("Moved to a new go-live time."))
    schedule = ScheduledRelease(
        article=article,
        revision=revision,
        kind=Kind.SCHEDULED,
        go_live_at=go_live_at,
        by=user,
        note=note[:300],
    )
    schedule.save()
    _enqueue_release(go_live_at)
    return schedule


@transaction.atomic
def release_cancel(*, article: Article, user, note: str = "") -> ScheduledRelease:
    """Cancel the open schedule before its time: readers keep the previous revision.

    The revision stays approved; an editor or an approving member may schedule it again.
    """
    article = _locked(article)
    current = pending_release(article)
    if current is None:
        raise TransitionRefused(_("There is no go-live schedule to cancel on this article."))
    if not may_schedule(user, current.revision):
        raise TransitionRefused(
            _("Only editors and the members who approved this revision cancel its go-live."),
            status=HTTPStatus.FORBIDDEN,
        )
    return _close(current, kind=Kind.CANCELLED, by=user, note=note)


@transaction.atomic
def _release_one(schedule_pk: int, now) -> ScheduledRelease | None:
    schedule = ScheduledRelease.objects.select_related("revision").get(pk=schedule_pk)
    article = _locked(schedule.article)
    # Re-read under the article's lock: a cancel may have closed it meanwhile.
    if not ScheduledRelease.objects.due(now).filter(pk=schedule.pk).exists():
        return None
    if _awaiting_go_live(article) != schedule.revision:
        return _close(
            schedule,
            kind=Kind.LAPSED,
            note=_("Revision %(number)s was no longer the approved revision at its time.")
            % {"number": schedule.revision.number},
        )
    revision = schedule.revision
    # "Reviewed on" is when the board approved; the next review counts from that day too.
    approved_at = (
        revision.reviews.filter(decision=Review.Decision.APPROVE).aggregate(at=Max("created_at"))[
            "at"
        ]
        or now
    )
    article.live_revision = revision
    article.last_reviewed_at = approved_at
    article.next_review_due = approved_at + timedelta(days=settings.VETTED_REVIEW_INTERVAL_DAYS)
    article.sync_displayed_revision()
    article.save()
    article.reviewed_by.set(
        BoardMember.objects.filter(
            reviews__revision=revision, reviews__decision=Review.Decision.APPROVE
        ).distinct()
    )
    return _close(schedule, kind=Kind.RELEASED)


def release_due_revisions(*, now=None, limit: int = 500) -> list[ScheduledRelease]:
    """Put every due schedule live (or lapse it); one transaction per article.

    Run periodically by the worker; safe to run twice at once (a schedule closes only once).
    """
    now = now or timezone.now()
    due = list(
        ScheduledRelease.objects.due(now)
        .order_by("go_live_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    done = []
    for pk in due:
        try:
            row = _release_one(pk, now)
        except TransitionRefused:
            continue  # closed by a concurrent run
        if row is not None:
            done.append(row)
    return done
