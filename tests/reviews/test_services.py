"""Every transition three ways: allowed, refused by its guard (or state), refused by permission."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone
from django_fsm_log.models import StateLog

from articles.models import Article, Revision
from reviews.models import Review, ReviewAssignment
from reviews.services import (
    TransitionRefused,
    article_submit,
    article_withdraw,
)
from tests import factories
from tests.factories import record_on_latest, start_review_on_latest
from tests.reviews.helpers import approved, fresh, last_log

pytestmark = pytest.mark.django_db


# submit ------------------------------------------------------------------------------------


def test_submit_makes_revision_and_logs_author(draft, author):
    revision = article_submit(article=draft, user=author)
    article = fresh(draft)
    assert article.status == Article.Status.SUBMITTED
    assert revision.number == 1
    assert len(revision.content_hash) == 64
    log = last_log(article)
    assert (log.transition, log.source_state, log.state, log.by) == (
        "submit",
        "draft",
        "submitted",
        author,
    )


def test_submit_refused_when_content_incomplete(author):
    article = factories.ArticleFactory(authors=[author])
    with pytest.raises(TransitionRefused) as refused:
        article_submit(article=article, user=author)
    assert refused.value.status == HTTPStatus.CONFLICT
    assert [p.code for p in refused.value.problems] == ["no_sections"]
    assert fresh(article).status == Article.Status.DRAFT
    assert not Revision.objects.filter(article=article).exists()
    assert not StateLog.objects.for_(article).exists()


def test_submit_refused_for_uncited_statement(author):
    article = factories.article_with_evidence(authors=[author], references=[])
    with pytest.raises(TransitionRefused) as refused:
        article_submit(article=article, user=author)
    assert {p.code for p in refused.value.problems} == {"uncited"}
    assert all(p.statement_id for p in refused.value.problems)
    assert fresh(article).status == Article.Status.DRAFT


def test_submit_refused_for_someone_not_an_author(draft, board_member, editor):
    for user in (board_member.user, editor):
        with pytest.raises(TransitionRefused) as refused:
            article_submit(article=draft, user=user)
        assert refused.value.status == HTTPStatus.FORBIDDEN
    assert fresh(draft).status == Article.Status.DRAFT
    assert not Revision.objects.filter(article=draft).exists()


def test_submit_refused_in_wrong_state(submitted, author):
    with pytest.raises(TransitionRefused) as refused:
        article_submit(article=submitted, user=author)
    assert refused.value.status == HTTPStatus.CONFLICT
    assert submitted.revisions.count() == 1


# withdraw ----------------------------------------------------------------------------------


def test_withdraw_returns_submission_to_draft(submitted, author):
    article_withdraw(article=submitted, user=author)
    assert fresh(submitted).status == Article.Status.DRAFT


def test_withdraw_refused_once_under_review(under_review, author):
    with pytest.raises(TransitionRefused) as refused:
        article_withdraw(article=under_review, user=author)
    assert refused.value.status == HTTPStatus.CONFLICT
    assert fresh(under_review).status == Article.Status.UNDER_REVIEW


def test_withdraw_refused_for_non_author(submitted, board_member):
    with pytest.raises(TransitionRefused) as refused:
        article_withdraw(article=submitted, user=board_member.user)
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert fresh(submitted).status == Article.Status.SUBMITTED


# start_review ------------------------------------------------------------------------------


def test_start_review_records_assignment(submitted, board_member):
    start_review_on_latest(article=submitted, user=board_member.user)
    article = fresh(submitted)
    assert article.status == Article.Status.UNDER_REVIEW
    assignment = ReviewAssignment.objects.get(article=article)
    assert assignment.member == board_member
    assert assignment.revision == article.revision_under_review()
    assert last_log(article).by == board_member.user


def test_start_review_refused_on_draft(draft, board_member):
    with pytest.raises(TransitionRefused) as refused:
        start_review_on_latest(article=draft, user=board_member.user)
    assert refused.value.status == HTTPStatus.CONFLICT
    assert fresh(draft).status == Article.Status.DRAFT


def test_start_review_refused_for_author_who_is_board_member(roles):
    member = factories.BoardMemberFactory()
    member.user.groups.add(roles["Authors"])
    article = factories.article_with_evidence(authors=[member.user])
    article_submit(article=article, user=member.user)
    with pytest.raises(TransitionRefused) as refused:
        start_review_on_latest(article=article, user=member.user)
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert fresh(article).status == Article.Status.SUBMITTED
    assert not ReviewAssignment.objects.exists()


def test_start_review_refused_for_conflicted_member(submitted, board_member):
    board_member.conflicts.add(submitted.topic)
    with pytest.raises(TransitionRefused) as refused:
        start_review_on_latest(article=submitted, user=board_member.user)
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert fresh(submitted).status == Article.Status.SUBMITTED


def test_start_review_refused_for_editor(submitted, editor):
    with pytest.raises(TransitionRefused) as refused:
        start_review_on_latest(article=submitted, user=editor)
    assert refused.value.status == HTTPStatus.FORBIDDEN


# approve -----------------------------------------------------------------------------------


def test_approve_makes_revision_live(under_review, board_member):
    before = timezone.now()
    review = record_on_latest(
        article=under_review, user=board_member.user, decision="approve", comment="Sound."
    )
    article = fresh(under_review)
    assert article.status == Article.Status.APPROVED
    assert article.live_revision == review.revision
    assert article.last_reviewed_at >= before
    assert article.next_review_due - article.last_reviewed_at == timedelta(days=365)
    assert list(article.reviewed_by.all()) == [board_member]
    log = last_log(article)
    assert (log.transition, log.by, log.description) == ("approve", board_member.user, "Sound.")


def test_approve_interval_follows_setting(under_review, board_member, settings):
    settings.VETTED_REVIEW_INTERVAL_DAYS = 30
    article = approved(under_review, board_member)
    assert article.next_review_due - article.last_reviewed_at == timedelta(days=30)


def test_approve_waits_for_quorum(under_review, board_member, other_board_member, settings):
    settings.VETTED_APPROVALS_REQUIRED = 2
    record_on_latest(article=under_review, user=board_member.user, decision="approve")
    article = fresh(under_review)
    assert article.status == Article.Status.UNDER_REVIEW
    assert article.live_revision is None
    record_on_latest(article=under_review, user=other_board_member.user, decision="approve")
    article = fresh(under_review)
    assert article.status == Article.Status.APPROVED
    assert set(article.reviewed_by.all()) == {board_member, other_board_member}
    assert StateLog.objects.for_(article).filter(transition="approve").count() == 1


def test_approve_same_member_twice_does_not_count(under_review, board_member, settings):
    settings.VETTED_APPROVALS_REQUIRED = 2
    record_on_latest(article=under_review, user=board_member.user, decision="approve")
    with pytest.raises(TransitionRefused) as refused:
        record_on_latest(article=under_review, user=board_member.user, decision="approve")
    assert "already" in refused.value.message
    assert Review.objects.count() == 1
    assert fresh(under_review).status == Article.Status.UNDER_REVIEW


def test_approve_refused_while_only_submitted(submitted, board_member):
    with pytest.raises(TransitionRefused) as refused:
        record_on_latest(article=submitted, user=board_member.user, decision="approve")
    assert refused.value.status == HTTPStatus.CONFLICT
    assert not Review.objects.exists()


def test_approve_refused_for_article_author(roles, board_member):
    author_member = factories.BoardMemberFactory()
    author_member.user.groups.add(roles["Authors"])
    article = factories.article_with_evidence(authors=[author_member.user])
    article_submit(article=article, user=author_member.user)
    start_review_on_latest(article=article, user=board_member.user)
    with pytest.raises(TransitionRefused) as refused:
        record_on_latest(article=article, user=author_member.user, decision="approve")
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert not Review.objects.exists()
    assert fresh(article).status == Article.Status.UNDER_REVIEW


def test_approve_refused_for_conflicted_member(under_review, other_board_member):
    other_board_member.conflicts.add(under_review.topic)
    with pytest.raises(TransitionRefused) as refused:
        record_on_latest(article=under_review, user=other_board_member.user, decision="approve")
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert not Review.objects.exists()


def test_approve_refused_for_inactive_board_member(under_review, other_board_member):
    other_board_member.is_active = False
    other_board_member.save()
    with pytest.raises(TransitionRefused):
        record_on_latest(article=under_review, user=other_board_member.user, decision="approve")
    assert not Review.objects.exists()


# request_changes / reject -----------------------------------------------------------------


def test_request_changes_with_comment(under_review, board_member, author):
    record_on_latest(
        article=under_review,
        user=board_member.user,
        decision="request_changes",
        comment="Cite the 2021 guideline.",
    )
    article = fresh(under_review)
    assert article.status == Article.Status.CHANGES_REQUESTED
    assert last_log(article).description == "Cite the 2021 guideline."
    # The authors can edit and submit again.
    article_submit(article=article, user=author)
    assert fresh(article).revisions.count() == 2


@pytest.mark.parametrize("comment", ["", "   "])
def test_request_changes_refused_without_comment(under_review, board_member, comment):
    with pytest.raises(TransitionRefused) as refused:
        record_on_latest(
            article=under_review,
            user=board_member.user,
            decision="request_changes",
            comment=comment,
        )
    assert "comment" in refused.value.message
    assert not Review.objects.exists()
    assert fresh(under_review).status == Article.Status.UNDER_REVIEW


def test_request_changes_refused_for_author(under_review, author):
    with pytest.raises(TransitionRefused) as refused:
        record_on_latest(
            article=under_review,
            user=author,
            decision="request_changes",
            comment="Looks fine to me.",
        )
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert not Review.objects.exists()


def test_reject_with_reason(under_review, board_member):
    record_on_latest(
        article=under_review,
        user=board_member.user,
        decision="reject",
        comment="The evidence does not support the answer.",
    )
    assert fresh(under_review).status == Article.Status.REJECTED


def test_reject_refused_without_reason(under_review, board_member):
    with pytest.raises(TransitionRefused) as refused:
        record_on_latest(article=under_review, user=board_member.user, decision="reject")
    assert "reason" in refused.value.message
    assert not Review.objects.exists()
    assert fresh(under_review).status == Article.Status.UNDER_REVIEW


def test_reject_refused_for_editor(under_review, editor):
    with pytest.raises(TransitionRefused) as refused:
        record_on_latest(article=under_review, user=editor, decision="reject", comment="No.")
    assert refused.value.status == HTTPStatus.FORBIDDEN


def test_review_record_refuses_unknown_decision(under_review, board_member):
    with pytest.raises(TransitionRefused):
        record_on_latest(article=under_review, user=board_member.user, decision="maybe")
    assert not Review.objects.exists()
