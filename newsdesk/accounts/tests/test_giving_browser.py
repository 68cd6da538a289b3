"""End to end, in Debian's chromium against the served demo (gunicorn + the worker): a
monthly donor on ``/account/giving/`` changes the amount, changes the card on the demo
card page, pauses, resumes and stops the gift; each change shows once its event landed."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import axe_violations, blocking, violations_text

pytestmark = pytest.mark.browser
EMAIL = "gale.giving@example.org"
PASSWORD = "a steady monthly river 2031"


def _donor_with_a_monthly_gift(running_site) -> str:
    """A reader with a verified address and a demo monthly gift of 15 $; its id."""
    output = running_site.shell(
        "import uuid\n"
        "from decimal import Decimal\n"
        "from allauth.account.models import EmailAddress\n"
        "from django.contrib.auth import get_user_model\n"
        "from newsdesk.funding.models import RecurringGift\n"
        "from newsdesk.funding.selectors import campaign_current\n"
        "from newsdesk.funding.services.checkout import GiftRequest, demo_checkout_complete\n"
        f"u = get_user_model().objects.create_user('gale_gives', '{EMAIL}', '{PASSWORD}')\n"
        f"EmailAddress.objects.create(user=u, email='{EMAIL}', verified=True, primary=True)\n"
        "c = campaign_current()\n"
        "key = uuid.uuid4().hex\n"
        "demo_checkout_complete(gift=GiftRequest(campaign_id=c.pk, amount=Decimal('15'), "
        f"currency=c.currency, monthly=True, email='{EMAIL}', donor_name='Gale', message='', "
        "attempt_key=key))\n"
        "sub = 'sub_demo_' + uuid.uuid5(uuid.NAMESPACE_URL, 'newsdesk-demo:' + key).hex\n"
        "from newsdesk.funding.services.giving_links import recurring_gift_manage_path\n"
        "g = RecurringGift.objects.get(subscription_id=sub)\n"
        "print(g.pk, recurring_gift_manage_path(gift=g))\n"
    )
    return output.strip().splitlines()[-1]


def assert_accessible(page, where: str) -> None:
    """axe-core on the page's address, in a second tab of the same session (axe's script
    is not the site's: its evaluation must not count as the page's own errors)."""
    checker = page.context.new_page()
    try:
        checker.goto(page.url)
        checker.wait_for_load_state("networkidle")
        found = blocking(axe_violations(checker))
    finally:
        checker.close()
    assert not found, "\n" + violations_text(found, where=where)


def test_a_donor_manages_a_monthly_gift(running_site, page):
    gift_id, manage_path = _donor_with_a_monthly_gift(running_site).split()
    page.goto(running_site.url + "/accounts/login/")
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(running_site.url + "/account/giving/")
    gift = page.locator(f"[data-part=monthly-gift][data-gift-id='{gift_id}']")
    expect(gift.locator("[data-role=amount]")).to_have_text("$15.00")
    expect(gift.locator("[data-role=state]")).to_have_text("Running")
    expect(page.locator("[data-role=gifts]")).to_contain_text("Monthly")
    expect(page.locator("[data-role=receipt]").first).to_have_text(re.compile("Receipt \\(PDF\\)"))
    assert_accessible(page, "/account/giving/")

    gift.get_by_label("New monthly amount (USD)").fill("18")
    gift.get_by_role("button", name="Change the amount").click()
    expect(page.locator(".messages")).to_contain_text("You asked to change your monthly gift")
    expect(page.locator(".messages")).to_contain_text("Done")
    expect(gift.locator("[data-role=amount]")).to_have_text("$18.00")

    gift.get_by_role("button", name="Change the card").click()
    page.wait_for_url("**/donate/card/**")
    expect(page.get_by_text("This is a demo.")).to_be_visible()
    assert_accessible(page, "the demo card page")
    page.get_by_label("Mastercard ending 4444").check()
    page.get_by_label("Expiry month").fill("4")
    page.get_by_label("Expiry year").fill("2032")
    page.get_by_role("button", name="Save the demo card").click()
    page.wait_for_url("**/account/giving/")
    expect(gift.locator("[data-role=card]")).to_have_text("Mastercard ending 4444, expires 04/2032")

    gift.get_by_role("button", name="Pause the gift").click()
    expect(page.locator(".messages")).to_contain_text("You asked to pause your monthly gift")
    expect(gift.locator("[data-role=state]")).to_contain_text("Paused")

    gift.get_by_role("button", name="Resume the gift").click()
    expect(page.locator(".messages")).to_contain_text("You asked to resume your monthly gift")
    expect(gift.locator("[data-role=state]")).to_have_text("Running")
    expect(gift.locator("[data-role=amount]")).to_have_text("$18.00")

    gift.get_by_role("button", name="Stop the gift").click()
    expect(page.locator(".messages")).to_contain_text("You asked to stop your monthly gift")
    expect(gift.locator("[data-role=state]")).to_contain_text("Stopped")
    expect(gift.get_by_role("button", name="Pause the gift")).to_have_count(0)

    # The link of the lifecycle e-mails opens the same gift without signing in.
    page.context.clear_cookies()
    page.goto(running_site.url + manage_path)
    expect(page.locator("[data-part=monthly-gift] [data-role=state]")).to_contain_text("Stopped")
    assert_accessible(page, "the manage page")
