"""Editors assign board members to the revision under review, with a due date.

Every door (the admin's add form, the changelist's bulk action, the article page, the shell)
calls these functions, so the rules hold everywhere:

- only editors assign and withdraw (``articles.policies.is_editor``);
- only an article in the board's hands (submitted or under review) is assigned, and the
  assignment is bound to its revision under review; a form that names an older revision is
  refused as stale;
- a member who may not decide on that revision is refused for the same reasons the decision
  itself would be (``articles.policies.decision_refusal``: authorship, having written or edited
  the revision, a declared conflict, an inactive member);
- the due date lies in the future;
- assigning an already assigned member is idempotent: the existing assignment is returned,
  with its due date moved if the editor gave another one.

One call assigns one or many members to one article, all or nothing. Each new assignee is
emailed once the transaction commits.
"""

import logging
from collections.abc import Iterable
from datetime import datetime
from http import HTTPStatus

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import policies
from articles.models import Article, Revision
from reviews.models import AssignmentReminder, BoardMember, ReviewAssignment
from reviews.notifications import assignment_notify_on_commit
from reviews.services.transitions import TransitionRefused, _locked

logger = logging.getLogger("vetted.assignments")


class AssignmentRefused(TransitionRefused):
    """An assignment the rules do not allow; nothing was saved."""


def member_refusal(member: BoardMember, article: Article, revision: Revision) -> str | None:
    """Why ``member`` may not be assigned to ``revision``; None if they may.

    The gate is the decision rule itself; the wording names the member for the editor.
    """
    user = member.user
    if policies.decision_refusal(user, article, revision) is None:
        return None
    name = member.display_name
    if policies.board_member_for(user) is None:
        return _("%(name)s is not an active member of the board.") % {"name": name}
    if policies.is_author_of(user, article):
        return _("%(name)s is an author of this article.") % {"name": name}
    if revision.was_written_by(user):
        return _("%(name)s wrote or edited revision %(number)s.") % {
            "name": name,
            "number": revision.number,
        }
    if member.has_conflict_with(article.topic):
        return _("%(name)s declared a conflict of interest with the topic “%(topic)s”.") % {
            "name": name,
            "topic": article.topic,
        }
    return _("%(name)s may not decide on this article.") % {"name": name}


def _revision_to_assign(article: Article, revision_number) -> Revision:
    if article.status not in policies.IN_BOARD_HANDS:
        raise AssignmentRefused(
            _(
                "“%(title)s” is %(status)s: only submitted articles and articles under review "
                "are assigned."
            )
            % {"title": article.title, "status": article.get_status_display().lower()}
        )
    revision = article.revision_under_review()
    if revision is None:
        raise AssignmentRefused(
            _("“%(title)s” has no revision to review.") % {"title": article.title}
        )
    if revision_number is not None and str(revision_number) != str(revision.number):
        raise AssignmentRefused(
            _(
                "The form was for revision %(seen)s of “%(title)s”, but it is now at revision "
                "%(number)s. Nothing was assigned: reload the page and assign again."
            )
            % {"seen": revision_number, "title": article.title, "number": revision.number}
        )
    return revision


def _check_due(due_at: datetime | None) -> datetime:
    if due_at is None:
        raise AssignmentRefused(_("Give the assignment a due date."), status=HTTPStatus.BAD_REQUEST)
    if timezone.is_naive(due_at):
        due_at = timezone.make_aware(due_at)
    if due_at <= timezone.now():
        raise AssignmentRefused(
            _("The due date %(due)s has already passed.") % {"due": f"{due_at:%Y-%m-%d %H:%M}"},
            status=HTTPStatus.BAD_REQUEST,
        )
    return due_at


@transaction.atomic
def assignment_create(
    *,
    article: Article,
    members: Iterable[BoardMember],
    due_at: datetime,
    user,
    revision_number: int | str | None = None,
) -> list[ReviewAssignment]:
    """Assign ``members`` to the article's revision under review, due at ``due_at``.

    ``revision_number`` is the revision the editor's form was made for; give it from every
    form so an article that moved on meanwhile is refused rather than assigned blindly.
    """
    if not policies.is_editor(user):
        raise AssignmentRefused(
            _("Only editors assign board members."), status=HTTPStatus.FORBIDDEN
        )
    members = list(dict.fromkeys(members))
    if not members:
        raise AssignmentRefused(
            _("Choose at least one board member."), status=HTTPStatus.BAD_REQUEST
        )
    due_at = _check_due(due_at)
    article = _locked(article)
    revision = _revision_to_assign(article, revision_number)
    members = list(
        BoardMember.objects.select_related("user")
        .prefetch_related("conflicts")
        .filter(pk__in=[member.pk for member in members])
    )
    problems = [
        problem
        for problem in (member_refusal(member, article, revision) for member in members)
        if problem
    ]
    if problems:
        raise AssignmentRefused(
            _("Nothing was assigned on “%(title)s”: %(problems)s")
            % {"title": article.title, "problems": " ".join(problems)},
            status=HTTPStatus.FORBIDDEN,
        )
    existing = {
        assignment.member_id: assignment
        for assignment in ReviewAssignment.objects.current().filter(
            article=article, revision=revision, member__in=members
        )
    }
    assignments = []
    for member in members:
        assignment = existing.get(member.pk)
        if assignment is None:
            assignment = ReviewAssignment.objects.create(
                article=article, revision=revision, member=member, due_at=due_at, assigned_by=user
            )
            AssignmentReminder.objects.create(
                assignment=assignment,
                kind=AssignmentReminder.Kind.ASSIGNED,
                day=timezone.localdate(),
            )
            assignment_notify_on_commit(
                assignment=assignment, kind=AssignmentReminder.Kind.ASSIGNED
            )
            logger.info(
                "assignment created: article=%s revision=%s member=%s due=%s by=%s",
                article.pk,
                revision.number,
                member.pk,
                due_at.isoformat(),
                user.pk,
            )
        elif assignment.due_at != due_at:
            ReviewAssignment.objects.filter(pk=assignment.pk).update(due_at=due_at)
            logger.info(
                "assignment rescheduled: id=%s from=%s to=%s by=%s",
                assignment.pk,
                assignment.due_at.isoformat() if assignment.due_at else None,
                due_at.isoformat(),
                user.pk,
            )
            assignment.due_at = due_at
        assignments.append(assignment)
    return assignments


@transaction.atomic
def assignment_withdraw(*, assignment: ReviewAssignment, user) -> ReviewAssignment:
    """An editor takes an assignment back. The row stays, with who withdrew it and when."""
    if not policies.is_editor(user):
        raise AssignmentRefused(
            _("Only editors withdraw assignments."), status=HTTPStatus.FORBIDDEN
        )
    locked = ReviewAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if locked is None:
        raise AssignmentRefused(_("This assignment no longer exists."), status=HTTPStatus.NOT_FOUND)
    if locked.withdrawn_at is not None:
        raise AssignmentRefused(_("This assignment was already withdrawn."))
    if locked.revision_id and locked.revision.reviews.filter(member_id=locked.member_id).exists():
        raise AssignmentRefused(_("The member has already decided; the assignment is done."))
    now = timezone.now()
    ReviewAssignment.objects.filter(pk=locked.pk).update(withdrawn_at=now, withdrawn_by=user)
    locked.withdrawn_at, locked.withdrawn_by = now, user
    logger.info(
        "assignment withdrawn: id=%s article=%s member=%s by=%s",
        locked.pk,
        locked.article_id,
        locked.member_id,
        user.pk,
    )
    return locked
