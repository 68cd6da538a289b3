"""Readers' own controls in Debian's chromium against the served demo, at 1280 and 390 px: a
signed-in reader ignores the demo's troll from a comment's menu and their comments collapse
(on the page every reader shares from the cache), shows one anyway, follows the discussion,
then stops ignoring from the discussion settings page and the comments are back."""

import json

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "a quiet reservoir 2031"
TROLL = "Gale Force"
COLLAPSED = "Comment by an ignored commenter"


def _reader(running_site, username: str) -> str:
    """A reader with a verified address; returns the lead story's address."""
    email = f"{username}@example.org"
    output = running_site.shell(
        "import json; from allauth.account.models import EmailAddress; "
        "from django.contrib.auth import get_user_model; "
        "from newsdesk.demo.discussion import lead_story_find; "
        f"u = get_user_model().objects.create_user('{username}', '{email}', '{PASSWORD}'); "
        f"EmailAddress.objects.create(user=u, email='{email}', verified=True, primary=True); "
        "print(json.dumps(lead_story_find().url))"
    )
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.parametrize("width", [1280, 390])
def test_a_reader_ignores_the_troll_follows_and_stops_ignoring(running_site, browser, width):
    username = f"calm_reader_{width}"
    article_url = running_site.url + _reader(running_site, username)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(running_site.url + "/accounts/login/")
    page.locator("#id_login").fill(f"{username}@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(article_url)
    troll = page.locator(
        "li.comment", has=page.locator(":scope > .comment__item .comment__author", has_text=TROLL)
    )
    expect(troll).to_have_count(2)
    expect(troll.locator(".comment__body").first).to_be_visible()
    # No "Ignore" under one's own comments or the staff's; under the troll's, yes.
    ignore = troll.first.locator('[data-js="ignore"]')
    expect(ignore).to_have_accessible_name(f"Ignore {TROLL}")
    ignore.scroll_into_view_if_needed()
    ignore.click()

    status = page.locator('[data-role="controls-status"]')
    expect(status).to_contain_text(f"You ignore {TROLL}")
    for n in range(2):
        expect(troll.nth(n).locator(':scope > [data-role="ignored"]')).to_contain_text(COLLAPSED)
        expect(troll.nth(n).locator(":scope > .comment__item")).to_be_hidden()
    # Another reader's comments stay as they were.
    expect(page.locator('[data-role="ignored"]')).to_have_count(2)

    # Shown once on request, and collapsed again on the next visit.
    troll.first.locator('[data-role="ignored"] button').click()
    expect(troll.first.locator(":scope > .comment__item")).to_be_visible()
    page.reload()
    expect(page.locator('[data-role="ignored"]')).to_have_count(2)

    follow = page.locator('[data-js="follow"]')
    expect(follow).to_have_text("Follow this discussion")
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "true")
    expect(follow).to_have_text("Following this discussion")

    page.goto(running_site.url + "/accounts/email/")
    page.locator('[data-part="discussion-link"]').click()
    page.wait_for_url(lambda url: url.endswith("/accounts/discussion/"))
    expect(page.locator('[data-part="followed"]')).to_contain_text("Unfollow")
    page.get_by_role("radio", name="Once a day, in one e-mail").check()
    page.locator('[data-part="frequency"] button[type=submit]').click()
    expect(page.get_by_role("radio", name="Once a day, in one e-mail")).to_be_checked()
    page.get_by_role("button", name=f"Stop ignoring {TROLL}").click()
    expect(page.locator('[data-part="ignored-empty"]')).to_be_visible()

    page.goto(article_url)
    expect(troll.first.locator('[data-js="ignore"]')).to_be_visible()
    expect(page.locator('[data-role="ignored"]')).to_have_count(0)
    expect(troll.first.locator(":scope > .comment__item")).to_be_visible()
    assert errors == []
    context.close()


def test_a_guest_gets_no_controls_on_the_shared_page(running_site, browser):
    article_url = running_site.url + _reader(running_site, "unused_reader")
    page = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    page.goto(article_url)
    expect(page.locator("li.comment[data-commenter]").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    expect(page.locator('[data-js="ignore"]')).to_have_count(0)
    expect(page.locator('[data-js="follow"]')).to_have_count(0)
