"""A treasurer refunds part of a demo gift from its page in the admin, in a real browser at a
desktop's and a phone's width, and finds the monthly gifts in their own list."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

USERNAME = "treasurer-refunds"
PASSWORD = "refund-ledger-pass-1"


@pytest.fixture(scope="module")
def treasurer(running_site):
    running_site.shell(
        "from django.contrib.auth import get_user_model\n"
        "from django.contrib.auth.models import Group\n"
        "User = get_user_model()\n"
        f"user = User.objects.filter(username='{USERNAME}').first() or "
        f"User.objects.create_user('{USERNAME}', 'refunds@staff.example', '{PASSWORD}')\n"
        "user.groups.add(Group.objects.get(name='Treasurers'))\n"
    )
    return USERNAME


def refundable_gift(running_site) -> int:
    """A demo card gift nobody has refunded yet."""
    output = running_site.shell(
        "from newsdesk.funding.models import Donation\n"
        "gift = Donation.objects.filter(provider='demo', kind='payment', recurring=False)"
        ".exclude(payment_intent_id='').filter(refund_requests__isnull=True)"
        ".order_by('pk').first()\n"
        "print(gift.pk)\n"
    )
    return int(output.strip().splitlines()[-1])


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_a_treasurer_refunds_part_of_a_gift_from_its_page(
    running_site, browser, treasurer, width, height
):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(running_site.url + "/admin/login/")
        page.get_by_label("Username").fill(treasurer)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(running_site.url + "/admin/")

        gift = refundable_gift(running_site)
        page.goto(f"{running_site.url}/admin/funding_donations/inspect/{gift}/")
        expect(page.get_by_role("heading", name="Refund this gift")).to_be_visible()
        amount = page.get_by_label(re.compile(r"Amount to refund \(USD\)"))
        amount.fill("5")
        page.get_by_label("Reason").fill("The donor asked for five back")
        button = page.get_by_role("button", name="Refund", exact=True)
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        button.click()

        page.wait_for_url(re.compile(rf".*/admin/funding_donations/inspect/{gift}/$"))
        expect(page.get_by_text(re.compile(r"Refunded .*5\.00"))).to_be_visible()
        row = page.locator("[data-refund-status]").first
        expect(row).to_have_attribute("data-refund-status", "settled")
        expect(row).to_contain_text("The donor asked for five back")
        expect(row).to_contain_text(treasurer)

        # Asking for more than is left is refused on the page, and writes nothing.
        page.get_by_label(re.compile(r"Amount to refund")).fill("100000")
        page.get_by_label("Reason").fill("Too much")
        page.get_by_role("button", name="Refund", exact=True).click()
        expect(page.get_by_text("more than what is left of this gift")).to_be_visible()
        expect(page.locator("[data-refund-status]")).to_have_count(1)

        # The monthly gifts have their own list, reached from the menu.
        page.goto(running_site.url + "/admin/funding_monthly_gifts/")
        expect(page.get_by_role("columnheader", name="Next charge")).to_be_visible()
        expect(page.get_by_text("Sam & Robin")).to_be_visible()
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
