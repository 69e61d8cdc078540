"""The reader's first screen in real Chromium: where the answer starts, what the badge says,
the version behind a disclosure, and the "When to get help" box. Also the committed
screenshots (`make screenshots`)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import Article
from reviews.models import BoardMember
from tests import factories

DEMO_PATH = "/articles/foot-cramps-during-exercise/"
ROOT = Path(__file__).resolve().parents[2]
# Test runs keep their screenshots out of the tree; `make screenshots` points this at docs/.
SCREENSHOTS = ROOT / os.environ.get("VETTED_SCREENSHOTS_DIR", "test-results/screenshots")

# The bottom of the answer's first sentence, in CSS pixels from the top of the page.
FIRST_SENTENCE_BOTTOM = """() => {
  const summary = document.querySelector('.summary p');
  const text = summary.firstChild;
  const end = text.textContent.indexOf('. ') + 1;
  const range = document.createRange();
  range.setStart(text, 0);
  range.setEnd(text, end);
  return {
    top: summary.getBoundingClientRect().top + window.scrollY,
    bottom: range.getBoundingClientRect().bottom + window.scrollY,
  };
}"""


@pytest.mark.parametrize(
    ("width", "height", "screens"),
    [(1280, 800, 1.0), (375, 667, 1.5)],
    ids=["desktop-1280x800", "phone-375x667"],
)
def test_answer_first_sentence_within_aim(live_server, demo_site, page, width, height, screens):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + DEMO_PATH)
    offsets = page.evaluate(FIRST_SENTENCE_BOTTOM)
    print(
        f"{width}x{height}: answer top {offsets['top']:.0f}px, first sentence ends "
        f"{offsets['bottom']:.0f}px (aim {height * screens:.0f}px)"
    )
    assert offsets["bottom"] <= height * screens, offsets
    # Every element of the reference page is still there, above the answer, in order.
    order = page.evaluate(
        """() => ['h1', '.board-badge', '.caution-banner', '.review-stepper', '.article-facts',
                  '.personalize', '.summary'].map(s => document.querySelector(s)
                  .getBoundingClientRect().top)"""
    )
    assert order == sorted(order)


def test_stepper_is_one_line_on_a_phone(live_server, demo_site, page):
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(live_server.url + DEMO_PATH)
    steps = page.locator(".stepper .step")
    tops = {round(box["y"]) for box in (steps.nth(i).bounding_box() for i in range(3))}
    assert len(tops) == 1
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.stepper .step')]"
        ".map(s => s.getBoundingClientRect().right))"
    )
    assert right <= page.evaluate(
        "document.querySelector('.review-panel').getBoundingClientRect().right"
    )


def test_revision_hash_sits_behind_version_details(live_server, demo_site, page):
    page.goto(live_server.url + DEMO_PATH)
    revision = Article.objects.get(slug="foot-cramps-during-exercise").displayed_revision
    hash_code = page.locator(".content-hash")
    expect(hash_code).to_be_hidden()
    page.get_by_text("Version details").click()
    expect(hash_code).to_be_visible()
    expect(hash_code).to_have_text(revision.short_hash)
    expect(page.locator(".version-details")).to_contain_text(f"Revision {revision.number}")


def _badge_colour(page) -> str:
    return page.locator(".board-badge").evaluate("el => getComputedStyle(el).backgroundColor")


def test_badge_follows_the_article_state(live_server, demo_site, page):
    article = Article.objects.get(slug="foot-cramps-during-exercise")
    url = live_server.url + DEMO_PATH
    # Submitted, then under review: pending, in amber, with nothing claiming a review.
    page.goto(url)
    badge = page.locator(".board-badge")
    expect(badge).to_have_text("◷ Pending review by our Medical Advisory Board")
    expect(badge).to_have_class("board-badge is-pending")
    pending_colour = _badge_colour(page)
    expect(page.locator("main")).not_to_contain_text("Reviewed by")

    okafor = BoardMember.objects.get(user__username="okafor")
    factories.start_review_on_latest(article=article, user=okafor.user)
    page.goto(url)
    expect(page.locator("[aria-current=step]")).to_contain_text("Under Review")
    expect(badge).to_have_text("◷ Pending review by our Medical Advisory Board")

    # Approved: who reviewed it, in green, linked to their board entry.
    factories.record_on_latest(article=article, user=okafor.user, decision="approve")
    page.goto(url)
    expect(badge).to_have_class("board-badge is-reviewed")
    expect(badge).to_contain_text("Reviewed by Maya Okafor, MD, FACSM")
    expect(badge.get_by_role("link", name="Maya Okafor, MD, FACSM")).to_have_attribute(
        "href", f"/board/#member-{okafor.pk}"
    )
    expect(page.locator(".board-badge-line")).to_contain_text("of our Medical Advisory Board on")
    assert _badge_colour(page) != pending_colour
    expect(page.locator(".caution-banner")).to_have_count(0)


def test_when_to_get_help_box_is_prominent(live_server, demo_site, page):
    page.goto(live_server.url + DEMO_PATH)
    box = page.get_by_role("region", name="When to get help")
    expect(box).to_be_visible()
    expect(box).to_contain_text("chest pain")
    expect(box).to_contain_text("swollen")
    expect(box).to_contain_text("weakness")
    styles = box.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return [s.borderLeftColor, s.borderLeftWidth, s.backgroundColor]; }"
    )
    assert styles[0] == "rgb(176, 42, 55)"
    assert float(styles[1].removesuffix("px")) >= 8
    assert styles[2] != "rgba(0, 0, 0, 0)"
    # It follows the evidence and comes before the references, like any section.
    tops = page.evaluate(
        """() => ['#section-2', '.help-box', '#references-heading']
                 .map(s => document.querySelector(s).getBoundingClientRect().top)"""
    )
    assert tops == sorted(tops)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (375, 667)])
def test_first_screen_screenshot(live_server, demo_site, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + DEMO_PATH)
    expect(page.locator(".summary")).to_be_visible()
    # Nothing may overflow sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"article-{width}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000


def test_audience_choice_works_without_javascript(live_server, demo_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + DEMO_PATH)
    page.get_by_label("I'm a healthcare professional").check()
    page.get_by_role("button", name="Use this wording").click()
    expect(page.get_by_label("I'm a healthcare professional")).to_be_checked()
    expect(page.locator(".disclaimer-text")).to_contain_text("clinical judgment")
    context.close()
