"""Live threads in Debian's chromium against the served demo, at 1280 and 390 pixels: reader
A has the lead story open; B posts through the real site; A is offered "1 new comment — show"
and shows it without a reload; B then replies to A's own comment and A is told "B replied to
you". The site polls every second here (15 s by default)."""

import json

import pytest
from playwright.sync_api import expect

from tests.support.servers import RunningSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HUMAN_PAUSE_MS = 3500  # the gate holds forms sent faster than a person types
WAIT_MS = 20_000  # a few polls


@pytest.fixture(scope="module")
def site():
    # Its own site: several posts from 127.0.0.1 within minutes, and a poll every second.
    served = RunningSite(
        extra_env={
            "DISCUSSION_LIVE_POLL_SECONDS": "1",
            "MODERATION_POSTING_RATE_LIMIT": "100",
            "DISCUSSION_POSTS_PER_IP": "100",
        }
    ).start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def article_url(site) -> str:
    output = site.shell(
        "import json; from newsdesk.demo.discussion import lead_story_find; "
        "print(json.dumps(lead_story_find().url))"
    )
    return site.url + json.loads(output.strip().splitlines()[-1])


def _context(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def _post(page, form, *, name: str, text: str) -> int:
    form.locator('input[name="name"]').fill(name)
    form.locator("textarea").fill(text)
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    form.get_by_role("button", name="Post comment").click()
    # The comment's own item (not its parent's, which holds it among its replies).
    item = page.locator(".comment__body", has_text=text).locator("xpath=ancestor::li[1]")
    item.wait_for()
    return int(item.get_attribute("data-comment-id"))


@pytest.mark.parametrize("width", [1280, 390])
def test_a_reader_sees_new_comments_and_a_reply_to_their_own_without_reloading(
    site, article_url, browser, width
):
    reader_a, page_a, errors_a = _context(browser, width)
    reader_b, page_b, errors_b = _context(browser, width)
    page_a.goto(article_url)
    page_a.evaluate("window.__noReload = true")
    live = page_a.locator("#discussion [data-role=live]")
    status = live.locator("[data-role=live-status]")
    show = live.get_by_role("button", name="show")
    count = page_a.locator("#discussion [data-role=count]")
    before = int(count.get_attribute("data-count"))
    expect(show).to_be_hidden()

    # B posts through the real site; A is offered it.
    page_b.goto(article_url)
    text_b = f"At {width} pixels: the weir's new gate opened an hour early."
    from_b = _post(page_b, page_b.locator("#comment-form"), name=f"Bea {width}", text=text_b)
    expect(status).to_have_text("1 new comment —", timeout=WAIT_MS)
    expect(show).to_have_text("show")
    expect(show).to_be_visible()
    assert show.bounding_box()["height"] >= 44
    assert page_a.locator(f"#c{from_b}").count() == 0

    show.click()
    shown = page_a.locator(f"#c{from_b}")
    expect(shown.locator(".comment__body")).to_have_text(text_b)
    expect(shown.locator(":scope > .comment__item")).to_be_focused()
    expect(status).to_have_text("1 new comment shown.")
    expect(show).to_be_hidden()
    expect(count).to_have_text(f"{before + 1} comments")

    # A posts; B replies to A's comment; A is told by name, and shows it in place.
    text_a = f"At {width} pixels: which gate, the upstream one?"
    own = _post(page_a, page_a.locator("#comment-form"), name=f"Ari {width}", text=text_a)
    page_b.reload()
    page_b.locator(f'#c{own} a[data-js="reply"]').click()
    reply_form = page_b.locator(f"#reply-form-{own}")
    text_reply = f"At {width} pixels: the upstream one, by the mill."
    reply = _post(page_b, reply_form, name=f"Bea {width}", text=text_reply)
    expect(status).to_have_text(f"Bea {width} replied to you —", timeout=WAIT_MS)
    show.click()
    placed = page_a.locator(f"#c{own} > [data-role=replies] > #c{reply}")
    expect(placed.locator(".comment__body")).to_have_text(text_reply)
    expect(placed.locator(":scope > .comment__item")).to_be_focused()
    assert page_a.evaluate("window.__noReload") is True

    reader_a.close()
    reader_b.close()
    assert not errors_a, errors_a
    assert not errors_b, errors_b
