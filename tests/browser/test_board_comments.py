"""The board at volume, in real Chromium: a member comments on two statements and requests
changes; the author resolves them and resubmits with a note for readers; the member approves
with certainty grades; the reader sees the grades and the review history entry."""

import os
import re
from pathlib import Path

from playwright.sync_api import expect

DEMO_PATH = "/articles/foot-cramps-during-exercise/"
DEMO_TITLE = re.compile("cramp", re.I)
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / os.environ.get("VETTED_SCREENSHOTS_DIR", "test-results/screenshots")


def sign_in_admin(page, url, username, password):
    page.context.clear_cookies()
    page.goto(url + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def open_article_in_admin(page, url):
    page.goto(url + "/admin/articles/article/?queue=mine")
    page.locator("#result_list").get_by_role("link", name=DEMO_TITLE).first.click()


def test_member_comments_author_resolves_member_grades(live_server, demo_site, page):
    url = live_server.url
    sign_in_admin(page, url, "okafor", "vetted-board-demo")
    open_article_in_admin(page, url)
    page.get_by_role("link", name="Start review").first.click()
    page.get_by_role("button", name="Start review").click()

    # Two comments, each anchored to its statement of revision 1.
    page.get_by_role("link", name="Read the revision and comment on statements").click()
    for index, text in enumerate(["Say how long to stretch.", "Cite the hydration trial."]):
        statement = page.locator("li[data-statement]").nth(index)
        statement.locator("summary", has_text="Comment on this statement").click()
        statement.get_by_label("Your comment").fill(text)
        statement.get_by_role("button", name="Add comment").click()
        expect(page.locator(".messagelist")).to_contain_text("Comment added")
    expect(page.locator(".vetted-comment-thread.is-open")).to_have_count(2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "review-comments.png"), full_page=True)

    # Requesting changes lists the open comments.
    page.get_by_role("link", name="Back to the article").click()
    page.get_by_role("link", name="Request changes").first.click()
    expect(page.locator(".vetted-open-comments")).to_contain_text("Cite the hydration trial.")
    page.get_by_label("Comment for the authors").fill("Two points, beside the statements.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.locator(".field-status")).to_contain_text("Changes requested")

    # The author sees both beside their statements, resolves them and resubmits.
    page.context.clear_cookies()
    page.goto(url + "/desk/login/")
    page.get_by_label("Username").fill("author")
    page.get_by_label("Password").fill("vetted-author-demo")
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()
    page.get_by_role("link", name=DEMO_TITLE).first.click()
    comments = page.locator(".board-comment")
    expect(comments).to_have_count(2)
    for _ in range(2):
        page.locator(".board-comment").first.get_by_role("button", name="Mark resolved").click()
        expect(page.get_by_role("alert").or_(page.locator(".alert-success")).first).to_be_visible()
    expect(page.locator(".board-comment-resolved")).to_have_count(2)
    page.get_by_label(re.compile("What changed, for readers")).fill("Clearer stretching advice.")
    page.get_by_role("button", name="Submit for review").click()

    # The member sees both resolved on revision 2, and approves with grades.
    sign_in_admin(page, url, "okafor", "vetted-board-demo")
    open_article_in_admin(page, url)
    page.get_by_role("link", name="Start review").first.click()
    page.get_by_role("button", name="Start review").click()
    expect(page.locator(".vetted-comment-summary .comment-resolved")).to_have_count(2)
    expect(page.locator(".vetted-change-summary")).to_contain_text("Clearer stretching advice.")
    page.get_by_role("link", name="Approve", exact=True).first.click()
    grades = page.locator("select[name^=grade_]")
    for index in range(grades.count()):
        grades.nth(index).select_option("high" if index == 0 else "moderate")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".field-status")).to_contain_text("Approved")

    # The reader sees the grades and the history entry.
    page.goto(url + DEMO_PATH)
    expect(page.locator(".statement-grade").first).to_contain_text("Certainty: high")
    history = page.locator(".review-history")
    expect(history).to_contain_text("Revision 2")
    expect(history).to_contain_text("Clearer stretching advice.")
    expect(history).to_contain_text("Maya Okafor, MD, FACSM")
    history.screenshot(path=str(SCREENSHOTS / "review-history.png"))
