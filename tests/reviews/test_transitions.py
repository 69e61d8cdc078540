"""Workflow transitions after the board's decisions: revise, re-review, archive, restore."""

from http import HTTPStatus

import pytest
from django_fsm_log.models import StateLog

from articles.models import Article
from reviews.models import Review
from reviews.services import (
    TransitionRefused,
    article_archive,
    article_request_rereview,
    article_restore,
    article_revise,
    article_submit,
    article_transition,
)
from tests import factories
from tests.factories import record_on_latest
from tests.reviews.helpers import approved, fresh, last_log

pytestmark = pytest.mark.django_db


# revise ------------------------------------------------------------------------------------


def test_revise_keeps_live_revision(under_review, board_member, author):
    article = approved(under_review, board_member)
    live = article.live_revision
    article_revise(article=article, user=author)
    article = fresh(article)
    assert article.status == Article.Status.DRAFT
    assert article.live_revision == live


def test_revise_allowed_for_editor_after_rejection(under_review, board_member, editor):
    record_on_latest(
        article=under_review, user=board_member.user, decision="reject", comment="Not supported."
    )
    article_revise(article=under_review, user=editor)
    assert fresh(under_review).status == Article.Status.DRAFT


def test_revise_refused_while_under_review(under_review, author):
    with pytest.raises(TransitionRefused) as refused:
        article_revise(article=under_review, user=author)
    assert refused.value.status == HTTPStatus.CONFLICT


def test_revise_refused_for_board_member(under_review, board_member, other_board_member):
    article = approved(under_review, board_member)
    with pytest.raises(TransitionRefused) as refused:
        article_revise(article=article, user=other_board_member.user)
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert fresh(article).status == Article.Status.APPROVED


# request_rereview --------------------------------------------------------------------------


def test_request_rereview_makes_new_revision(under_review, board_member, editor):
    article = approved(under_review, board_member)
    live = article.live_revision
    revision = article_request_rereview(article=article, user=editor, comment="Yearly check.")
    article = fresh(article)
    assert article.status == Article.Status.SUBMITTED
    assert revision.number == live.number + 1
    assert article.live_revision == live
    assert last_log(article).description == "Yearly check."


def test_request_rereview_refused_unless_approved(submitted, editor):
    with pytest.raises(TransitionRefused) as refused:
        article_request_rereview(article=submitted, user=editor)
    assert refused.value.status == HTTPStatus.CONFLICT
    assert submitted.revisions.count() == 1


def test_request_rereview_refused_for_author(under_review, board_member, author):
    article = approved(under_review, board_member)
    with pytest.raises(TransitionRefused) as refused:
        article_request_rereview(article=article, user=author)
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert fresh(article).revisions.count() == 1


# archive / restore -------------------------------------------------------------------------


def test_archive_and_restore(under_review, editor):
    article_archive(article=under_review, user=editor)
    assert fresh(under_review).status == Article.Status.ARCHIVED
    article_restore(article=under_review, user=editor)
    assert fresh(under_review).status == Article.Status.DRAFT


def test_archive_refused_when_already_archived(draft, editor):
    article_archive(article=draft, user=editor)
    with pytest.raises(TransitionRefused) as refused:
        article_archive(article=draft, user=editor)
    assert refused.value.status == HTTPStatus.CONFLICT
    assert StateLog.objects.for_(draft).count() == 1


def test_archive_refused_for_author(draft, author):
    with pytest.raises(TransitionRefused) as refused:
        article_archive(article=draft, user=author)
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert fresh(draft).status == Article.Status.DRAFT


def test_restore_refused_unless_archived(draft, editor):
    with pytest.raises(TransitionRefused) as refused:
        article_restore(article=draft, user=editor)
    assert refused.value.status == HTTPStatus.CONFLICT


def test_restore_refused_for_board_member(draft, editor, board_member):
    article_archive(article=draft, user=editor)
    with pytest.raises(TransitionRefused) as refused:
        article_restore(article=draft, user=board_member.user)
    assert refused.value.status == HTTPStatus.FORBIDDEN
    assert fresh(draft).status == Article.Status.ARCHIVED


# generic entry point -----------------------------------------------------------------------


def test_article_transition_routes_by_name(submitted, board_member):
    revision = submitted.revision_under_review()
    article = article_transition(
        article=submitted,
        name="start_review",
        user=board_member.user,
        revision_number=revision.number,
        content_hash=revision.content_hash,
    )
    assert article.status == Article.Status.UNDER_REVIEW


def test_article_transition_refuses_a_decision_naming_no_revision(submitted, board_member):
    with pytest.raises(TransitionRefused) as refused:
        article_transition(article=submitted, name="start_review", user=board_member.user)
    assert refused.value.status == HTTPStatus.BAD_REQUEST
    assert fresh(submitted).status == Article.Status.SUBMITTED


def test_article_transition_refuses_unknown_name(submitted, board_member):
    with pytest.raises(TransitionRefused):
        article_transition(article=submitted, name="delete", user=board_member.user)
    assert fresh(submitted).status == Article.Status.SUBMITTED


def test_status_cannot_be_assigned_directly(draft):
    with pytest.raises(AttributeError):
        draft.status = Article.Status.APPROVED


def test_transitions_refused_without_a_user(author, under_review):
    draft = factories.article_with_evidence(authors=[author])
    with pytest.raises(TransitionRefused) as refused:
        article_submit(article=draft, user=None)
    assert refused.value.status == HTTPStatus.FORBIDDEN
    with pytest.raises(TransitionRefused):
        record_on_latest(article=under_review, user=None, decision="approve")
    assert fresh(draft).status == Article.Status.DRAFT
    assert not Review.objects.exists()
