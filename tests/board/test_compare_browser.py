"""In real Chromium: a member reads a correction side by side with the live text, approves it
from the buttons after the content; the reader then sees it flagged in the review history and
on /corrections/. Writes the screenshots of the side-by-side page and of the history."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import Article, Statement
from reviews.services import article_submit
from tests import factories
from tests.factories import PASSWORD, reopen, start_review_on_latest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / os.environ.get("VETTED_SCREENSHOTS_DIR", "test-results/screenshots")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_admin(page, url, user):
    page.context.clear_cookies()
    page.goto(url + "/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_side_by_side_review_of_a_correction_screenshot(live_server, page, roles, audiences):
    author = factories.AuthorFactory()
    member = factories.BoardMemberFactory(credentials="MD, FACSM")
    article = factories.article_with_evidence(
        authors=[author],
        sections=1,
        statements=3,
        title="Does stretching prevent cramps?",
        slug="stretching-cramps",
        summary="Stretching **may** help some people.\n\n- stretch calves\n- drink water",
    )
    factories.article_publish(article, reviewers=[member])
    article = reopen(Article.objects.get(pk=article.pk))
    statement = Statement.objects.filter(section__article=article).order_by("order").first()
    statement.text = "Stretch **gently** for 30 seconds, as in [this trial](https://example.org/t)."
    statement.save()
    article_submit(
        article=Article.objects.get(pk=article.pk),
        user=author,
        change_summary="Gentler stretching advice.",
        corrects_error=True,
        correction_note="The stretch duration was given as 30 minutes; it is 30 seconds.",
    )
    start_review_on_latest(article=Article.objects.get(pk=article.pk), user=member.user)

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_admin(page, live_server.url, member.user)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.get_by_role("link", name="Read both side by side, as readers see them").click()
    expect(page.locator(".vetted-compare-revision")).to_contain_text("gently")
    expect(page.locator(".vetted-compare-revision strong").first).to_be_visible()
    expect(page.locator(".vetted-compare-live")).to_be_visible()
    expect(page.locator(".vetted-diff-label").first).to_contain_text("Changed statement 1")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "review-side-by-side.png"), full_page=True)

    # The decision buttons come after the content, and are buttons.
    page.locator(".vetted-compare-decisions").get_by_role("button", name="Approve…").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".field-status")).to_contain_text("Approved")

    page.context.clear_cookies()
    page.goto(live_server.url + "/articles/stretching-cramps/")
    history = page.locator(".review-history")
    expect(history.locator(".review-history-correction")).to_have_count(1)
    expect(history).to_contain_text("30 minutes; it is 30 seconds")
    history.screenshot(path=str(SCREENSHOTS / "review-history-correction.png"))
    page.goto(live_server.url + "/corrections/")
    expect(page.locator(".correction-entry")).to_contain_text("Does stretching prevent cramps?")
