"""The review workflow's transitions: every one goes through here.

Each service locks the article row, checks the state (409), then the user (403, asking
articles.policies through the transition's permission), runs the model's transition (which
the post_transition audit log records with the user and comment), points the article at the
revision readers should now see, saves, and queues its notifications for after the commit.
Board decisions, which must name the revision they were made on, are in decisions.py.
"""

from http import HTTPStatus

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from articles import policies
from articles.completeness import SubmissionProblem, submission_problems
from articles.models import Article, Revision
from articles.services import revision_create
from reviews.models import Review
from reviews.notifications import notify_on_commit

DECISION_TRANSITIONS = {
    Review.Decision.APPROVE: "approve",
    Review.Decision.REQUEST_CHANGES: "request_changes",
    Review.Decision.REJECT: "reject",
}

SYSTEM_TRANSITIONS = {"request_rereview"}
# The board's decisions: each is made on a named revision.
DECISION_NAMES = frozenset({"start_review", *DECISION_TRANSITIONS.values()})

TRANSITION_NAMES = (
    "submit",
    "withdraw",
    "start_review",
    "approve",
    "request_changes",
    "reject",
    "revise",
    "request_rereview",
    "archive",
    "restore",
)


class TransitionRefused(Exception):
    """A transition the state, the guard or the user does not allow; nothing was changed."""

    def __init__(
        self,
        message: str,
        *,
        status: int = HTTPStatus.CONFLICT,
        problems: list[SubmissionProblem] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.problems = list(problems or [])

    def __str__(self) -> str:
        return self.message


def _locked(article: Article) -> Article:
    """A fresh copy of the article, its row locked until the transaction ends."""
    try:
        return Article.objects.select_for_update().select_related("topic").get(pk=article.pk)
    except Article.DoesNotExist as error:
        raise TransitionRefused(
            _("This article no longer exists."), status=HTTPStatus.NOT_FOUND
        ) from error


def _transition_method(article: Article, name: str):
    if name not in TRANSITION_NAMES:
        raise TransitionRefused(_("There is no “%(name)s” step.") % {"name": name})
    return getattr(article, name)


def _label(article: Article, name: str) -> str:
    method = getattr(article, name)
    transitions = method._django_fsm.transitions
    first = next(iter(transitions.values())) if isinstance(transitions, dict) else transitions[0]
    return str(first.custom.get("label") or name)


def transition_allowed_for(*, article: Article, name: str, user) -> bool:
    """Whether this user may run this transition from the article's current state."""
    method = _transition_method(article, name)
    if not can_proceed(method, check_conditions=False):
        return False
    meta = method._django_fsm
    transition = meta.get_transition(meta.field.get_state(article))
    return transition is not None and transition.has_perm(article, user)


def refusal_reason(*, article: Article, name: str, user) -> str:
    """Which rule keeps this user from this step, in words a person can act on."""
    if name in DECISION_NAMES:
        reason = policies.decision_refusal(user, article)
        if reason:
            return reason
    if name in ("submit", "withdraw"):
        return _("Only the article's authors may do this.")
    if name == "revise":
        return _("Only the article's authors or an editor may open a new working copy.")
    if name in ("request_rereview", "archive", "restore"):
        return _("Only editors may do this.")
    return _("You may not take this step.")


def transition_label(article: Article, name: str) -> str:
    """The step's label as people read it, e.g. “Request changes”."""
    _transition_method(article, name)  # refuses an unknown step name
    return _label(article, name)


def transition_refusal(*, article: Article, name: str, user) -> "TransitionRefused | None":
    """Why this user cannot take this step from the article's current state; None if they can."""
    try:
        _check(article, name, user, check_conditions=False)
    except TransitionRefused as refusal:
        return refusal
    return None


def _check(
    article: Article,
    name: str,
    user,
    *,
    check_conditions: bool = True,
    check_user: bool = True,
    by_system: bool = False,
) -> None:
    """Refuse with 409 for the wrong state and 403 for the wrong user, in that order."""
    method = _transition_method(article, name)
    label = _label(article, name)
    if not can_proceed(method, check_conditions=False):
        raise TransitionRefused(
            _("“%(label)s” is not possible while the article is %(status)s.")
            % {"label": label, "status": article.get_status_display().lower()},
        )
    # Only the periodic re-review runs without a person behind it, and only when the caller
    # says so explicitly: a missing user is never taken for the system.
    system_run = by_system and user is None and name in SYSTEM_TRANSITIONS
    if (
        check_user
        and not system_run
        and not transition_allowed_for(article=article, name=name, user=user)
    ):
        raise TransitionRefused(
            _("You may not “%(label)s” this article: %(reason)s")
            % {"label": label, "reason": refusal_reason(article=article, name=name, user=user)},
            status=HTTPStatus.FORBIDDEN,
        )
    if check_conditions and not can_proceed(method):
        raise TransitionRefused(
            _("“%(label)s” is not possible yet: its condition is not met.") % {"label": label}
        )


def _run(
    article: Article, name: str, user, comment: str, *, latest: Revision | None = None
) -> Article:
    """Call the transition with the audit details and save; a lost race becomes a 409."""
    by = user if user is not None and user.is_authenticated else None
    try:
        getattr(article, name)(by=by, description=comment or None)
        article.sync_displayed_revision(latest)
        article.save()
    except (TransitionNotAllowed, ConcurrentTransition) as error:
        raise TransitionRefused(
            _("Someone else changed this article at the same moment; reload and try again.")
        ) from error
    return article


def article_transition(
    *,
    article: Article,
    name: str,
    user,
    comment: str = "",
    revision_number: int | None = None,
    content_hash: str = "",
    grades: dict | None = None,
    go_live_at=None,
) -> Article:
    """Run one named transition for a user; the workflow's single generic entry point.

    Board decisions (start review, approve, request changes, reject) must name the revision
    the member read, by number and content hash.
    """
    from reviews.services.decisions import article_start_review, review_record

    if name in DECISION_NAMES and revision_number is None:
        raise TransitionRefused(
            _("A decision must name the revision it was made on; reload the article."),
            status=HTTPStatus.BAD_REQUEST,
        )
    seen = {"revision_number": revision_number, "content_hash": content_hash}
    services = {
        "submit": lambda: article_submit(article=article, user=user).article,
        "withdraw": lambda: article_withdraw(article=article, user=user),
        "start_review": lambda: article_start_review(article=article, user=user, **seen),
        "revise": lambda: article_revise(article=article, user=user),
        "request_rereview": lambda: (
            article_request_rereview(article=article, user=user, comment=comment).article
        ),
        "archive": lambda: article_archive(article=article, user=user, comment=comment),
        "restore": lambda: article_restore(article=article, user=user, comment=comment),
    }
    for decision, transition_name in DECISION_TRANSITIONS.items():
        services[transition_name] = lambda decision=decision: (
            review_record(
                article=article,
                user=user,
                decision=decision,
                comment=comment,
                grades=grades,
                go_live_at=go_live_at if decision == Review.Decision.APPROVE else None,
                **seen,
            ).revision.article
        )
    if name not in services:
        raise TransitionRefused(_("There is no “%(name)s” step.") % {"name": name})
    return services[name]()


@transaction.atomic
def _simple_transition(
    *, article: Article, name: str, user, comment: str = "", event: str | None = None
) -> Article:
    article = _locked(article)
    _check(article, name, user)
    _run(article, name, user, comment)
    if event:
        notify_on_commit(event=event, article=article, comment=comment, actor=user)
    return article


@transaction.atomic
def article_submit(
    *,
    article: Article,
    user,
    change_summary: str = "",
    corrects_error: bool = False,
    correction_note: str = "",
) -> Revision:
    """Send a complete working copy to the board, frozen as a new revision.

    ``change_summary`` is the author's reader-facing note of what changed, kept with the
    revision (at INSERT: revisions are append-only). ``corrects_error`` flags the revision as
    a correction of the live text; it needs ``correction_note``, what was corrected.
    """
    article = _locked(article)
    _check(article, "submit", user, check_conditions=False)
    if corrects_error and not article.live_revision_id:
        raise TransitionRefused(
            _("Nothing is live yet, so there is no error to correct: submit without the flag."),
            status=HTTPStatus.BAD_REQUEST,
        )
    if corrects_error and not (correction_note or "").strip():
        raise TransitionRefused(
            _("Say what error this revision corrects; readers see the note."),
            status=HTTPStatus.BAD_REQUEST,
        )
    problems = submission_problems(article)
    if problems:
        raise TransitionRefused(_("The article is not ready for review yet."), problems=problems)
    revision = revision_create(
        article=article,
        created_by=user,
        change_summary=change_summary,
        corrects_error=corrects_error,
        correction_note=correction_note,
    )
    _run(article, "submit", user, "", latest=revision)
    notify_on_commit(event="submitted", article=article, actor=user)
    return revision


def article_withdraw(*, article: Article, user) -> Article:
    """Take a submission back to draft."""
    return _simple_transition(article=article, name="withdraw", user=user)


def article_revise(*, article: Article, user) -> Article:
    """Open a new working copy of an approved or rejected article; the live revision stays."""
    return _simple_transition(article=article, name="revise", user=user)


@transaction.atomic
def article_request_rereview(
    *, article: Article, user=None, comment: str = "", by_system: bool = False
) -> Revision:
    """Send an approved article back to the board as a new revision.

    ``by_system=True`` (with no user) is the periodic overdue scan; everyone else is checked.
    """
    article = _locked(article)
    _check(article, "request_rereview", user, by_system=by_system)
    revision = revision_create(article=article, created_by=user)
    _run(article, "request_rereview", user, comment, latest=revision)
    notify_on_commit(event="submitted", article=article, comment=comment, actor=user)
    return revision


def article_archive(*, article: Article, user, comment: str = "") -> Article:
    """Take an article off the site; its address answers 410 Gone."""
    return _simple_transition(article=article, name="archive", user=user, comment=comment)


def article_restore(*, article: Article, user, comment: str = "") -> Article:
    """Bring an archived article back as a draft."""
    return _simple_transition(article=article, name="restore", user=user, comment=comment)
