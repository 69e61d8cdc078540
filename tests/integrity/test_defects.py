"""The nine defects of issue 8, each as a determined user would try it. Every test here
failed on the code before the fix."""

import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.models import Article, ArticleLocked, EvidenceSection, Statement, Topic
from articles.services import content
from citations.models import Citation
from reviews.models import Review
from reviews.services import (
    TransitionRefused,
    article_authors_set,
    article_revise,
    article_submit,
)
from tests import factories
from tests.factories import record_on_latest, start_review_on_latest

pytestmark = pytest.mark.django_db


def transition_url(article, name):
    return reverse("admin:articles_article_transition", args=[article.pk, name])


def form_values(response) -> dict:
    """The hidden revision fields of a transition form, as the browser would post them."""
    form = response.context["transition_form"]
    return {
        "revision_number": form["revision_number"].value(),
        "content_hash": form["content_hash"].value(),
        "_workflow_confirm": "1",
    }


def edit_statement(article, user, text):
    article = Article.objects.get(pk=article.pk)
    statement = Statement.objects.filter(section__article=article).first()
    content.statement_update(
        user=user,
        statement_pk=statement.pk,
        article_pk=article.pk,
        version=article.version,
        style=statement.style,
        text=text,
    )


# 1. A decision lands only on the revision the member read ---------------------------------


def test_stale_approve_form_is_refused_with_409_and_records_nothing(
    client, setup, author, board_member, other_board_member
):
    article = factories.article_with_evidence(authors=[author], title="Do cramps need salt?")
    article_submit(article=article, user=author)
    start_review_on_latest(article=article, user=other_board_member.user)
    client.force_login(board_member.user)
    opened = client.get(transition_url(article, "approve"))  # member A opens revision 1
    seen = form_values(opened)
    assert seen["revision_number"] == 1
    # Meanwhile B requests changes, the author edits and resubmits, and B starts again.
    record_on_latest(
        article=article,
        user=other_board_member.user,
        decision="request_changes",
        comment="Cite the guideline.",
    )
    edit_statement(article, author, "Text member A never read.")
    article_submit(article=article, user=author)
    start_review_on_latest(article=article, user=other_board_member.user)

    response = client.post(transition_url(article, "approve"), {**seen, "comment": "Fine."})

    assert response.status_code == HTTPStatus.CONFLICT
    body = response.content.decode()
    assert "Nothing was recorded" in body
    current = Article.objects.get(pk=article.pk).revision_under_review()
    assert current.number == 2
    assert reverse("admin:articles_revision_change", args=[current.pk]) in body
    article = Article.objects.get(pk=article.pk)
    assert article.status == Article.Status.UNDER_REVIEW
    assert article.live_revision is None
    assert not Review.objects.filter(member=board_member).exists()
    # Readers see revision 2 only as pending, with the caution: nobody approved it.
    page = client.get(article.get_absolute_url()).content.decode()
    assert "pending human review" in page


def test_stale_hash_for_the_right_number_is_refused(client, setup, author, board_member):
    article = factories.article_with_evidence(authors=[author])
    article_submit(article=article, user=author)
    client.force_login(board_member.user)
    response = client.post(
        transition_url(article, "start_review"),
        {"revision_number": 1, "content_hash": "0" * 64, "_workflow_confirm": "1"},
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert Article.objects.get(pk=article.pk).status == Article.Status.SUBMITTED


def test_decision_form_shows_the_revision_it_decides_on(client, setup, author, board_member):
    article = factories.article_with_evidence(authors=[author])
    revision = article_submit(article=article, user=author)
    client.force_login(board_member.user)
    body = client.get(transition_url(article, "start_review")).content.decode()
    assert f"revision {revision.number} · {revision.short_hash}" in body
    assert f'value="{revision.content_hash}"' in body


# 2. No one approves their own work ----------------------------------------------------------


def test_writer_removed_from_authors_still_cannot_decide(setup, roles, editor, board_member):
    writer = factories.BoardMemberFactory()
    writer.user.groups.add(roles["Authors"])
    co_writer = factories.AuthorFactory()
    article = content.article_create(
        user=writer.user, title="Can I approve my own answer?", topic=factories.TopicFactory()
    )
    article.authors.add(co_writer)
    edit_article = factories.article_with_evidence(authors=[co_writer])  # complete content
    for section in EvidenceSection.objects.filter(article=edit_article):
        EvidenceSection.objects.filter(pk=section.pk).update(article=article)
    article_authors_set(article=article, user=editor, authors=[co_writer])
    revision = article_submit(article=article, user=co_writer)

    assert writer.user.pk in revision.contributor_ids
    with pytest.raises(TransitionRefused) as refused:
        start_review_on_latest(article=article, user=writer.user)
    assert "You wrote or edited revision 1" in str(refused.value)
    start_review_on_latest(article=article, user=board_member.user)
    with pytest.raises(TransitionRefused):
        record_on_latest(article=article, user=writer.user, decision="approve")
    assert Article.objects.get(pk=article.pk).status == Article.Status.UNDER_REVIEW


def test_board_member_cannot_change_authors_in_admin(client, setup, roles, author):
    writer = factories.BoardMemberFactory()
    writer.user.groups.add(roles["Authors"])
    article = factories.article_with_evidence(authors=[writer.user, author])
    client.force_login(writer.user)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), {"authors": [author.pk]}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert set(article.authors.all()) == {writer.user, author}


