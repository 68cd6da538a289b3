"""End to end, in Debian's chromium against the served demo (gunicorn + the worker).

A guest and a signed-in reader each post, reply, see the nesting, edit, vote and follow a
permalink; the reply e-mail is sent by the worker. Forms wait a few seconds before they are
sent, as people do: the moderation gate holds forms sent faster than a person can type.
"""

import json
import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
HUMAN_PAUSE_MS = 3500


def _demo_facts(running_site) -> dict:
    """The lead story's address and the ids of some demo comments, from the site itself."""
    output = running_site.shell(
        "import json; from newsdesk.demo.discussion import lead_story_find; "
        "from newsdesk.discussion.models import Comment; "
        "ids = dict(Comment.objects.filter(source='demo').values_list('source_id', 'pk')); "
        "print(json.dumps({'url': lead_story_find().url, 'ids': ids}))"
    )
    return json.loads(output.strip().splitlines()[-1])


def _wait_for_mail(running_site, *needles: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in running_site.sent_mail():
            if all(needle in message for needle in needles):
                return message
        time.sleep(0.5)
    raise AssertionError(f"no e-mail containing {needles!r} was sent")


def _post(page, form, body: str) -> None:
    form.locator("textarea").fill(body)
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    form.locator("button[type=submit]").click()


def _new_comment_id(page, text: str) -> int:
    item = page.locator("li.comment", has=page.locator(".comment__body", has_text=text)).last
    item.wait_for()
    return int(item.get_attribute("data-comment-id"))


def _reader_flow(page, running_site, *, who: str, reply_to: int, vote_on: int) -> int:
    """Post, reply, check nesting, vote, edit and follow a permalink; return the comment id."""
    page.evaluate("window.__noReload = true")
    main_form = page.locator("#comment-form")
    _post(page, main_form, f"{who}: the minutes show how close the two sides came.")
    own = _new_comment_id(page, f"{who}: the minutes show")
    assert page.evaluate("window.__noReload") is True  # posted without a reload

    reply_link = page.locator(f"#c{reply_to} > .comment__item a[data-js=reply]")
    # Wait for the script to take the link over; a click before that follows the link to
    # the no-script reply page, as it should.
    expect(reply_link).to_have_attribute("data-bound", "1")
    reply_link.click()
    reply_form = page.locator(f"#c{reply_to} > form[data-js=comment-form]")
    _post(page, reply_form, f"{who} replying: the spillway keys were the sticking point.")
    nested = page.locator(f"#c{reply_to} > ol > li.comment", has_text=f"{who} replying")
    nested.wait_for()
    assert page.evaluate("window.__noReload") is True

    vote = page.locator(f"#c{vote_on} > .comment__item form[data-js=vote]")
    before = int(vote.locator("[data-role=upvotes]").inner_text())
    expect(vote).to_have_attribute("data-bound", "1")
    vote.locator("button[value=up]").click()
    # Playwright's expect, not wait_for_function: the page's CSP rightly forbids eval.
    expect(vote.locator("[data-role=upvotes]")).to_have_text(str(before + 1))
    assert page.evaluate("window.__noReload") is True

    page.locator(f"#c{own} > .comment__item a[data-js=edit]").click()
    page.locator("#edit-body").fill(f"{who}: the minutes show how close the sides came. *Edited*")
    page.locator("form.comment-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*#c{own}$"))
    edited = page.locator(f"#c{own} > .comment__item")
    assert edited.locator(".comment__edited").inner_text() == "edited"
    assert edited.locator(".comment__body em").inner_text() == "Edited"

    page.goto(page.url.split("#")[0].split("?")[0])
    page.locator(f"#c{reply_to} > .comment__item a.comment__permalink").click()
    page.wait_for_url(re.compile(rf".*#c{reply_to}$"))
    assert page.evaluate("location.hash") == f"#c{reply_to}"
    assert page.locator(f"#c{reply_to}").is_visible()
    return own


def test_guest_and_signed_in_reader_discuss_and_the_reply_email_is_sent(running_site, browser):
    facts = _demo_facts(running_site)
    article_url = running_site.url + facts["url"]
    treaty, hydrology, picture = (facts["ids"][key] for key in ("treaty", "hydrology", "picture"))

    guest_context = browser.new_context()
    guest = guest_context.new_page()
    errors = []
    guest.on("pageerror", lambda error: errors.append(str(error)))
    guest.goto(article_url)
    guest.locator("#comment-form-name").fill("Wren")
    guest.locator("#comment-form-email").fill("wren@example.org")
    guest.locator("#comment-form input[name=notify_replies]").check()
    guest_comment = _reader_flow(
        guest, running_site, who="Wren", reply_to=treaty, vote_on=hydrology
    )
    # The thread's shape is in the HTML: the picture comment, and a reply inside its parent.
    assert guest.locator(f"#c{picture} .comment__picture img").count() == 1
    assert guest.locator(f"#c{hydrology} li.comment li.comment").count() >= 2
    # Double opt-in: reply e-mails wait until the guest follows the link of the one
    # confirmation e-mail the worker sends.
    confirm = _wait_for_mail(running_site, "/discussion/confirm-email/", "To: wren@example.org")
    guest.goto(re.search(r"https?://\S+/discussion/confirm-email/\S+/", confirm).group(0))
    assert "confirmed" in guest.locator("main").inner_text()

    member_context = browser.new_context()
    member = member_context.new_page()
    member.on("pageerror", lambda error: errors.append(str(error)))
    member.goto(running_site.url + "/accounts/signup/")
    member.locator("#id_email").fill("ines.reader@example.org")
    member.locator("#id_password1").fill("river lock keeper 2024")
    member.locator("#id_password2").fill("river lock keeper 2024")
    member.locator("#id_public_name").fill("Ines of the Lock")
    member.locator("main form button[type=submit]").click()
    confirmation = _wait_for_mail(running_site, "ines.reader@example.org")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation).group(0)
    member.goto(link)
    member.goto(article_url)
    assert "Commenting as" in member.locator("#comment-form").inner_text()
    _reader_flow(member, running_site, who="Ines", reply_to=guest_comment, vote_on=treaty)

    reply_mail = _wait_for_mail(running_site, "/discussion/unsubscribe/", "To: wren@example.org")
    # Readers sign up with an e-mail address (the one identifier) and the name they choose
    # for their comments, which the reply e-mail gives; never the address.
    assert "Ines of the Lock replied" in reply_mail
    assert "/discussion/unsubscribe/" in reply_mail
    assert "ines.reader" not in reply_mail
    assert "ines.reader@example.org" not in member.content()
    guest_context.close()
    member_context.close()
    assert not errors, errors
