"""A reader in real Chromium: the demo article, audience choice, follow-up question, queue."""

import re

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from articles.models import Article
from articles.roles import EDITORS
from tests import factories

DEMO_PATH = "/articles/foot-cramps-during-exercise/"


def _professional_wording() -> tuple[str, str]:
    """A statement's default text and its professional variant, from the demo snapshot."""
    snapshot = Article.objects.get(slug="foot-cramps-during-exercise").revisions.first().snapshot
    for section in snapshot["sections"]:
        for statement in section["statements"]:
            if statement["variants"].get("professional"):
                return statement["text"], statement["variants"]["professional"]
    raise AssertionError("the demo has no professional variant")


def _first_words(markdown: str, count: int = 6) -> str:
    return " ".join(re.sub(r"[*_`\[\]]", "", markdown).split()[:count])


def test_reader_sees_every_element_of_demo_article(live_server, demo_site, page):
    requested, console_errors = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    page.goto(live_server.url + DEMO_PATH)
    expect(page.locator("h1")).to_have_text(re.compile("cramp", re.I))
    badge = page.get_by_role("link", name="Medical Advisory Board").first
    expect(badge).to_have_attribute("href", "/board/")
    expect(page.locator(".caution-banner")).to_contain_text(
        "Educational purpose only • Exercise caution as content is pending human review"
    )
    stepper = page.get_by_role("region", name="Article Review Status")
    for step in ("Submitted", "Under Review", "Approved"):
        expect(stepper).to_contain_text(step)
    expect(stepper.locator("[aria-current=step]")).to_have_count(1)
    expect(page.locator(".article-facts")).to_contain_text("Last updated")
    expect(page.locator(".content-hash")).to_have_text(re.compile(r"^[0-9a-f]{12}$"))
    expect(page.get_by_role("link", name="View editorial policy")).to_be_visible()
    expect(page.get_by_text("Which best describes you?")).to_be_visible()
    expect(page.get_by_role("heading", name="From the Guidelines")).to_be_visible()
    expect(page.get_by_role("heading", name="From the Research")).to_be_visible()
    marker = page.locator("sup.cite a").first
    expect(marker).to_have_attribute("href", "#ref-1")
    expect(page.locator("#ref-1 .evidence-kind")).to_be_visible()
    expect(page.locator("#ref-1 .reference-link")).to_have_attribute(
        "href", re.compile(r"^https://(doi\.org|pubmed\.ncbi\.nlm\.nih\.gov)/")
    )
    expect(page.get_by_role("heading", name="Professional Medical Disclaimer")).to_be_visible()
    expect(page.get_by_role("heading", name="Have a follow-up question?")).to_be_visible()
    marker.click()
    expect(page).to_have_url(re.compile("#ref-1$"))
    # Bootstrap and our CSS come from this site; nothing is blocked by the CSP.
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    assert console_errors == []


def test_reader_chooses_professional_and_choice_persists(live_server, demo_site, page):
    default_text, professional_text = _professional_wording()
    other = factories.article_submit_for_readers(
        factories.article_with_evidence(title="Another cramp question?", slug="another")
    )
    page.goto(live_server.url + DEMO_PATH)
    disclaimer = page.locator(".disclaimer-text")
    before = disclaimer.inner_text()
    expect(page.locator("main")).to_contain_text(_first_words(default_text))
    page.get_by_label("I'm a healthcare professional").check()
    page.get_by_role("button", name="Use this wording").click()
    expect(page.locator(".current-audience")).to_contain_text("I'm a healthcare professional")
    expect(page.locator("main")).to_contain_text(_first_words(professional_text))
    expect(disclaimer).not_to_have_text(before)
    expect(disclaimer).to_contain_text("clinical judgment")
    page.reload()
    expect(page.get_by_label("I'm a healthcare professional")).to_be_checked()
    expect(disclaimer).to_contain_text("clinical judgment")
    page.goto(live_server.url + other.get_absolute_url())
    expect(page.locator(".current-audience")).to_contain_text("I'm a healthcare professional")
    expect(page.get_by_label("I'm a healthcare professional")).to_be_checked()


def test_reader_sends_follow_up_and_editor_sees_it(live_server, demo_site, page, browser):
    question = "Can magnesium supplements stop cramps that wake me at night?"
    page.goto(live_server.url + DEMO_PATH)
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Send my question").click()
    expect(page.get_by_role("status").filter(has_text="reached our editors")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#follow-up$"))

    editor = factories.UserFactory(username="queue-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    context = browser.new_context()
    staff = context.new_page()
    staff.goto(live_server.url + "/admin/login/?next=/admin/articles/followupquestion/")
    staff.get_by_label("Username").fill("queue-editor")
    staff.get_by_label("Password").fill(factories.PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    expect(staff.locator("#result_list")).to_contain_text(question[:40])
    context.close()


def test_reader_follow_up_error_is_clear(live_server, demo_site, page):
    page.goto(live_server.url + DEMO_PATH)
    page.get_by_label("Your question").fill("Why?")
    page.get_by_role("button", name="Send my question").click()
    expect(page.get_by_role("alert")).to_contain_text("Your question was not sent")
    expect(page.locator("#follow-up-form")).to_contain_text("at least 10 characters")