def test_authors_frozen_while_the_board_has_the_article(setup, editor, author, co_author):
    article = factories.article_with_evidence(authors=[author])
    article_submit(article=article, user=author)
    with pytest.raises(TransitionRefused) as refused:
        article_authors_set(article=article, user=editor, authors=[co_author])
    assert "while the board has the article" in str(refused.value)
    assert list(article.authors.all()) == [author]


def test_author_change_is_in_the_audit_trail(setup, editor, author, co_author):
    from django_fsm_log.models import StateLog

    article = factories.article_with_evidence(authors=[author])
    article_authors_set(article=article, user=editor, authors=[author, co_author])
    entry = StateLog.objects.for_(article).get(transition="change_authors")
    assert entry.by == editor
    assert co_author.get_full_name() in entry.description


# 3. The admin respects ownership ------------------------------------------------------------


def test_staff_author_cannot_change_another_authors_draft_in_admin(client, setup, roles, author):
    staff_author = factories.BoardMemberFactory()
    staff_author.user.groups.add(roles["Authors"])
    article = factories.article_with_evidence(authors=[author], title="Someone else's draft?")
    client.force_login(staff_author.user)
    assert client.get(reverse("desk:article", args=[article.pk])).status_code == 404
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert 'name="title"' not in page.content.decode()
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {"title": "Taken over", "authors": [staff_author.user.pk]},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    article.refresh_from_db()
    assert article.title == "Someone else's draft?"
    assert list(article.authors.all()) == [author]


# 4. Frozen content is frozen at every door ---------------------------------------------------


@pytest.mark.parametrize("state", ["submitted", "under_review", "approved"])
def test_content_models_refuse_writes_outside_draft(setup, author, board_member, state):
    article = factories.article_with_evidence(authors=[author])
    if state == "approved":
        factories.article_publish(article, reviewers=[board_member])
    else:
        article_submit(article=article, user=author)
        if state == "under_review":
            start_review_on_latest(article=article, user=board_member.user)
    statement = Statement.objects.filter(section__article=article).first()
    section = statement.section
    citation = Citation.objects.filter(statement=statement).first()
    statement.text = "Changed behind the board's back."
    section.heading = "New heading"
    article = Article.objects.get(pk=article.pk)
    article.title = "A new question?"
    for write in (statement.save, section.save, citation.delete, statement.delete, article.save):
        with pytest.raises(ArticleLocked):
            write()
    assert Statement.objects.get(pk=statement.pk).text != "Changed behind the board's back."


