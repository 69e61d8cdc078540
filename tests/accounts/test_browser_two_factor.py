"""A board member sets up two-factor sign-in on first sign-in and signs in with a code later,
in real Chromium, with production's requirement on."""

import json
import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_accessibility import AXE

pytestmark = pytest.mark.browser


def app_code(key_text: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed from the set-up page."""
    key = b32decode(key_text.replace(" ", ""))
    return f"{totp(key, step=30, t0=-30 * steps_ahead, digits=6):06d}"


def sign_in(page, url: str, username: str) -> None:
    page.goto(url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_board_member_enrols_then_signs_in_with_a_code(live_server, roles, page, settings):
    settings.VETTED_REQUIRE_2FA = True
    factories.BoardMemberFactory(user__username="dr-two")
    sign_in(page, live_server.url, "dr-two")

    # First sign-in: set up the app before any admin page.
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    assert "/admin/" not in page.url.split("?")[0]
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    page.get_by_text("Cannot scan? Type the key instead").click()
    key = page.locator("#totp-key").inner_text()
    page.get_by_label("Code from the app").fill(app_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    # The backup codes, once, then on to the admin.
    expect(page.get_by_role("heading", name="Backup codes")).to_be_visible()
    expect(
        page.get_by_role("list", name="Your backup codes").get_by_role("listitem")
    ).to_have_count(10)
    page.get_by_role("link", name="I have saved them").click()
    expect(page.locator("#user-tools")).to_contain_text("Your sessions")

    # Later: the password, then the next code from the app.
    page.get_by_role("button", name="Log out").click()
    sign_in(page, live_server.url, "dr-two")
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    page.get_by_label("Code", exact=True).fill(app_code(key, 1))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#user-tools")).to_be_visible()
    assert page.url == live_server.url + "/admin/"


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_account_pages_have_no_serious_accessibility_violations(
    live_server, roles, browser, settings
):
    assert AXE.exists(), "axe-core is missing; run `npm ci` (make test does)."
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code, then the right one at once
    factories.AuthorFactory(username="writer")
    # The audit script is injected, which the site's CSP rightly forbids; bypass it here only.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    url = live_server.url
    page.goto(url + "/desk/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    audited = {}
    page.goto(url + "/account/two-factor/setup/")
    audited["setup"] = serious_violations(page)
    page.get_by_text("Cannot scan? Type the key instead").click()
    key = page.locator("#totp-key").inner_text()
    page.get_by_label("Code from the app").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    audited["setup with an error"] = serious_violations(page)
    page.goto(url + "/account/two-factor/setup/")
    page.get_by_label("Code from the app").fill(app_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Backup codes")).to_be_visible()
    audited["backup codes"] = serious_violations(page)
    for path in ("/account/two-factor/", "/account/sessions/"):
        page.goto(url + path)
        audited[path] = serious_violations(page)
    context.clear_cookies()
    page.goto(url + "/desk/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    audited["verify"] = serious_violations(page)
    context.close()
    assert audited == dict.fromkeys(audited, []), json.dumps(audited, indent=2)
