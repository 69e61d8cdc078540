"""The comment threads through their doors: the admin's comments page for the board, the
request-changes step page, and the desk for the authors."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from reviews.models import StatementComment
from tests.board.conftest import comment_on, first_statement_id
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db


def comments_url(article):
    return reverse("admin:articles_article_comments", args=[article.pk])


def test_admin_comments_page_adds_comment(client, under_review, board_member):
    client.force_login(board_member.user)
    response = client.get(comments_url(under_review))
    assert response.status_code == HTTPStatus.OK
    statement_id = first_statement_id(under_review)
    assert f'id="statement-{statement_id}"' in response.text
    revision = under_review.revision_under_review()
    response = client.post(
        comments_url(under_review),
        {
            "anchor": "statement",
            "anchor_id": statement_id,
            "body": "Which trial?",
            "revision_number": revision.number,
            "content_hash": revision.content_hash,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    comment = StatementComment.objects.get()
    assert (comment.anchor_id, comment.body, comment.author) == (
        statement_id,
        "Which trial?",
        board_member.user,
    )
    change = client.get(reverse("admin:articles_article_change", args=[under_review.pk]))
    assert "Which trial?" in change.text


def test_admin_comments_page_refuses_stale_revision(client, under_review, board_member):
    client.force_login(board_member.user)
    response = client.post(
        comments_url(under_review),
        {
            "anchor": "statement",
            "anchor_id": first_statement_id(under_review),
            "body": "Which trial?",
            "revision_number": 1,
            "content_hash": "0" * 64,
        },
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert not StatementComment.objects.exists()


def test_admin_comments_page_offers_no_form_to_author(client, under_review, author, roles):
    # The author holds no admin access; an editor reads but may not comment.
    from tests.factories import EditorFactory

    client.force_login(EditorFactory())
    response = client.get(comments_url(under_review))
    assert response.status_code == HTTPStatus.OK
    assert "Add comment" not in response.text


def test_request_changes_page_lists_open_comments(client, under_review, board_member):
    comment_on(under_review, board_member, body="Cite the 2024 trial.")
    client.force_login(board_member.user)
    url = reverse("admin:articles_article_transition", args=[under_review.pk, "request_changes"])
    response = client.get(url)
    assert "Open comments (1)" in response.text
    assert "Cite the 2024 trial." in response.text


def test_desk_shows_comment_beside_statement_and_resolves(
    client, under_review, author, board_member
):
    comment = comment_on(under_review, board_member, body="Soften this claim.")
    client.force_login(author)
    page = client.get(reverse("desk:article", args=[under_review.pk]))
    assert f'id="comment-{comment.pk}"' in page.text
    assert "Soften this claim." in page.text
    statement_page = client.get(
        reverse("desk:statement", args=[under_review.pk, comment.anchor_id])
    )
    assert "Soften this claim." in statement_page.text
    url = reverse("desk:comment_followup", args=[under_review.pk, comment.pk])
    assert client.post(url, {"action": "reply", "body": "Done."}).status_code == HTTPStatus.FOUND
    assert client.post(url, {"action": "resolve"}).status_code == HTTPStatus.FOUND
    kinds = list(StatementComment.objects.filter(thread=comment).values_list("kind", flat=True))
    assert kinds == ["reply", "resolve"]
    page = client.get(reverse("desk:article", args=[under_review.pk]))
    assert "Resolved board comment" in page.text


def test_desk_comment_followup_not_found_for_other_author(client, under_review, board_member):
    comment = comment_on(under_review, board_member)
    client.force_login(AuthorFactory())
    url = reverse("desk:comment_followup", args=[under_review.pk, comment.pk])
    assert client.post(url, {"action": "resolve"}).status_code == HTTPStatus.NOT_FOUND
    assert StatementComment.objects.open().exists()
