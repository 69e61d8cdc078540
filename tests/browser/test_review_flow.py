"""A board member reviews the submitted demo article in real Chromium, start to finish."""

import re

from playwright.sync_api import expect

DEMO_PATH = "/articles/foot-cramps-during-exercise/"
DEMO_TITLE = re.compile("cramp", re.I)


def test_board_member_reviews_and_approves_demo_article(live_server, demo_site, page):
    # 1. Readers see the submitted article with the caution banner, at the "Submitted" step.
    page.goto(live_server.url + DEMO_PATH)
    expect(page.locator(".caution-banner")).to_be_visible()
    stepper = page.get_by_role("region", name="Article Review Status")
    expect(stepper.locator("[aria-current=step]")).to_contain_text("Submitted")

    # 2. A board member signs in to the admin and finds it in their queue.
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("okafor")
    page.get_by_label("Password").fill("vetted-board-demo")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("link", name="Awaiting my review").click()
    expect(page).to_have_url(re.compile(r"queue=mine"))
    results = page.locator("#result_list")
    expect(results.get_by_role("link", name=DEMO_TITLE)).to_have_count(1)
    results.get_by_role("link", name=DEMO_TITLE).click()

    page.get_by_role("link", name="Start review").first.click()
    # The step's page names the revision the member is deciding on.
    expect(page.locator(".vetted-revision-seen")).to_contain_text("revision 1")
    page.get_by_role("button", name="Start review").click()
    expect(page.locator(".messagelist")).to_contain_text("under review")
    expect(page.get_by_text("Changes under review")).to_be_visible()
    expect(page.locator(".field-status")).to_contain_text("Under review")

    page.get_by_role("link", name="Approve", exact=True).first.click()
    page.get_by_label("Comment for the authors").fill("Accurate and well sourced.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("approved")
    expect(page.locator(".field-status")).to_contain_text("Approved")
    audit = page.get_by_role("heading", name="Audit trail")
    expect(audit).to_be_visible()

    # 3. Readers now see the approved article, its reviewer, and no caution banner.
    page.goto(live_server.url + DEMO_PATH)
    stepper = page.get_by_role("region", name="Article Review Status")
    expect(stepper.locator("[aria-current=step]")).to_contain_text("Approved")
    expect(page.locator(".reviewed-by")).to_contain_text("Maya Okafor, MD, FACSM")
    expect(page.locator(".caution-banner")).to_have_count(0)
