"""One identifier, in Debian's chromium against the served demo at both widths: a reader signs
up with an e-mail address and a password (no username asked), confirms the address from the
e-mail, and signs in again with the same address; the name shown is a neutral one."""

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "mobile": 390}
PASSWORD = "a lantern by the weir 77"
LINK = re.compile(r"(https?://\S+/accounts/confirm-email/\S+/)")


def _confirmation_link(site, address: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for message in site.sent_mail():
            if f"To: {address}" in message and LINK.search(message):
                assert "The Lantern" in message
                return LINK.search(message).group(1)
        time.sleep(0.3)
    raise AssertionError(f"no confirmation e-mail to {address}")


def _submit(page, field: str) -> None:
    page.locator(f"form:has({field}) [type=submit]").first.click()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_sign_up_with_email_and_password_then_sign_in_with_the_same_email(
    running_site, browser, width
):
    address = f"river.watcher.{width}@example.org"
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(running_site.url + "/accounts/signup/")
    expect(page.locator("#id_email")).to_be_visible()
    assert page.locator("input[name=username]").count() == 0
    page.locator("#id_email").fill(address)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    _submit(page, "#id_password1")
    page.wait_for_url(lambda url: "/accounts/signup/" not in url)

    page.goto(_confirmation_link(running_site, address))  # confirms and signs in
    page.goto(running_site.url + "/accounts/email/")
    signed_in_as = page.locator(".account-nav__who")
    expect(signed_in_as).to_contain_text(re.compile(r"reader-\d{6}"))
    assert "river.watcher" not in signed_in_as.inner_text()

    context.clear_cookies()
    page.goto(running_site.url + "/accounts/login/")
    expect(page.locator("#id_login")).to_be_visible()
    assert page.locator("input[name=username]").count() == 0
    assert page.locator("#id_login").get_attribute("type") == "email"
    page.locator("#id_login").fill(address)
    page.locator("#id_password").fill(PASSWORD)
    _submit(page, "#id_login")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(running_site.url + "/accounts/email/")
    expect(page.locator(".account-nav__who")).to_contain_text(re.compile(r"reader-\d{6}"))
    assert errors == []
    context.close()
