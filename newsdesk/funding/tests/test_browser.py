"""What readers and treasurers click, in a real browser against the demo site."""

import re
import time
from pathlib import Path

import pytest

from newsdesk.demo.funding import CAMPAIGN_NAME

pytestmark = pytest.mark.browser


def raised_on_bar(page) -> str:
    return page.locator(".campaign-bar [data-raised]").first.inner_text()


def dollars(text: str) -> float:
    return float(re.sub(r"[^0-9.]", "", text))


def test_a_reader_donates_with_the_demo_provider_and_sees_the_bar_move(running_site, page):
    page.goto(running_site.url + "/")
    # The demo's campaign, on this site (not another test's site).
    assert CAMPAIGN_NAME in page.locator(".campaign-bar__name").inner_text()
    bar = page.get_by_role("progressbar")
    assert bar.get_attribute("aria-valuemax") == "4700"
    before = dollars(raised_on_bar(page))
    assert float(bar.get_attribute("aria-valuenow")) == before
    page.locator(".campaign-bar").get_by_role("link", name="Donate").click()

    page.wait_for_url("**/donate/")
    page.get_by_label("Or another amount (USD)").fill("40")
    page.get_by_label("E-mail for your receipt").fill("browser-reader@example.org")
    page.get_by_label("Name for the donor wall (optional)").fill("Browser Reader")
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_url("**/donate/demo/**")
    assert page.get_by_text("This is a demo.").is_visible()
    page.get_by_role("button", name="Complete the demo payment").click()
    page.wait_for_url("**/donate/thanks/**")

    page.goto(running_site.url + "/")
    assert dollars(raised_on_bar(page)) == before + 40
    assert float(page.get_by_role("progressbar").get_attribute("aria-valuenow")) == before + 40

    page.goto(running_site.url + "/donate/wall/")
    assert page.get_by_text("Browser Reader").is_visible()

    # The worker sends the receipt.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any("browser-reader@example.org" in m for m in running_site.sent_mail()):
            break
        time.sleep(0.5)
    receipts = [m for m in running_site.sent_mail() if "browser-reader@example.org" in m]
    assert receipts and "$40.00" in receipts[0]


def test_a_treasurer_signs_in_and_exports_the_donations_csv(running_site, page):
    running_site.shell(
        "from django.contrib.auth import get_user_model\n"
        "from django.contrib.auth.models import Group\n"
        "User = get_user_model()\n"
        "user = User.objects.filter(username='treasurer-e2e').first() or "
        "User.objects.create_user('treasurer-e2e', 'treasurer@staff.example', 'ledger-pass-1')\n"
        "user.groups.add(Group.objects.get(name='Treasurers'))\n"
    )
    page.goto(running_site.url + "/admin/login/")
    page.get_by_label("Username").fill("treasurer-e2e")
    page.get_by_label("Password").fill("ledger-pass-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(running_site.url + "/admin/")

    page.goto(running_site.url + "/admin/funding_donations/")
    assert page.get_by_role("heading", name="Donations").first.is_visible()
    page.locator("#w-slim-header-buttons").get_by_role("button", name="Actions").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8")
    header = text.splitlines()[0]
    assert "Amount" in header and "Provider reference" in header
    assert "demo-seed-001" in text  # the demo ledger's rows
    assert "250.00" in text
