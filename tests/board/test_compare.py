"""The review page reads like the article: Markdown in the diff, changes labelled by statement
with their citations, a side-by-side view, real buttons after the content; and the go-live
field and page reached from it."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Statement
from articles.snapshots import build_snapshot
from reviews.diff import revision_diff
from reviews.releases import ScheduledRelease
from reviews.services import article_submit
from reviews.services.releases import pending_release
from tests import factories
from tests.factories import reopen, start_review_on_latest

pytestmark = pytest.mark.django_db


def fresh(article):
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def changed(author, board_member):
    """Revision 1 live; revision 2 (bold, a link, a list in the summary) under review."""
    article = factories.article_with_evidence(authors=[author], sections=1, statements=2)
    factories.article_publish(article, reviewers=[board_member])
    article = reopen(fresh(article))
    statement = Statement.objects.filter(section__article=article).order_by("order").first()
    statement.text = "Stretch **gently** before [running](https://example.org/run)."
    statement.save()
    article.summary = "Two steps:\n\n- drink water\n- rest"
    article.save()
    article_submit(article=fresh(article), user=author, change_summary="Gentler advice.")
    start_review_on_latest(article=fresh(article), user=board_member.user)
    return fresh(article)


def test_diff_renders_markdown_and_labels_statements_with_citations(changed):
    diff = revision_diff(changed.live_revision.snapshot, changed.revision_under_review().snapshot)
    first = diff.sections[0].statements[0]
    assert first.kind == "changed" and first.label == "Statement 1"
    assert "<strong><ins>gently</ins></strong>" in first.wording
    assert '<a href="https://example.org/run"' in first.wording
    assert "**" not in first.wording
    assert first.citations and first.citations[0].startswith("[1] ")
    assert "<ul>" in diff.summary and "<li>" in diff.summary and "- drink" not in diff.summary


def test_removed_statement_keeps_its_place_and_citations(author):
    article = factories.article_with_evidence(authors=[author], sections=1, statements=3)
    old = build_snapshot(article)
    Statement.objects.filter(section__article=article).order_by("order")[1].delete()
    diff = revision_diff(old, build_snapshot(article))
    [removed] = [s for s in diff.sections[0].statements if s.kind == "removed"]
    assert removed.label == "Statement 2"
    # Numbered as on the live page it was removed from (one source, cited by every statement).
    assert removed.citations == [f"[1] {removed.citations[0][4:]}"]


def test_admin_review_page_links_to_side_by_side(client, changed, board_member):
    client.force_login(board_member.user)
    page = client.get(reverse("admin:articles_article_change", args=[changed.pk])).text
    assert reverse("board:compare", args=[changed.pk]) in page
    assert "Changed statement 1:" in page
    assert "<strong>" in page and "**gently**" not in page


def test_side_by_side_shows_both_rendered_and_buttons_after(client, changed, board_member):
    client.force_login(board_member.user)
    response = client.get(reverse("board:compare", args=[changed.pk]))
    assert response.status_code == HTTPStatus.OK
    text = response.text
    assert "Revision 2 — under review" in text and "Revision 1 — live now" in text
    assert '<a href="https://example.org/run"' in text and "**gently**" not in text
    decisions = text.index("vetted-compare-decisions")
    assert decisions > text.index("Changes, statement by statement")
    tail = text[decisions:]
    assert '<button type="submit"' in tail and "Approve" in tail
    assert reverse("admin:articles_article_transition", args=[changed.pk, "approve"]) in tail


def test_side_by_side_refused_to_readers_and_authors(client, changed, author):
    url = reverse("board:compare", args=[changed.pk])
    assert client.get(url).status_code == HTTPStatus.FOUND  # to the admin login
    client.force_login(author)
    assert client.get(url).status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert client.get(reverse("board:compare", args=[99999])).status_code != HTTPStatus.OK


def test_side_by_side_before_any_approval(client, author, board_member):
    article = factories.article_with_evidence(authors=[author])
    article_submit(article=article, user=author)
    client.force_login(board_member.user)
    text = client.get(reverse("board:compare", args=[article.pk])).text
    assert "no revision has been approved yet" in text
    assert "live now" not in text


def test_decision_page_uses_a_real_button(client, changed, board_member):
    client.force_login(board_member.user)
    url = reverse("admin:articles_article_transition", args=[changed.pk, "approve"])
    page = client.get(url).text
    assert '<button type="submit" class="default">Approve</button>' in page
    assert 'name="go_live_at"' in page


def test_admin_approve_with_go_live_then_cancel(client, changed, board_member, editor):
    client.force_login(board_member.user)
    revision = changed.revision_under_review()
    when = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("admin:articles_article_transition", args=[changed.pk, "approve"]),
        {
            "revision_number": revision.number,
            "content_hash": revision.content_hash,
            "decision": "approve",
            "go_live_at": when,
            "_workflow_confirm": "1",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    article = fresh(changed)
    assert article.status == Article.Status.APPROVED and article.live_revision.number == 1
    assert pending_release(article).revision == revision
    change_page = client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert "Approved, not live yet" in change_page
    release_url = reverse("board:release", args=[article.pk])
    assert release_url in change_page
    client.force_login(editor)
    stale = client.post(
        release_url, {"action": "schedule", "revision_number": 1, "go_live_at": when}
    )
    assert stale.status_code == HTTPStatus.CONFLICT
    done = client.post(release_url, {"action": "cancel", "revision_number": 2, "note": "Hold."})
    assert done.status_code == HTTPStatus.FOUND
    assert pending_release(article) is None
    assert fresh(article).live_revision.number == 1
    record = client.get(release_url).text
    assert "Cancelled" in record and "Hold." in record
    assert ScheduledRelease.objects.filter(kind="cancelled", by=editor).exists()


def test_admin_approve_with_past_go_live_records_nothing(client, changed, board_member):
    client.force_login(board_member.user)
    revision = changed.revision_under_review()
    response = client.post(
        reverse("admin:articles_article_transition", args=[changed.pk, "approve"]),
        {
            "revision_number": revision.number,
            "content_hash": revision.content_hash,
            "decision": "approve",
            "go_live_at": "2001-01-01T00:00",
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "already passed" in response.text
    assert fresh(changed).status == Article.Status.UNDER_REVIEW
    assert not revision.reviews.exists()
