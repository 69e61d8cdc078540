"""An author drafts, cites, previews and submits an article in real Chromium; the board sees it."""

import re
from pathlib import Path

from playwright.sync_api import expect

from articles.models import Article
from tests import factories

RIS_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "desk" / "three-references.ris"
QUESTION = "Why do my calves cramp during long runs?"


def _section(page, heading: str):
    return page.locator(".evidence-section-card").filter(
        has=page.get_by_role("heading", name=re.compile(re.escape(heading)))
    )


def _add_statement(page, heading: str, style: str, text: str) -> None:
    adder = _section(page, heading).locator(".add-statement")
    adder.get_by_label("Style").select_option(label=style)
    adder.get_by_label("Text").fill(text)
    adder.get_by_role("button", name="Add statement").click()
    expect(page.locator(".alert-success")).to_contain_text("Statement added")


def _cite(page, statement_text: str, query: str) -> None:
    row = page.locator(".statement-row").filter(has_text=statement_text)
    row.get_by_role("link", name=re.compile("Edit & cite")).click()
    page.get_by_role("searchbox").fill(query)
    page.get_by_role("button", name="Find").click()
    page.locator(".search-result").first.get_by_role("button", name=re.compile("^Cite")).click()
    expect(page.locator(".alert-success")).to_contain_text("Citation added")
    expect(page.locator("li.citation")).to_have_count(1)
    page.get_by_role("link", name=re.compile(re.escape(QUESTION))).click()


def test_author_drafts_imports_cites_previews_and_submits(live_server, page, transactional_db):
    from articles.roles import roles_ensure

    roles_ensure()
    factories.default_audiences()
    factories.default_section_kinds()
    factories.TopicFactory(name="Sports medicine", slug="sports-medicine")
    author = factories.AuthorFactory(username="writer", first_name="Ana", last_name="Writer")
    member = factories.BoardMemberFactory(user__username="reviewer")
    page.on("pageerror", lambda error: (_ for _ in ()).throw(AssertionError(str(error))))

    # 1. The author logs in at the desk (authors are not staff, so not at the admin).
    page.goto(live_server.url + "/desk/")
    expect(page).to_have_url(re.compile(r"/desk/login/"))
    page.get_by_label("Username").fill(author.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My articles", exact=True)).to_be_visible()

    # 2. A new article with two sections and four statements.
    page.get_by_role("link", name="New article").first.click()
    page.get_by_label("Question").fill(QUESTION)
    page.get_by_label("Topic").select_option(label="Sports medicine")
    page.get_by_label("Summary").fill("Mostly **fatigue** of the working muscle; rarely salt.")
    page.get_by_role("button", name="Create article").click()
    expect(page.locator(".status-badge").first).to_have_text("Draft")
    for kind in ("Guidelines", "Research"):
        adder = page.locator("#add-section")
        adder.get_by_label("Kind").select_option(label=kind)
        adder.get_by_role("button", name="Add section").click()
        expect(page.locator(".alert-success")).to_contain_text("Section added")
    _add_statement(
        page,
        "From the Guidelines",
        "Paragraph",
        "Sports bodies advise drinking to thirst during prolonged exercise.",
    )
    _add_statement(
        page,
        "From the Guidelines",
        "Bullet",
        "Sodium-containing drinks can help in long events in the heat.",
    )
    _add_statement(
        page,
        "From the Research",
        "Bullet",
        "Cramps start in fatigued muscles that keep contracting.",
    )
    _add_statement(
        page, "From the Research", "Bullet", "Dehydration alone does not explain most cramps."
    )
    expect(page.locator(".statement-row")).to_have_count(4)

    # 3. Three references arrive from a RIS file: preview, then confirm.
    page.get_by_role("link", name="Import references").first.click()
    page.get_by_label("Reference file").set_input_files(str(RIS_FILE))
    page.get_by_role("button", name="Preview import").click()
    expect(page.locator(".preview-new")).to_have_count(3)
    page.get_by_role("button", name="Import 3 new references").click()
    # The import runs as a task (in-process here); its page shows the result.
    expect(page.locator(".import-result .import-created")).to_have_text("3")
    page.get_by_role("link", name="Go to the reference library").click()
    expect(page.locator(".reference-row")).to_have_count(3)

    # 4. Cite three statements; one bullet is left uncited on purpose.
    page.goto(live_server.url + "/desk/")
    page.get_by_role("link", name=QUESTION).click()
    _cite(page, "drinking to thirst", "Exercise and fluid replacement")
    _cite(page, "Sodium-containing drinks", "10.1249/mss.0b013e31802ca597")
    _cite(page, "fatigued muscles", "fasciculations")

    # 5. The preview renders like the public page, with the Preview banner.
    page.get_by_role("link", name="Preview").click()
    expect(page.locator(".preview-banner")).to_contain_text("Preview")
    expect(page.locator("h1")).to_have_text(QUESTION)
    expect(page.get_by_role("heading", name="From the Research")).to_be_visible()
    expect(page.locator("sup.cite")).to_have_count(3)
    expect(page.locator(".reference-list .reference")).to_have_count(2)
    page.go_back()

    # 6. Submitting is refused once: the uncited bullet is listed with a link to it.
    page.get_by_role("button", name="Submit for review").click()
    problems = page.locator(".submission-problems")
    expect(problems).to_contain_text("Statement 2 in “From the Research” has no citation")
    problems.get_by_role("link", name=re.compile("Statement 2")).click()
    expect(page).to_have_url(re.compile(r"#statement-\d+$"))

    # 7. The author fixes it.
    _cite(page, "Dehydration alone", "altered neuromuscular control")

    # 8. The second submission goes through and the content becomes read-only.
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".alert-success")).to_contain_text("Submitted")
    expect(page.locator(".status-badge").first).to_have_text("Submitted")
    expect(page.locator(".read-only-notice")).to_be_visible()
    assert Article.objects.get(title=QUESTION).status == Article.Status.SUBMITTED

    # The article is now in the board's admin queue.
    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(member.user.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/admin/articles/article/")
    row = page.locator("#result_list tr").filter(has_text=QUESTION)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Submitted")
    page.get_by_role("link", name="Awaiting my review").click()
    expect(page.locator("#result_list tr").filter(has_text=QUESTION)).to_have_count(1)


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def test_desk_pages_have_no_serious_accessibility_violations(
    live_server, browser, transactional_db
):
    from articles.roles import roles_ensure

    roles_ensure()
    factories.default_audiences()
    author = factories.AuthorFactory()
    article = factories.article_with_evidence(authors=[author])
    statement = article.sections.first().statements.first()
    reference = statement.citations.first().reference
    # axe is injected as a script, which the desk's CSP rightly forbids; bypass it for the audit.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/desk/login/")
    page.get_by_label("Username").fill(author.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    paths = [
        "/desk/",
        f"/desk/articles/{article.pk}/",
        f"/desk/articles/{article.pk}/statements/{statement.pk}/?q=trial",
        "/desk/articles/new/",
        "/desk/references/",
        f"/desk/references/{reference.pk}/",
        "/desk/references/import/",
    ]
    failures = {}
    for path in paths:
        page.goto(live_server.url + path)
        page.add_script_tag(path=str(AXE))
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            failures[path] = serious
    context.close()
    assert failures == {}
