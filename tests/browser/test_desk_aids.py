"""The statement editor in real Chromium: a text box that grows, Markdown shown on demand,
the library browsable from the citation step, and the preview's way back."""

import re

from playwright.sync_api import expect

from articles.models import Statement


def test_statement_box_grows_and_shows_formatted_markdown(live_server, demo_site, page):
    statement = Statement.objects.filter(
        section__article__slug="do-electrolyte-drinks-prevent-cramps", style="bullet"
    ).first()
    article = statement.section.article
    page.goto(live_server.url + "/desk/login/")
    page.get_by_label("Username").fill("author")
    page.get_by_label("Password").fill("vetted-author-demo")
    page.get_by_role("button", name=re.compile("Log in|Sign in")).click()
    page.goto(live_server.url + f"/desk/articles/{article.pk}/statements/{statement.pk}/")

    text = page.locator("#id_text")
    before = text.bounding_box()["height"]
    long_text = "Drink **to a plan** in the heat. " + "It keeps going and going. " * 30
    text.fill(long_text)
    after = text.bounding_box()["height"]
    assert after > before + 40
    # All of it shows: no scroll bar hides the end of the text.
    assert text.evaluate("el => el.scrollHeight <= el.clientHeight + 2")

    toggle = page.get_by_role("button", name="Show formatted").first
    toggle.click()
    preview = page.locator("#id_text-formatted")
    expect(preview).to_be_visible()
    expect(preview.locator("strong")).to_have_text("to a plan")
    expect(preview).not_to_contain_text("**")
    text.fill("Now `code` and <script>alert(1)</script>")
    expect(preview.locator("code")).to_have_text("code")
    expect(preview).to_contain_text("<script>alert(1)</script>")
    expect(preview.locator("script")).to_have_count(0)

    # The library is browsable from the citation step before typing anything.
    expect(page.get_by_role("heading", name="Recently added")).to_be_visible()
    expect(page.get_by_role("heading", name="Most cited")).to_be_visible()
    page.get_by_role("searchbox").fill("Schwellnus 2011")
    page.get_by_role("button", name="Find").click()
    expect(page.locator(".search-results")).to_contain_text("Ironman")

    page.goto(live_server.url + f"/desk/articles/{article.pk}/preview/")
    page.get_by_role("link", name="Back to the editor").click()
    expect(page).to_have_url(re.compile(rf"/desk/articles/{article.pk}/$"))
