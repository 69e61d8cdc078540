"""Corrections: flagged at submit (by the author, or after a retraction), shown in the public
review history, listed on /corrections/ with a feed once live, and never before."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.corrections import live_corrections
from articles.history import review_history
from articles.models import Article, Statement
from citations.models import Reference
from reviews.services import (
    TransitionRefused,
    article_archive,
    article_submit,
    reference_retract,
    review_record,
)
from tests import factories
from tests.factories import _seen, reopen, start_review_on_latest

pytestmark = pytest.mark.django_db


def fresh(article):
    return Article.objects.get(pk=article.pk)


def decide(article, member, decision="approve", comment="", **extra):
    article = fresh(article)
    if article.status == Article.Status.SUBMITTED:
        start_review_on_latest(article=article, user=member.user)
    review_record(
        article=fresh(article),
        user=member.user,
        decision=decision,
        comment=comment,
        **_seen(article),
        **extra,
    )


def edit_first_statement(article, text="Corrected dose: 5 mg."):
    statement = Statement.objects.filter(section__article=article).order_by("pk").first()
    statement.text = text
    statement.save()
    return statement


def published(author, member):
    article = factories.article_with_evidence(authors=[author])
    article_submit(article=article, user=author, change_summary="First.")
    decide(article, member)
    return fresh(article)


def corrected(author, member, note="The dose was 50 mg; it is 5 mg."):
    article = reopen(published(author, member))
    edit_first_statement(article)
    article_submit(
        article=fresh(article),
        user=author,
        change_summary="Fixed the dose.",
        corrects_error=True,
        correction_note=note,
    )
    decide(article, member)
    return fresh(article)


def test_author_flag_is_kept_and_shown_in_history(client, author, board_member):
    article = corrected(author, board_member)
    revision = article.live_revision
    assert revision.is_correction and revision.correction_note.startswith("The dose was")
    [second, first] = review_history(article)
    assert second.is_correction and not first.is_correction
    text = client.get(article.get_absolute_url()).text
    assert "review-history-correction" in text
    assert "What was corrected: The dose was 50 mg; it is 5 mg." in text


def test_flag_without_note_is_refused(author, board_member):
    article = reopen(published(author, board_member))
    edit_first_statement(article)
    with pytest.raises(TransitionRefused) as refused:
        article_submit(article=fresh(article), user=author, corrects_error=True)
    assert refused.value.status == HTTPStatus.BAD_REQUEST
    assert fresh(article).revisions.count() == 1


def test_flag_on_a_never_approved_article_is_refused(author):
    article = factories.article_with_evidence(authors=[author])
    with pytest.raises(TransitionRefused) as refused:
        article_submit(article=article, user=author, corrects_error=True, correction_note="x")
    assert refused.value.status == HTTPStatus.BAD_REQUEST
    assert not fresh(article).revisions.exists()


def test_desk_form_flags_a_correction(client, author, board_member):
    article = reopen(published(author, board_member))
    edit_first_statement(article)
    client.force_login(author)
    assert 'name="corrects_error"' in client.get(reverse("desk:article", args=[article.pk])).text
    client.post(
        reverse("desk:article_submit", args=[article.pk]),
        {"change_summary": "Dose.", "corrects_error": "1", "correction_note": " Wrong dose. "},
    )
    revision = fresh(article).revision_under_review()
    assert revision.number == 2 and revision.is_correction
    assert revision.correction_note == "Wrong dose."


def test_statement_changed_after_a_retraction_is_a_correction(author, board_member, editor):
    article = published(author, board_member)
    reference = Reference.objects.get()
    reference_retract(
        reference=reference, user=editor, reason="Fabricated data.", notice="10.1000/retraction.9"
    )
    article = fresh(article)
    rereview = article.revision_under_review()
    assert rereview.number == 2 and not rereview.is_correction  # same statements as live
    decide(article, board_member, "request_changes", "Replace the retracted source.")
    article = fresh(article)
    replacement = factories.ReferenceFactory()
    for statement in Statement.objects.filter(section__article=article):
        statement.citations.all().delete()
        factories.CitationFactory(statement=statement, reference=replacement, order=0)
    article_submit(article=article, user=author, change_summary="New source.")
    revision = fresh(article).revision_under_review()
    assert revision.is_correction
    assert reference.title[:40] in revision.correction_note
    decide(article, board_member)
    assert fresh(article).live_revision == revision
    assert list(live_corrections()) == [revision]


def test_unchanged_resubmission_is_not_a_correction(author, board_member):
    article = reopen(published(author, board_member))
    article_submit(article=fresh(article), user=author)
    assert not fresh(article).revision_under_review().is_correction


def test_corrections_page_lists_only_live_corrections(client, author, board_member, editor):
    live = corrected(author, board_member, note="Live correction.")
    # Flagged but still under review.
    pending = reopen(published(author, board_member))
    edit_first_statement(pending)
    article_submit(
        article=fresh(pending), user=author, corrects_error=True, correction_note="Pending fix."
    )
    # Approved for a go-live time that has not come.
    held = reopen(published(author, board_member))
    edit_first_statement(held)
    article_submit(
        article=fresh(held), user=author, corrects_error=True, correction_note="Held fix."
    )
    decide(held, board_member, go_live_at=timezone.now() + timedelta(days=1))
    # Corrected, then archived.
    gone = corrected(author, board_member, note="Archived fix.")
    article_archive(article=gone, user=editor)
    text = client.get(reverse("articles:corrections")).text
    assert "Live correction." in text
    for hidden in ("Pending fix.", "Held fix.", "Archived fix."):
        assert hidden not in text
    assert list(live_corrections()) == [live.live_revision]
    assert review_history(fresh(held))[0].number == 1


def test_corrections_feed(client, author, board_member):
    corrected(author, board_member, note="Dose <b>fixed</b>.")
    response = client.get(reverse("articles:corrections_feed"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Correction:" in body and "Dose &amp;lt;b&amp;gt;fixed" in body


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == HTTPStatus.OK
    return len(queries)


def test_corrections_page_queries_do_not_grow(client, author, board_member):
    corrected(author, board_member)
    corrected(author, board_member)
    corrected(author, board_member)
    small = _page_queries(client, reverse("articles:corrections"))
    small_feed = _page_queries(client, reverse("articles:corrections_feed"))
    for _ in range(27):
        corrected(author, board_member)
    assert live_corrections().count() == 30
    assert _page_queries(client, reverse("articles:corrections")) == small
    assert _page_queries(client, reverse("articles:corrections_feed")) == small_feed
    page2 = client.get(reverse("articles:corrections") + "?page=2").text
    assert page2.count('class="correction-entry') == 10
    for odd in ("?page=999", "?page=abc", "?page=-1", "?page=" + "9" * 40):
        assert client.get(reverse("articles:corrections") + odd).status_code == HTTPStatus.OK
