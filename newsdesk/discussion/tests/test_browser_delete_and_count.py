"""A reader's small touches, in Debian's chromium against the served demo, at 1280 and 390
pixels: the comment count follows a post; deleting one's comment asks first and says it is
done, with the page's script (in place) and without it (on a page of its own)."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.support.servers import RunningSite

pytestmark = pytest.mark.browser
HUMAN_PAUSE_MS = 3500  # the gate holds forms sent faster than a person types


@pytest.fixture(scope="module")
def site():
    # Several posts from one address in a few minutes: limits that would hold the later ones
    # (and leave the count unchanged, rightly) are raised for this site.
    served = RunningSite(
        extra_env={"MODERATION_POSTING_RATE_LIMIT": "100", "DISCUSSION_POSTS_PER_IP": "100"}
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


def _context(browser, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def _post_as_guest(page, *, name: str, text: str) -> int:
    form = page.locator("#comment-form")
    form.locator("#comment-form-name").fill(name)
    form.locator("textarea").fill(text)
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    form.get_by_role("button", name="Post comment").click()
    item = page.locator("li.comment", has=page.locator(".comment__body", has_text=text))
    item.wait_for()
    return int(item.get_attribute("data-comment-id"))


@pytest.mark.parametrize("width", [1280, 390])
def test_the_count_follows_a_post_and_deleting_asks_in_place(site, article_url, browser, width):
    context, page, errors = _context(browser, width)
    page.goto(article_url)
    count = page.locator("#discussion [data-role=count]")
    before = int(count.get_attribute("data-count"))
    assert count.inner_text() == f"{before} comments"
    page.evaluate("window.__noReload = true")

    text = f"At {width} pixels: the lock keepers' logbook settles the question."
    own = _post_as_guest(page, name=f"Tester {width}", text=text)
    comment = page.locator(f"#c{own}")
    expect(comment.locator("[data-role=pending]")).to_have_count(0)  # published, so counted
    expect(count).to_have_text(f"{before + 1} comments")

    # "Delete" asks first; "Keep it" keeps it.
    delete = comment.locator(".comment__delete button")
    delete.click()
    ask = comment.locator("[data-role=delete-confirm]")
    expect(ask).to_contain_text("Delete this comment?")
    expect(ask.get_by_role("button", name="Delete it")).to_be_focused()
    expect(delete).to_be_hidden()  # the question takes the button's place
    for button in ask.get_by_role("button").all():
        assert button.bounding_box()["height"] >= 44
    ask.get_by_role("button", name="Keep it").click()
    expect(ask).to_have_count(0)
    expect(comment.locator(".comment__body")).to_have_text(text)
    expect(delete).to_be_focused()

    # Asked again and confirmed: deleted through the API, said so, the count goes back.
    delete.click()
    comment.locator("[data-role=delete-confirm]").get_by_role("button", name="Delete it").click()
    notice = page.locator("[data-role=deleted-notice]")
    expect(notice).to_have_text("Your comment is deleted.")
    expect(page.locator(f"#c{own}")).to_have_count(0)  # no replies: nothing of it is left
    expect(count).to_have_text(f"{before} comments")
    assert page.evaluate("window.__noReload") is True

    # The server agrees.
    page.reload()
    expect(count).to_have_text(f"{before} comments")
    assert text not in page.content()
    context.close()
    assert not errors, errors


@pytest.mark.parametrize("width", [1280, 390])
def test_without_javascript_deleting_asks_on_its_own_page(site, article_url, browser, width):
    context, page, errors = _context(browser, width)
    page.goto(article_url)
    text = f"Without a script at {width} pixels: the gauges were read twice a day."
    own = _post_as_guest(page, name=f"Plain {width}", text=text)
    plain_context, plain, _ = _context(
        browser, width, java_script_enabled=False, storage_state=context.storage_state()
    )
    plain.goto(article_url)
    plain.locator(f"#c{own} .comment__delete button").click()
    plain.wait_for_url(re.compile(rf".*/comments/{own}/delete/\??$"))
    expect(plain.get_by_role("heading", name="Delete this comment?")).to_be_visible()
    expect(plain.locator("main blockquote")).to_contain_text(text)
    # "Keep it" goes back to the comment, which is still there.
    plain.get_by_role("link", name="Keep it").click()
    plain.wait_for_url(re.compile(rf".*#c{own}$"))
    expect(plain.locator(f"#c{own} .comment__body")).to_have_text(text)

    plain.locator(f"#c{own} .comment__delete button").click()
    plain.get_by_role("button", name="Delete it").click()
    plain.wait_for_url(re.compile(r".*#discussion$"))
    expect(plain.locator(".messages")).to_contain_text("Your comment is deleted.")
    expect(plain.locator(f"#c{own}")).to_have_count(0)
    assert text not in plain.content()
    plain_context.close()
    context.close()
    assert not errors, errors
