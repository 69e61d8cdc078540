"""Comments on statements: anchored to a statement of one revision, append-only, answered
and resolved by the authors, listed by a request for changes, and followed across revisions."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from articles.models import Article, Statement
from articles.services import content
from reviews.comments import comment_threads, threads_for_board
from reviews.models import Review, StatementComment
from reviews.services import (
    StaleRevision,
    TransitionRefused,
    article_submit,
    comment_add,
    comment_edit,
    comment_reply,
    comment_resolve,
)
from tests.board.conftest import comment_on, first_statement_id
from tests.factories import record_on_latest

pytestmark = pytest.mark.django_db


def test_comment_add_anchors_to_statement_of_revision(under_review, board_member):
    comment = comment_on(under_review, board_member)
    revision = under_review.revision_under_review()
    assert comment.revision == revision
    assert comment.anchor == "statement"
    assert comment.anchor_id == first_statement_id(under_review)
    assert StatementComment.objects.open().get() == comment


def test_comment_add_on_section(under_review, board_member):
    section_id = under_review.revision_under_review().snapshot["sections"][1]["id"]
    comment = comment_on(under_review, board_member, anchor="section", anchor_id=section_id)
    assert (comment.anchor, comment.anchor_id) == ("section", section_id)


def test_comment_add_refused_for_unknown_statement(under_review, board_member):
    with pytest.raises(TransitionRefused) as refusal:
        comment_on(under_review, board_member, anchor_id=999_999)
    assert refusal.value.status == HTTPStatus.BAD_REQUEST
    assert not StatementComment.objects.exists()


def test_comment_add_refused_for_stale_revision(under_review, board_member):
    revision = under_review.revision_under_review()
    with pytest.raises(StaleRevision):
        comment_add(
            article=under_review,
            user=board_member.user,
            anchor="statement",
            anchor_id=first_statement_id(under_review),
            body="x",
            revision_number=revision.number,
            content_hash="0" * 64,
        )
    assert not StatementComment.objects.exists()


def test_comment_add_refused_for_author_and_outside_review(under_review, author, board_member):
    revision = under_review.revision_under_review()
    with pytest.raises(TransitionRefused) as refusal:
        comment_add(
            article=under_review,
            user=author,
            anchor="statement",
            anchor_id=first_statement_id(under_review),
            body="x",
            revision_number=revision.number,
            content_hash=revision.content_hash,
        )
    assert refusal.value.status == HTTPStatus.FORBIDDEN
    record_on_latest(article=under_review, user=board_member.user, decision="approve")
    with pytest.raises(TransitionRefused):
        comment_on(Article.objects.get(pk=under_review.pk), board_member)
    assert not StatementComment.objects.exists()


def test_comment_add_needs_text(under_review, board_member):
    with pytest.raises(TransitionRefused):
        comment_on(under_review, board_member, body="   ")
    assert not StatementComment.objects.exists()


def test_comment_edit_is_new_version(under_review, board_member, other_board_member):
    comment = comment_on(under_review, board_member, body="First wording.")
    comment_edit(thread=comment, user=board_member.user, body="Second wording.")
    with pytest.raises(TransitionRefused):
        comment_edit(thread=comment, user=other_board_member.user, body="Not mine.")
    [thread] = comment_threads(under_review)
    assert (thread.body, thread.edited) == ("Second wording.", True)
    comment.refresh_from_db()
    assert comment.body == "First wording."
    assert StatementComment.objects.count() == 2


def test_comment_reply_and_resolve_by_author(under_review, author, board_member):
    comment = comment_on(under_review, board_member)
    comment_reply(thread=comment, user=author, body="Softened in the next revision.")
    comment_resolve(thread=comment, user=author)
    [thread] = comment_threads(under_review)
    assert [reply.body for reply in thread.replies] == ["Softened in the next revision."]
    assert thread.resolution.author == author
    assert not StatementComment.objects.open().exists()
    with pytest.raises(TransitionRefused):
        comment_resolve(thread=comment, user=author)
    with pytest.raises(TransitionRefused):
        comment_reply(thread=comment, user=author, body="Too late.")


def test_comment_resolve_refused_for_stranger(under_review, editor, other_board_member, roles):
    from tests.factories import AuthorFactory

    comment = comment_on(under_review, other_board_member)
    for user in (AuthorFactory(), editor):
        with pytest.raises(TransitionRefused) as refusal:
            comment_resolve(thread=comment, user=user)
        assert refusal.value.status == HTTPStatus.FORBIDDEN
    assert StatementComment.objects.open().exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE reviews_statementcomment SET body = 'rewritten' WHERE id = %s",
        "DELETE FROM reviews_statementcomment WHERE id = %s",
    ],
)
def test_comments_are_append_only_in_database(under_review, board_member, sql):
    comment = comment_on(under_review, board_member, body="Kept.")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [comment.pk])
    with pytest.raises(ValidationError):
        comment.save()
    with pytest.raises(ValidationError):
        comment.delete()
    assert StatementComment.objects.get(pk=comment.pk).body == "Kept."


def test_request_changes_lists_open_comments(
    under_review, board_member, mailoutbox, django_capture_on_commit_callbacks
):
    comment_on(under_review, board_member, body="Cite the 2024 trial.")
    resolved = comment_on(under_review, board_member, body="Typo.")
    comment_resolve(thread=resolved, user=board_member.user)
    with django_capture_on_commit_callbacks(execute=True):
        record_on_latest(
            article=under_review,
            user=board_member.user,
            decision="request_changes",
            comment="See my comments.",
        )
    review = Review.objects.get(decision="request_changes")
    assert "Cite the 2024 trial." in review.comment
    assert "Typo." not in review.comment
    assert review.comment.startswith("See my comments.")
    assert any("Cite the 2024 trial." in message.body for message in mailoutbox)


def test_comment_anchoring_across_revisions(under_review, author, board_member):
    statement_id = first_statement_id(under_review)
    other_id = under_review.revision_under_review().snapshot["sections"][0]["statements"][1]["id"]
    changed = comment_on(under_review, board_member, body="Soften this.")
    untouched = comment_on(under_review, board_member, anchor_id=other_id, body="Fine?")
    record_on_latest(
        article=under_review, user=board_member.user, decision="request_changes", comment="See."
    )
    article = Article.objects.get(pk=under_review.pk)
    statement = Statement.objects.get(pk=statement_id)
    content.statement_update(
        user=author,
        statement_pk=statement.pk,
        article_pk=article.pk,
        version=article.version,
        style=statement.style,
        text="A softer claim.",
        variants={},
    )
    comment_resolve(thread=changed, user=author, body="Softened.")
    article_submit(article=Article.objects.get(pk=article.pk), user=author)
    article = Article.objects.get(pk=article.pk)
    revision = article.revision_under_review()
    assert revision.number == 2
    by_thread = {item.thread.pk: item for item in threads_for_board(article, revision)}
    assert not by_thread[changed.pk].thread.is_open
    assert by_thread[changed.pk].text_now == "A softer claim."
    assert by_thread[changed.pk].text_changed
    assert by_thread[untouched.pk].thread.is_open
    assert not by_thread[untouched.pk].text_changed
    # Still anchored to the revision it was made on.
    assert StatementComment.objects.get(pk=changed.pk).revision.number == 1
