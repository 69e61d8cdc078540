"""Every admin door to an assignment runs the service: the bulk action, the article page's
assign page, the assignment admin's add page; withdrawing is an action; nothing is edited."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from reviews.models import ReviewAssignment
from reviews.services import article_request_rereview, article_submit
from reviews.services.assignments import assignment_create
from tests import factories

CHANGELIST = "/admin/articles/article/"
ADD = "/admin/reviews/reviewassignment/add/"


def later(days=4) -> str:
    return f"{timezone.localtime() + timedelta(days=days):%Y-%m-%dT%H:%M}"


@pytest.fixture
def pending(author):
    articles = []
    for title in ("First question?", "Second question?"):
        article = factories.article_with_evidence(authors=[author], title=title)
        article_submit(article=article, user=author)
        articles.append(Article.objects.get(pk=article.pk))
    return articles


def action_post(articles, **extra):
    return {
        "action": "assign_members",
        "_selected_action": [str(a.pk) for a in articles],
        "select_across": "0",
        **extra,
    }


def apply_post(articles, members, *, due=None, numbers=None, **extra):
    numbers = numbers or {a.pk: a.revision_under_review().number for a in articles}
    return action_post(
        articles,
        apply="1",
        members=[str(m.pk) for m in members],
        due_at=due or later(),
        **{f"revision_{pk}": str(n) for pk, n in numbers.items()},
        **extra,
    )


def test_bulk_action_shows_the_form_then_assigns_through_the_service(
    client,
    editor,
    pending,
    board_member,
    other_board_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(editor)
    page = client.post(CHANGELIST, {**action_post(pending), "index": "0"})
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert "Assign board members" in body
    assert f'name="revision_{pending[0].pk}" value="1"' in body
    with_members = apply_post(pending, [board_member, other_board_member])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, with_members)
    assert response.status_code == HTTPStatus.FOUND
    assert ReviewAssignment.objects.filter(due_at__isnull=False).count() == 4
    assert all(a.assigned_by == editor for a in ReviewAssignment.objects.all())
    assert len(mailoutbox) == 4


def test_bulk_action_is_all_or_nothing(client, editor, pending, board_member, mailoutbox):
    board_member.conflicts.add(pending[1].topic)
    other_topic = factories.TopicFactory(slug="other-topic", name="Other topic")
    Article.objects.filter(pk=pending[0].pk).update(topic=other_topic)
    client.force_login(editor)
    response = client.post(CHANGELIST, apply_post(pending, [board_member]))
    assert response.status_code == HTTPStatus.CONFLICT
    assert "conflict of interest" in response.content.decode()
    assert not ReviewAssignment.objects.exists()
    assert mailoutbox == []


def test_bulk_action_refuses_an_article_that_moved_on(client, editor, author, board_member):
    approved = factories.article_publish(factories.article_with_evidence(authors=[author]))
    article_request_rereview(article=approved, user=None, by_system=True, comment="Yearly.")
    approved = Article.objects.get(pk=approved.pk)
    client.force_login(editor)
    response = client.post(
        CHANGELIST, apply_post([approved], [board_member], numbers={approved.pk: 1})
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert "now at revision 2" in response.content.decode()
    assert not ReviewAssignment.objects.filter(due_at__isnull=False).exists()


def test_bulk_action_refuses_an_article_the_form_did_not_show(
    client, editor, pending, board_member
):
    client.force_login(editor)
    post = apply_post(pending[:1], [board_member])
    post["_selected_action"] = [str(a.pk) for a in pending]
    response = client.post(CHANGELIST, post)
    assert response.status_code == HTTPStatus.CONFLICT
    assert "was not on the form" in response.content.decode()
    assert not ReviewAssignment.objects.exists()


def test_bulk_action_refuses_a_past_due_date(client, editor, pending, board_member):
    client.force_login(editor)
    response = client.post(CHANGELIST, apply_post(pending, [board_member], due=later(-1)))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "already passed" in response.content.decode()
    assert not ReviewAssignment.objects.exists()


def test_board_members_have_no_assign_action(client, pending, board_member, other_board_member):
    client.force_login(board_member.user)
    page = client.get(CHANGELIST)
    assert b"assign_members" not in page.content
    client.post(CHANGELIST, apply_post(pending, [other_board_member]))
    assert not ReviewAssignment.objects.exists()


def test_assign_from_the_article_page(client, editor, pending, board_member):
    article = pending[0]
    client.force_login(editor)
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    url = reverse("admin:articles_article_assign", args=[article.pk])
    assert url in change.content.decode()
    assert client.get(url).status_code == HTTPStatus.OK
    form = {"members": [board_member.pk], "due_at": later(), f"revision_{article.pk}": "1"}
    response = client.post(url, form)
    assert response.status_code == HTTPStatus.FOUND
    assert ReviewAssignment.objects.get().member == board_member
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert str(board_member) in change.content.decode()


def test_the_article_page_assign_is_for_editors_only(client, pending, board_member):
    client.force_login(board_member.user)
    url = reverse("admin:articles_article_assign", args=[pending[0].pk])
    change = client.get(reverse("admin:articles_article_change", args=[pending[0].pk]))
    assert url not in change.content.decode()
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    response = client.post(url, {"members": [board_member.pk], "due_at": later()})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not ReviewAssignment.objects.exists()


def test_the_assignment_add_page_runs_the_service(
    client,
    editor,
    pending,
    board_member,
    other_board_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    article = pending[0]
    client.force_login(editor)
    page = client.get(ADD, {"article": article.pk})
    assert page.status_code == HTTPStatus.OK
    assert 'name="revision_number" value="1"' in page.content.decode()
    other_board_member.conflicts.add(article.topic)
    refused = client.post(
        ADD,
        {
            "article": article.pk,
            "revision_number": "1",
            "members": [board_member.pk, other_board_member.pk],
            "due_at": later(),
        },
    )
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert "conflict of interest" in refused.content.decode()
    assert not ReviewAssignment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            ADD,
            {
                "article": article.pk,
                "revision_number": "1",
                "members": [board_member.pk],
                "due_at": later(),
            },
        )
    assert done.status_code == HTTPStatus.FOUND
    assert ReviewAssignment.objects.get().assigned_by == editor
    assert len(mailoutbox) == 1


def test_the_assignment_add_page_refuses_drafts_and_stale_forms(
    client, editor, author, board_member
):
    draft = factories.article_with_evidence(authors=[author])
    client.force_login(editor)
    response = client.post(
        ADD, {"article": draft.pk, "members": [board_member.pk], "due_at": later()}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST  # not a choice: not in the board's hands
    approved = factories.article_publish(factories.article_with_evidence(authors=[author]))
    article_request_rereview(article=approved, user=None, by_system=True, comment="Yearly.")
    response = client.post(
        ADD,
        {
            "article": approved.pk,
            "revision_number": "1",
            "members": [board_member.pk],
            "due_at": later(),
        },
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert not ReviewAssignment.objects.filter(due_at__isnull=False).exists()


def test_board_members_cannot_add_edit_or_delete_assignments(
    client, editor, pending, board_member, other_board_member
):
    made = assignment_create(
        article=pending[0],
        members=[other_board_member],
        due_at=timezone.now() + timedelta(days=2),
        user=editor,
    )[0]
    client.force_login(board_member.user)
    assert client.get(ADD).status_code == HTTPStatus.FORBIDDEN
    client.force_login(editor)
    change = f"/admin/reviews/reviewassignment/{made.pk}/change/"
    response = client.post(change, {"due_at": later(30), "member": board_member.pk})
    assert response.status_code == HTTPStatus.FORBIDDEN
    delete = f"/admin/reviews/reviewassignment/{made.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    made.refresh_from_db()
    assert made.member == other_board_member


def test_withdraw_action(client, editor, pending, board_member):
    made = assignment_create(
        article=pending[0],
        members=[board_member],
        due_at=timezone.now() + timedelta(days=2),
        user=editor,
    )[0]
    client.force_login(editor)
    response = client.post(
        "/admin/reviews/reviewassignment/",
        {"action": "withdraw", "_selected_action": [made.pk], "index": "0"},
        follow=True,
    )
    assert "1 assignment(s) withdrawn" in response.content.decode()
    made.refresh_from_db()
    assert made.withdrawn_by == editor


def test_bulk_action_turns_away_articles_not_in_the_boards_hands(client, editor, pending, author):
    draft = factories.article_with_evidence(authors=[author], title="Still drafting?")
    client.force_login(editor)
    response = client.post(
        CHANGELIST, {**action_post([pending[0], draft]), "index": "0"}, follow=True
    )
    assert "deselect: Still drafting?" in response.content.decode()
    assert "Assign board members" not in response.content.decode().split("<title>")[1][:60]
    assert not ReviewAssignment.objects.exists()


def test_the_assignment_page_lists_the_notices_and_the_state_filter(
    client, editor, pending, board_member, other_board_member
):
    made = assignment_create(
        article=pending[0],
        members=[board_member, other_board_member],
        due_at=timezone.now() + timedelta(days=2),
        user=editor,
    )
    from reviews.services.assignments import assignment_withdraw

    assignment_withdraw(assignment=made[1], user=editor)
    client.force_login(editor)
    page = client.get(f"/admin/reviews/reviewassignment/{made[0].pk}/change/")
    assert page.status_code == HTTPStatus.OK
    assert "Assigned" in page.content.decode()
    listing = client.get("/admin/reviews/reviewassignment/", {"state": "open"})
    assert [a.pk for a in listing.context["cl"].result_list] == [made[0].pk]
    listing = client.get("/admin/reviews/reviewassignment/", {"state": "withdrawn"})
    assert [a.pk for a in listing.context["cl"].result_list] == [made[1].pk]
