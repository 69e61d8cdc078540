"""A board member who may not act on an article sees why, in the admin, in real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from reviews.models import BoardMember
from tests import factories

DEMO_SLUG = "foot-cramps-during-exercise"


def _sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()


def _conflicted_member(article: Article) -> BoardMember:
    member = factories.BoardMemberFactory(user__username="conflicted")
    member.conflicts.add(article.topic)
    return member


@pytest.mark.parametrize(
    ("who", "rule"),
    [
        ("conflict", "You declared a conflict of interest with the topic “Sports medicine”."),
        ("author", "You are an author of this article, so you cannot decide on it."),
    ],
)
def test_member_who_cannot_act_sees_the_rule(live_server, demo_site, page, who, rule):
    article = Article.objects.get(slug=DEMO_SLUG)
    if who == "conflict":
        member = _conflicted_member(article)
    else:
        member = factories.BoardMemberFactory(user__username="board-author")
        article.authors.add(member.user)
    _sign_in(page, live_server, member.user.username, factories.PASSWORD)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")

    # Shown above the form and again beside its save buttons.
    reason = page.get_by_role("note").filter(has_text="You cannot decide on this article").first
    expect(reason).to_be_visible()
    expect(reason).to_contain_text(rule)
    expect(page.get_by_role("group", name="Review workflow")).to_have_count(0)
    expect(page.get_by_role("link", name="Start review", exact=True)).to_have_count(0)

    # The step's own URL, typed in directly, refuses and names the same rule.
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/transition/start_review/")
    expect(page.locator("#content")).to_contain_text(rule)
    expect(page.locator("#content")).not_to_contain_text(re.compile("either .* or", re.I))
    article.refresh_from_db()
    assert article.status == Article.Status.SUBMITTED


def test_member_who_may_act_sees_weighted_buttons_and_no_reason(live_server, demo_site, page):
    _sign_in(page, live_server, "okafor", "vetted-board-demo")
    article = Article.objects.get(slug=DEMO_SLUG)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator(".vetted-workflow-reason")).to_have_count(0)
    start = page.get_by_role("link", name="Start review").first
    expect(start).to_be_visible()
    looks = start.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return [s.backgroundColor, s.color, s.textDecorationLine, s.paddingTop]; }"
    )
    # A filled green button, white text, not an underlined link.
    assert looks[0] == "rgb(20, 108, 67)" and looks[1] == "rgb(255, 255, 255)"
    assert looks[2] == "none" and float(looks[3].removesuffix("px")) >= 6
