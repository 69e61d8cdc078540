"""axe-core in real Chromium on the public pages: no serious or critical violation."""

import json
from pathlib import Path

import pytest

from tests import factories

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/articles/foot-cramps-during-exercise/",
    "/articles/foot-cramps-during-exercise/?audience=professional",
    "/articles/approved-for-axe/",
    "/",
    "/search/?q=cramps",
    "/search/",
    "/board/",
    "/editorial-policy/",
    "/topics/sports-medicine/",
    "/articles/no-such-article/",
]


@pytest.fixture
def axe_page(browser):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}; run `npm ci` (make test does).")
    # The site's CSP forbids injected scripts, rightly; the audit context alone bypasses it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_accessibility_no_serious_violations(live_server, demo_site, axe_page, path):
    factories.article_publish(
        factories.article_with_evidence(slug="approved-for-axe", title="An approved answer?"),
        reviewers=[factories.BoardMemberFactory()],
    )
    axe_page.goto(live_server.url + path)
    axe_page.add_script_tag(path=str(AXE))
    results = axe_page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    serious = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], json.dumps(serious, indent=2)
    assert results["testEngine"]["name"] == "axe-core"
