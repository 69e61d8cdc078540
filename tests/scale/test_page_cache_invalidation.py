"""Exact invalidation: after a change commits, no reader gets the old page, through the workflow.

Every case runs with a warm cache (the old page stored, for the default audience and a cookie
audience) and a cold one; on_commit callbacks run, as after a real commit.
"""

import time
from http import HTTPStatus

import pytest
from django.core.cache import cache

from articles import page_cache
from articles.audiences import AUDIENCE_COOKIE
from articles.models import Article, Disclaimer
from reviews.services import article_archive, article_request_rereview, reference_retract
from tests import factories

pytestmark = pytest.mark.parametrize("warm", [True, False], ids=["warm", "cold"])


@pytest.fixture
def published(audiences, board_member):
    reference = factories.ReferenceFactory(title="Magnesium and night cramps")
    article = factories.article_with_evidence(
        slug="invalidated", title="Can magnesium stop cramps?", references=[reference]
    )
    factories.StatementVariantFactory(
        statement=article.sections.first().statements.first(),
        audience=audiences["professional"],
        text="Clinician wording.",
    )
    return factories.article_publish(article, reviewers=[board_member])


def _read_both(client, url) -> tuple:
    """The page for the default audience and for a cookie audience (in another client)."""
    client.cookies.pop(AUDIENCE_COOKIE, None)
    plain = client.get(url)
    client.cookies[AUDIENCE_COOKIE] = "professional"
    chosen = client.get(url)
    client.cookies.pop(AUDIENCE_COOKIE, None)
    return plain, chosen


def _prime(client, url, warm):
    before = _read_both(client, url)
    if warm:
        again = _read_both(client, url)
        assert [r.templates for r in again] == [[], []], "the old page is stored"
    else:
        cache.clear()
    return before


def test_new_approval_shows_the_new_text(
    client, published, warm, editor, django_capture_on_commit_callbacks
):
    url = published.get_absolute_url()
    _prime(client, url, warm)
    with django_capture_on_commit_callbacks(execute=True):
        article = factories.reopen(published)
        statement = article.sections.first().statements.last()
        statement.text = "Newly approved wording about magnesium."
        statement.save()
        factories.article_publish(article)
    for page in _read_both(client, url):
        assert page.status_code == HTTPStatus.OK
        assert "Newly approved wording about magnesium." in page.content.decode()


def test_rereview_retires_the_page(
    client, published, warm, editor, django_capture_on_commit_callbacks
):
    url = published.get_absolute_url()
    old = _prime(client, url, warm)
    with django_capture_on_commit_callbacks(execute=True):
        article_request_rereview(article=published, user=editor, comment="Please look again.")
    assert Article.objects.get(pk=published.pk).status == Article.Status.SUBMITTED
    new = _read_both(client, url)
    for before, after in zip(old, new, strict=True):
        assert after.status_code == HTTPStatus.OK
        assert after.templates, "drawn again, not the stored page"
        assert after["ETag"] != before["ETag"]
    # A reader holding the old ETag gets the new page, not a 304.
    response = client.get(url, HTTP_IF_NONE_MATCH=old[0]["ETag"])
    assert response.status_code == HTTPStatus.OK


def test_retraction_marks_live_and_pending_pages(
    client, published, warm, editor, django_capture_on_commit_callbacks
):
    reference = published.live_revision.snapshot["references"]
    reference = factories.ReferenceFactory._meta.model.objects.get(pk=int(next(iter(reference))))
    pending = factories.article_submit_for_readers(
        factories.article_with_evidence(slug="pending-cites-it", references=[reference])
    )
    urls = [published.get_absolute_url(), pending.get_absolute_url()]
    for url in urls:
        _prime(client, url, warm)
    with django_capture_on_commit_callbacks(execute=True):
        reference_retract(
            reference=reference,
            user=editor,
            reason="Data fabricated.",
            notice="https://doi.org/10.1000/retraction",
        )
    for url in urls:
        for page in _read_both(client, url):
            assert "Retracted since review" in page.content.decode(), url
    assert "Back under review" in client.get(urls[0]).content.decode()


def test_archive_answers_410_never_an_old_200(
    client, published, warm, editor, django_capture_on_commit_callbacks
):
    url = published.get_absolute_url()
    old = _prime(client, url, warm)
    with django_capture_on_commit_callbacks(execute=True):
        article_archive(article=published, user=editor)
    for page in _read_both(client, url):
        assert page.status_code == HTTPStatus.GONE
    stored = client.get(url)
    assert stored.status_code == HTTPStatus.GONE and stored.templates == []
    assert client.get(url, HTTP_IF_NONE_MATCH=old[0]["ETag"]).status_code == HTTPStatus.GONE


def test_go_live_from_a_task_changes_the_page(
    client, published, warm, django_capture_on_commit_callbacks
):
    """A scheduled release sets the displayed revision with a plain save(), no service."""
    url = published.get_absolute_url()
    article = factories.reopen(published)
    statement = article.sections.first().statements.last()
    statement.text = "Released at the scheduled time."
    statement.save()
    from articles.services import revision_create

    revision = revision_create(article=article)
    _prime(client, url, warm)
    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(pk=article.pk)
        article.live_revision = article.displayed_revision = revision
        article.save()
    for page in _read_both(client, url):
        assert "Released at the scheduled time." in page.content.decode()


def test_disclaimer_and_board_names_retire_every_page(
    client, published, warm, board_member, django_capture_on_commit_callbacks
):
    url = published.get_absolute_url()
    _prime(client, url, warm)
    with django_capture_on_commit_callbacks(execute=True):
        Disclaimer.objects.create(audience=None, text="A brand new general disclaimer.")
        board_member.credentials = "MD, PhD (renamed)"
        board_member.save()
    html = client.get(url).content.decode()
    assert "A brand new general disclaimer." in html
    assert "MD, PhD (renamed)" in html


def test_a_page_drawn_from_data_that_changed_meanwhile_is_never_served(published, warm, rf):
    """The race: a render reads the tokens, the data changes and commits, the render stores."""
    if not warm:
        cache.clear()
    state = page_cache.PageState.read(published.slug)
    state.ensure_tokens()  # the render's first step, before its queries
    page_cache.article_changed(published.slug)  # another request's commit
    response = type("R", (), {"cookies": {}, "status_code": 200, "content": b"old"})()
    page_cache.store(
        rf.get("/"),
        state,
        response,
        content_hash="abc",
        audience="patient",
        audiences=("patient",),
        default="patient",
        modified=time.time(),
    )
    assert page_cache.PageState.read(published.slug).pointer is None


def test_next_review_date_ends_the_stored_page(client, published, warm, monkeypatch):
    """The page turns "Overdue" when the review date passes: it is not kept beyond it."""
    url = published.get_absolute_url()
    client.get(url)
    due = Article.objects.get(pk=published.pk).next_review_due.timestamp()
    assert page_cache.PageState.read(published.slug).pointer["expires"] == due
    monkeypatch.setattr(page_cache.time, "time", lambda: due + 1)
    assert page_cache.PageState.read(published.slug).pointer is None
