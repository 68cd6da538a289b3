"""The front page's "Most discussed" in Debian's chromium against the served demo, at 1280
and 390 px: the reader sees the week's most discussed stories (the demo's thread on the lead
story among them), the list agrees with the count API an embed would call, and a click
opens the story."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_reader_opens_a_story_from_most_discussed(running_site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(running_site.url + "/")
        block = page.locator('[data-part="most-discussed"]')
        expect(block.get_by_role("heading", name="Most discussed")).to_be_visible()
        items = block.locator("li")
        assert 1 <= items.count() <= 5
        first = items.first.get_by_role("link")
        expect(first).to_be_visible()
        headline = first.inner_text().strip()
        # The lead story carries the demo's thread: it is listed, and what an embed would
        # ask of the count API (all its published comments) is at least the week's.
        lead_card = page.locator('[data-part="lead-story"] article.card')
        lead = lead_card.locator(".card__title a").inner_text().strip()
        listed = block.locator("li", has_text=lead)
        expect(listed).to_have_count(1)
        week = int(re.search(r"(\d+) comments? this week", listed.inner_text()).group(1))
        article_id = lead_card.get_attribute("data-article-id")
        answer = page.evaluate(
            "async id => (await fetch('/api/comment-counts?articles=' + id)).json()", article_id
        )
        assert answer["counts"][article_id] >= week > 0

        first.click()
        page.wait_for_load_state()
        assert page.locator("h1").first.inner_text().strip() == headline
        assert not errors, errors
    finally:
        context.close()
