from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import EvidenceSection
from articles.roles import AUTHORS, BOARD
from tests import factories

pytestmark = pytest.mark.django_db


def test_dashboard_redirects_anonymous_to_desk_login(client):
    response = client.get(reverse("desk:dashboard"))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("desk:login"))


def test_desk_login_accepts_author_who_is_not_staff(client, author, desk_setup):
    response = client.post(
        reverse("desk:login"), {"username": author.username, "password": factories.PASSWORD}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("desk:dashboard")
    assert client.get(reverse("desk:dashboard")).status_code == HTTPStatus.OK


def test_dashboard_refused_for_user_without_desk_role(client, roles):
    client.force_login(factories.UserFactory())

    assert client.get(reverse("desk:dashboard")).status_code == HTTPStatus.FORBIDDEN


def test_dashboard_refused_for_board_member_without_author_role(client, board_member):
    client.force_login(board_member.user)

    assert client.get(reverse("desk:dashboard")).status_code == HTTPStatus.FORBIDDEN


def test_article_page_not_found_for_another_author(client, draft, desk_setup):
    stranger = factories.AuthorFactory()
    client.force_login(stranger)

    assert client.get(reverse("desk:article", args=[draft.pk])).status_code == (
        HTTPStatus.NOT_FOUND
    )
    assert client.get(reverse("desk:article_preview", args=[draft.pk])).status_code == (
        HTTPStatus.NOT_FOUND
    )


def test_another_author_cannot_post_to_article(client, draft, desk_setup):
    stranger = factories.AuthorFactory()
    client.force_login(stranger)
    section = draft.sections.first()

    responses = [
        client.post(
            reverse("desk:article", args=[draft.pk]),
            {"title": "Hijacked?", "topic": draft.topic_id, "version": draft.version},
        ),
        client.post(
            reverse("desk:section_delete", args=[draft.pk, section.pk]), {"version": draft.version}
        ),
        client.post(reverse("desk:article_submit", args=[draft.pk])),
    ]

    assert [r.status_code for r in responses] == [HTTPStatus.NOT_FOUND] * 3
    draft.refresh_from_db()
    assert draft.title != "Hijacked?"
    assert EvidenceSection.objects.filter(pk=section.pk).exists()


def test_co_author_can_edit(client, draft, desk_setup):
    co_author = factories.AuthorFactory()
    draft.authors.add(co_author)
    client.force_login(co_author)

    assert client.get(reverse("desk:article", args=[draft.pk])).status_code == HTTPStatus.OK


def test_editor_sees_every_article(client, editor, draft):
    client.force_login(editor)

    dashboard = client.get(reverse("desk:dashboard"))

    assert draft.title in dashboard.text
    assert client.get(reverse("desk:article", args=[draft.pk])).status_code == HTTPStatus.OK


def test_board_member_who_is_also_author_sees_only_own_articles(client, draft, desk_setup):
    member = factories.BoardMemberFactory()
    member.user.groups.add(Group.objects.get(name=AUTHORS))
    client.force_login(member.user)

    assert member.user.groups.filter(name=BOARD).exists()
    assert client.get(reverse("desk:dashboard")).status_code == HTTPStatus.OK
    assert client.get(reverse("desk:article", args=[draft.pk])).status_code == (
        HTTPStatus.NOT_FOUND
    )
