"""Sign-in by e-mail alone, in Debian's chromium against the served demo: the demo's guest
(``demo/reader_accounts.py``: she commented and gave as a guest, with no account) asks the
sign-in page for a code, reads it from the e-mail (the test SMTP server), enters it, and
lands on her new account, where her past comment and gift are hers."""

import re
import time

import pytest
from playwright.sync_api import expect

from newsdesk.demo.reader_accounts import GUEST_EMAIL

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "mobile": 390}
CODE = re.compile(r"browser window\.\s+([A-Z0-9]{4}-?[A-Z0-9]{4})\s")


def _code(site, address: str, *, after: int) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for message in site.sent_mail()[after:]:
            if f"To: {address}" in message and CODE.search(message):
                return CODE.search(message).group(1)
        time.sleep(0.3)
    raise AssertionError(f"no sign-in code e-mailed to {address}")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_guest_donor_signs_in_by_code_and_finds_their_comments_and_gifts(
    running_site, browser, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(running_site.url + "/accounts/login/")
    offer = page.locator('[data-part="sign-in-by-code"] a', has_text="E-mail me a sign-in code")
    expect(offer).to_be_visible()
    mails_before = len(running_site.sent_mail())
    offer.click()
    page.wait_for_url(re.compile(r"/accounts/login/code/$"))
    page.locator("#id_email").fill(GUEST_EMAIL)
    page.locator("form:has(#id_email) [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))

    page.locator("#id_code").fill(_code(running_site, GUEST_EMAIL, after=mails_before))
    page.locator("form:has(#id_code) button[type=submit]:not([form])").click()
    page.wait_for_url(re.compile(r"/account/$"))

    expect(page.locator('[data-part="display-name"]')).to_have_text("Rosa from the lock")
    expect(page.locator('[data-part="addresses"]')).to_contain_text(GUEST_EMAIL)
    expect(page.locator('[data-part="comments-summary"]')).to_contain_text(
        re.compile(r"\b1 comment\b")
    )
    expect(page.locator('[data-part="giving-summary"]')).to_contain_text(re.compile(r"\b1 gift\b"))
    expect(page.locator('nav.account-nav a[aria-current="page"]')).to_have_text("Your account")

    page.locator('[data-part="comments-summary"] a[data-part="comments-link"]').click()
    page.wait_for_url(re.compile(r"/accounts/comments/"))
    expect(page.locator("main")).to_contain_text("Boats have been waiting two days")
    assert errors == []
    context.close()
