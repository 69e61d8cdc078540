"""Assignments through the service: who may assign whom, on what, by when; the notice."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from reviews.models import AssignmentReminder, ReviewAssignment
from reviews.services import article_request_rereview, article_submit
from reviews.services.assignments import (
    AssignmentRefused,
    assignment_create,
    assignment_withdraw,
)
from tests import factories
from tests.factories import record_on_latest


@pytest.fixture
def submitted(author):
    article = factories.article_with_evidence(authors=[author], title="Do cramps mean dehydration?")
    article_submit(article=article, user=author)
    return Article.objects.get(pk=article.pk)


def due(days=3):
    return timezone.now() + timedelta(days=days)


def assign(article, members, *, user, days=3, **kwargs):
    return assignment_create(
        article=article, members=members, due_at=due(days), user=user, **kwargs
    )


def test_editor_assigns_several_members_bound_to_the_revision(
    submitted,
    editor,
    board_member,
    other_board_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        made = assign(submitted, [board_member, other_board_member], user=editor, revision_number=1)
    revision = submitted.revision_under_review()
    assert {a.member for a in made} == {board_member, other_board_member}
    assert all(a.revision == revision and a.assigned_by == editor for a in made)
    assert all(a.due_at > timezone.now() for a in made)
    # One email each, to the assignee only, naming the article and the due date.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [board_member.user.email, other_board_member.user.email]
    )
    message = mailoutbox[0]
    assert "Do cramps mean dehydration?" in message.subject
    assert f"{timezone.localtime(made[0].due_at):%Y-%m-%d}" in message.subject
    assert "revision 1" in message.body.lower()
    # The notice is a recorded fact.
    assert AssignmentReminder.objects.filter(kind="assigned").count() == 2


def test_no_email_when_the_transaction_rolls_back(submitted, editor, board_member, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        assign(submitted, [board_member], user=editor)
        raise RuntimeError
    assert mailoutbox == []
    assert not ReviewAssignment.objects.exists()


def test_assigning_again_is_idempotent_and_can_move_the_due_date(
    submitted, editor, board_member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = assign(submitted, [board_member], user=editor, days=3)[0]
        again = assign(submitted, [board_member, board_member], user=editor, days=3)[0]
        moved = assign(submitted, [board_member], user=editor, days=5)[0]
    assert first.pk == again.pk == moved.pk
    assert ReviewAssignment.objects.count() == 1
    assert ReviewAssignment.objects.get().due_at == moved.due_at
    assert moved.due_at - first.due_at > timedelta(days=1)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("who", ["author", "board_member", "anonymous"])
def test_only_editors_assign(submitted, who, author, board_member, other_board_member):
    from django.contrib.auth.models import AnonymousUser

    user = {"author": author, "board_member": board_member.user, "anonymous": AnonymousUser()}[who]
    with pytest.raises(AssignmentRefused) as refused:
        assign(submitted, [other_board_member], user=user)
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert not ReviewAssignment.objects.exists()


@pytest.mark.parametrize("status", ["draft", "approved"])
def test_only_articles_in_the_boards_hands(status, author, editor, board_member):
    article = factories.article_with_evidence(authors=[author])
    if status == "approved":
        article = factories.article_publish(article)
    with pytest.raises(AssignmentRefused, match="only submitted articles"):
        assign(article, [board_member], user=editor)
    # (The publishing walk's own start-review assignment has no due date.)
    assert not ReviewAssignment.objects.filter(article=article, due_at__isnull=False).exists()


def test_an_author_who_sits_on_the_board_is_refused(editor, roles):
    member = factories.BoardMemberFactory()
    member.user.groups.add(roles["Authors"])
    article = factories.article_with_evidence(authors=[member.user])
    article_submit(article=article, user=member.user)
    with pytest.raises(AssignmentRefused) as refused:
        assign(article, [member], user=editor)
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert "is an author of this article" in refused.value.message
    assert not ReviewAssignment.objects.exists()


def test_a_conflicted_member_is_refused_and_nobody_else_is_assigned(
    submitted, editor, board_member, other_board_member, mailoutbox
):
    other_board_member.conflicts.add(submitted.topic)
    with pytest.raises(AssignmentRefused) as refused:
        assign(submitted, [board_member, other_board_member], user=editor)
    assert "conflict of interest" in refused.value.message
    assert str(other_board_member) in refused.value.message
    assert not ReviewAssignment.objects.exists()  # all or nothing
    assert mailoutbox == []


def test_a_contributor_to_the_revision_is_refused(editor, author, board_member):
    article = factories.article_with_evidence(authors=[author])
    article.contributors.add(board_member.user)
    article_submit(article=article, user=author)
    revision = Article.objects.get(pk=article.pk).revision_under_review()
    assert revision.was_written_by(board_member.user)
    with pytest.raises(AssignmentRefused, match="wrote or edited revision 1"):
        assign(article, [board_member], user=editor)


@pytest.mark.parametrize("inactive", ["member", "user"])
def test_an_inactive_member_is_refused(submitted, editor, board_member, inactive):
    if inactive == "member":
        board_member.is_active = False
        board_member.save()
    else:
        board_member.user.is_active = False
        board_member.user.save()
    with pytest.raises(AssignmentRefused, match="not an active member"):
        assign(submitted, [board_member], user=editor)


@pytest.mark.parametrize("delta", [timedelta(seconds=-1), timedelta(0), timedelta(days=-3)])
def test_a_due_date_not_in_the_future_is_refused(submitted, editor, board_member, delta):
    with pytest.raises(AssignmentRefused, match="already passed"):
        assignment_create(
            article=submitted, members=[board_member], due_at=timezone.now() + delta, user=editor
        )
    assert not ReviewAssignment.objects.exists()


def test_no_members_or_no_due_date_is_refused(submitted, editor, board_member):
    with pytest.raises(AssignmentRefused, match="at least one"):
        assign(submitted, [], user=editor)
    with pytest.raises(AssignmentRefused, match="due date"):
        assignment_create(article=submitted, members=[board_member], due_at=None, user=editor)


def test_a_form_for_an_older_revision_is_refused_as_stale(editor, author, board_member):
    article = factories.article_publish(factories.article_with_evidence(authors=[author]))
    article_request_rereview(article=article, user=None, by_system=True, comment="Yearly.")
    article = Article.objects.get(pk=article.pk)
    assert article.revision_under_review().number == 2
    with pytest.raises(AssignmentRefused, match="now at revision 2"):
        assign(article, [board_member], user=editor, revision_number=1)
    # (The publishing walk's own start-review assignment has no due date.)
    assert not ReviewAssignment.objects.filter(article=article, due_at__isnull=False).exists()
    made = assign(article, [board_member], user=editor, revision_number=2)[0]
    assert made.revision.number == 2


def test_the_model_refuses_a_forbidden_assignment_from_the_shell(submitted, board_member, author):
    board_member.conflicts.add(submitted.topic)
    with pytest.raises(ValidationError, match="conflict of interest"):
        ReviewAssignment.objects.create(
            article=submitted,
            revision=submitted.revision_under_review(),
            member=board_member,
            due_at=due(),
        )
    other = factories.article_with_evidence(authors=[author])
    article_submit(article=other, user=author)
    with pytest.raises(ValidationError, match="another article"):
        ReviewAssignment.objects.create(
            article=other,
            revision=submitted.revision_under_review(),
            member=factories.BoardMemberFactory(),
        )
    assert not ReviewAssignment.objects.exists()


def test_the_database_refuses_a_due_date_before_the_assignment(submitted, board_member):
    assignment = ReviewAssignment.objects.create(
        article=submitted, revision=submitted.revision_under_review(), member=board_member
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewAssignment.objects.filter(pk=assignment.pk).update(
            due_at=assignment.created_at - timedelta(seconds=1)
        )


def test_withdraw_keeps_the_row_and_allows_a_new_assignment(submitted, editor, board_member):
    first = assign(submitted, [board_member], user=editor)[0]
    withdrawn = assignment_withdraw(assignment=first, user=editor)
    first.refresh_from_db()
    assert first.withdrawn_at is not None and first.withdrawn_by == editor
    assert withdrawn.pk == first.pk
    assert not ReviewAssignment.objects.open().exists()
    with pytest.raises(AssignmentRefused, match="already withdrawn"):
        assignment_withdraw(assignment=first, user=editor)
    again = assign(submitted, [board_member], user=editor)[0]
    assert again.pk != first.pk
    assert ReviewAssignment.objects.count() == 2


def test_withdraw_rules(submitted, editor, board_member):
    made = assign(submitted, [board_member], user=editor)[0]
    with pytest.raises(AssignmentRefused) as refused:
        assignment_withdraw(assignment=made, user=board_member.user)
    assert refused.value.status == HTTPStatus.FORBIDDEN
    factories.start_review_on_latest(article=submitted, user=board_member.user)
    record_on_latest(
        article=submitted, user=board_member.user, decision="request_changes", comment="Cite it."
    )
    with pytest.raises(AssignmentRefused, match="already decided"):
        assignment_withdraw(assignment=made, user=editor)


def test_an_assignment_is_open_until_decided_or_superseded(submitted, editor, board_member):
    made = assign(submitted, [board_member], user=editor)[0]
    assert list(ReviewAssignment.objects.open()) == [made]
    # Starting review reuses the assignment rather than adding one.
    factories.start_review_on_latest(article=submitted, user=board_member.user)
    assert ReviewAssignment.objects.count() == 1
    record_on_latest(article=submitted, user=board_member.user, decision="approve")
    assert not ReviewAssignment.objects.open().exists()