def test_admin_content_pages_are_read_only(client, setup, editor, author):
    article = factories.article_with_evidence(authors=[author])
    article_submit(article=article, user=author)
    statement = Statement.objects.filter(section__article=article).first()
    client.force_login(editor)
    url = reverse("admin:articles_statement_change", args=[statement.pk])
    response = client.post(
        url,
        {
            "text": "Edited in the admin.",
            "style": "bullet",
            "order": 0,
            "section": statement.section_id,
        },
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    section_url = reverse("admin:articles_evidencesection_change", args=[statement.section_id])
    assert client.post(section_url, {"heading": "x"}).status_code == HTTPStatus.FORBIDDEN
    assert Statement.objects.get(pk=statement.pk).text == statement.text


# 5. Public lists show only what the board approved -----------------------------------------


def test_public_lists_never_carry_the_working_copy(client, approved_article, author):
    old_topic = approved_article.topic
    new_topic = Topic.objects.create(name="Unreviewed topic", slug="unreviewed-topic")
    article = article_revise(article=approved_article, user=author)
    content.article_update(
        user=author,
        article_pk=article.pk,
        version=Article.objects.get(pk=article.pk).version,
        title="Zebra question nobody reviewed?",
        topic=new_topic,
        summary="Zebra summary nobody reviewed.",
    )
    edit_statement(article, author, "Zebra statement nobody reviewed.")
    cache.clear()
    pages = {
        "/": "Why do feet cramp during exercise?",
        f"/topics/{old_topic.slug}/": "Why do feet cramp during exercise?",
        f"/topics/{new_topic.slug}/": None,
        "/search/?q=zebra": None,
        "/search/?q=feet": "Why do feet cramp during exercise?",
        "/feeds/latest/": "Why do feet cramp during exercise?",
        "/sitemap.xml": None,
        article.get_absolute_url(): "Why do feet cramp during exercise?",
    }
    for url, expected in pages.items():
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == HTTPStatus.OK, url
        assert "nobody reviewed" not in body, url
        if url != f"/topics/{new_topic.slug}/":
            assert "Unreviewed topic" not in body, url
        else:
            assert "No published answers in this topic yet." in body
        if expected:
            assert expected in body, url


# 7. Retraction: editors only, and it does what it says -------------------------------------


def test_author_cannot_retract_a_shared_reference(client, setup, approved_article, co_author):
    reference = (
        Citation.objects.filter(statement__section__article=approved_article).first().reference
    )
    client.force_login(co_author)
    response = client.post(
        reverse("desk:reference_retract", args=[reference.pk]),
        {"reason": "I dislike it.", "notice": "10.1000/x"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    reference.refresh_from_db()
    assert not reference.retracted
    assert Article.objects.get(pk=approved_article.pk).status == Article.Status.APPROVED


def test_retraction_alerts_sends_back_and_marks_the_page(
    client, approved_article, editor, board_member, mailoutbox, django_capture_on_commit_callbacks
):
    live = approved_article.live_revision
    reference = (
        Citation.objects.filter(statement__section__article=approved_article).first().reference
    )
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("desk:reference_retract", args=[reference.pk]),
            {"reason": "Data fabrication.", "notice": "10.1000/retraction.1"},
        )
    article = Article.objects.get(pk=approved_article.pk)
    assert article.status == Article.Status.SUBMITTED
    assert article.live_revision == live
    assert article.revision_under_review().number == live.number + 1
    alerted = {
        address
        for message in mailoutbox
        for address in message.to
        if "Retracted source" in message.subject
    }
    assert {editor.email, board_member.user.email} <= alerted
    client.logout()
    cache.clear()
    body = client.get(article.get_absolute_url()).content.decode()
    assert "Back under review — a cited source was retracted" in body
    assert "Cites retracted source" in body
    assert live.short_hash in body  # the last approved text stays readable
    assert 'data-step="under_review"' in body


# 8. Immutable rows are immutable (more in test_append_only) -------------------------------


def test_revision_queryset_update_is_refused(approved_article):
    from django.db import DatabaseError, transaction

    from articles.models import Revision

    with pytest.raises(DatabaseError), transaction.atomic():
        Revision.objects.filter(pk=approved_article.live_revision_id).update(title="Rewritten")


# 9. Feeds carry sanitized HTML only ---------------------------------------------------------


def test_feed_summary_is_sanitized(client, setup, author, board_member):
    article = factories.article_with_evidence(
        authors=[author],
        summary='Fine <script>alert("feed")</script> **bold**',
    )
    factories.article_publish(article, reviewers=[board_member])
    response = client.get("/feeds/latest/")
    root = ET.fromstring(response.content)
    summaries = [
        element.text or "" for element in root.iter("{http://www.w3.org/2005/Atom}summary")
    ]
    assert summaries
    assert all("<script" not in summary.lower() for summary in summaries)
    assert any("<strong>bold</strong>" in summary for summary in summaries)
