"""The board's admin: queue filters, buttons, transitions re-checked on the server."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from articles.models import Article
from reviews.models import Review
from reviews.services import article_submit
from tests import factories
from tests.factories import record_on_latest

pytestmark = pytest.mark.django_db


def transition_url(article, name):
    return reverse("admin:articles_article_transition", args=[article.pk, name])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def seen(article, **extra):
    """What the transition form posts: the revision the member read, and the confirmation."""
    revision = Article.objects.get(pk=article.pk).revision_under_review()
    return {
        "revision_number": revision.number,
        "content_hash": revision.content_hash,
        "_workflow_confirm": "1",
        **extra,
    }


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_admin_queue_awaiting_my_review(client, author, board_member, submitted):
    conflicted = factories.article_with_evidence(authors=[author], title="Conflicted question?")
    article_submit(article=conflicted, user=author)
    board_member.conflicts.add(conflicted.topic)
    draft = factories.article_with_evidence(authors=[author], title="Still a draft?")
    client.force_login(board_member.user)
    response = client.get(reverse("admin:articles_article_changelist"), {"queue": "mine"})
    assert response.status_code == HTTPStatus.OK
    listed = set(response.context["cl"].queryset)
    assert listed == {submitted}
    assert draft not in listed
    # Once the member has decided on the newest revision it leaves their queue.
    client.post(transition_url(submitted, "start_review"), seen(submitted))
    client.post(
        transition_url(submitted, "request_changes"), seen(submitted, comment="Add a guideline.")
    )
    response = client.get(reverse("admin:articles_article_changelist"), {"queue": "mine"})
    assert list(response.context["cl"].queryset) == []


def test_admin_queue_overdue(client, editor, under_review, board_member):
    from datetime import timedelta

    from django.utils import timezone

    record_on_latest(article=under_review, user=board_member.user, decision="approve")
    Article.objects.filter(pk=under_review.pk).update(
        next_review_due=timezone.now() - timedelta(days=2)
    )
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"), {"queue": "overdue"})
    assert [a.pk for a in response.context["cl"].queryset] == [under_review.pk]


def test_admin_shows_only_transitions_the_user_may_run(client, board_member, editor, submitted):
    client.force_login(board_member.user)
    body = client.get(change_url(submitted)).content.decode()
    assert "/transition/start_review/" in body
    assert "/transition/archive/" not in body
    client.force_login(editor)
    body = client.get(change_url(submitted)).content.decode()
    assert "/transition/start_review/" not in body
    assert "/transition/archive/" in body


def test_admin_board_member_starts_and_approves(client, board_member, submitted):
    client.force_login(board_member.user)
    form_page = client.get(transition_url(submitted, "start_review"))
    revision = submitted.revision_under_review()
    assert f"revision {revision.number} · {revision.short_hash}" in form_page.content.decode()
    response = client.post(transition_url(submitted, "start_review"), seen(submitted), follow=True)
    assert response.status_code == HTTPStatus.OK
    assert Article.objects.get(pk=submitted.pk).status == Article.Status.UNDER_REVIEW
    body = response.content.decode()
    assert "/transition/approve/" in body
    assert "Changes under review" in body
    form_page = client.get(transition_url(submitted, "approve"))
    assert form_page.status_code == HTTPStatus.OK
    response = client.post(
        transition_url(submitted, "approve"), seen(submitted, comment="Well sourced."), follow=True
    )
    article = Article.objects.get(pk=submitted.pk)
    assert article.status == Article.Status.APPROVED
    log = StateLog.objects.for_(article).filter(transition="approve").get()
    assert (log.by, log.description) == (board_member.user, "Well sourced.")
    assert any("approved" in m for m in messages_of(response))


def test_admin_request_changes_needs_comment(client, board_member, under_review):
    client.force_login(board_member.user)
    response = client.post(
        transition_url(under_review, "request_changes"), seen(under_review, comment="")
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Tell the authors what to change." in response.content.decode()
    assert not Review.objects.exists()
    assert Article.objects.get(pk=under_review.pk).status == Article.Status.UNDER_REVIEW


def test_admin_post_refused_for_transition_user_may_not_run(client, editor, under_review):
    """The button is not shown, and posting straight to the URL changes nothing."""
    client.force_login(editor)
    before = StateLog.objects.count()
    response = client.post(transition_url(under_review, "approve"), seen(under_review))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Only active members of the Medical Advisory Board" in response.content.decode()
    article = Article.objects.get(pk=under_review.pk)
    assert article.status == Article.Status.UNDER_REVIEW
    assert article.live_revision is None
    assert not Review.objects.exists()
    assert StateLog.objects.count() == before


def test_admin_post_refused_for_author_board_member(client, roles, board_member):
    member = factories.BoardMemberFactory()
    member.user.groups.add(roles["Authors"])
    article = factories.article_with_evidence(authors=[member.user])
    article_submit(article=article, user=member.user)
    client.force_login(member.user)
    refused = client.post(transition_url(article, "start_review"), seen(article))
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert "You are an author of this article" in refused.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.SUBMITTED
    client.force_login(board_member.user)
    client.post(transition_url(article, "start_review"), seen(article))
    client.force_login(member.user)
    client.post(transition_url(article, "approve"), seen(article))
    assert Article.objects.get(pk=article.pk).status == Article.Status.UNDER_REVIEW
    assert not Review.objects.exists()


def test_admin_post_to_change_form_goes_through_services(client, editor, board_member, draft):
    """The django-fsm-2 change-form path is routed through the services too."""
    client.force_login(editor)
    data = {
        "title": draft.title,
        "slug": draft.slug,
        "topic": draft.topic_id,
        "authors": [a.pk for a in draft.authors.all()],
        "summary": draft.summary,
        "_fsm_transition_to": "approve",
        **{
            f"{prefix}-{key}": value
            for prefix in (
                "summary_variants",
                "sections",
                "django_fsm_log-statelog-content_type-object_id",
            )
            for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
        },
    }
    sections = draft.sections.count()
    data["sections-TOTAL_FORMS"] = data["sections-INITIAL_FORMS"] = str(sections)
    for index, section in enumerate(draft.sections.order_by("order", "pk")):
        data.update(
            {
                f"sections-{index}-id": section.pk,
                f"sections-{index}-article": draft.pk,
                f"sections-{index}-kind": section.kind_id,
                f"sections-{index}-heading": section.heading,
                f"sections-{index}-order": section.order,
            }
        )
    response = client.post(change_url(draft), data, follow=True)
    # The step's own page opens instead, and refuses: approving is not the editor's to take.
    assert response.redirect_chain[-1][0] == transition_url(draft, "approve")
    assert response.status_code == HTTPStatus.CONFLICT
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
    assert not StateLog.objects.exists()


def test_admin_content_read_only_under_review(client, editor, under_review):
    client.force_login(editor)
    response = client.get(change_url(under_review))
    assert response.status_code == HTTPStatus.OK
    assert 'name="title"' not in response.content.decode()
    original = under_review.title
    response = client.post(change_url(under_review), {"title": "Changed?"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Article.objects.get(pk=under_review.pk).title == original


def test_admin_editor_changes_only_authors_in_draft(client, editor, draft):
    """Content is written at the desk; in the admin an editor may change the authors only."""
    client.force_login(editor)
    body = client.get(change_url(draft)).content.decode()
    assert 'name="authors"' in body
    assert 'name="title"' not in body and 'name="summary"' not in body


def test_admin_audit_trail_and_diff_on_change_page(
    client, editor, board_member, author, under_review
):
    from articles.models import Statement
    from reviews.services import article_revise

    record_on_latest(article=under_review, user=board_member.user, decision="approve")
    article_revise(article=under_review, user=author)
    statement = Statement.objects.filter(section__article=under_review).first()
    old_text = statement.text
    statement.text = "Magnesium does not prevent cramps."
    statement.save()
    article_submit(article=under_review, user=author)
    client.force_login(editor)
    body = client.get(change_url(under_review)).content.decode()
    assert "audit trail" in body.lower()
    assert f"<del>{old_text}</del><ins>Magnesium does not prevent cramps.</ins>" in body
    assert "Changed statement" in body
    for transition in ("submit", "start_review", "approve", "revise"):
        assert re.search(rf'field-transition">\s*<p>{transition}</p>', body)


def test_admin_statelog_and_reviews_read_only(client, editor, under_review, board_member):
    review = record_on_latest(article=under_review, user=board_member.user, decision="approve")
    entry = StateLog.objects.first()
    client.force_login(editor)
    response = client.post(
        reverse("admin:django_fsm_log_statelog_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    response = client.post(
        reverse("admin:reviews_review_delete", args=[review.pk]), {"post": "yes"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert StateLog.objects.filter(pk=entry.pk).exists()
    assert Review.objects.filter(pk=review.pk).exists()
