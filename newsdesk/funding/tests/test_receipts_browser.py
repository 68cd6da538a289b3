"""In a real browser against the served demo: a signed-in reader gives from an article with
the card fees covered, sees the fee and the total as they tick the box, pays with the demo
provider and downloads the receipt PDF from their account. Without script, the page says
the formula in words."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser
EMAIL = "fee.reader@example.org"
PASSWORD = "a wide estuary 2032"


def _reader_and_article(running_site) -> str:
    output = running_site.shell(
        "from allauth.account.models import EmailAddress; "
        "from django.contrib.auth import get_user_model; "
        "from newsdesk.demo.discussion import lead_story_find; "
        f"u = get_user_model().objects.create_user('fee_reader', '{EMAIL}', '{PASSWORD}'); "
        f"EmailAddress.objects.create(user=u, email='{EMAIL}', verified=True, primary=True); "
        "print(lead_story_find().pk)"
    )
    return output.strip().splitlines()[-1]


def test_a_reader_covers_the_fees_and_downloads_the_receipt(running_site, browser):
    article_id = _reader_and_article(running_site)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(running_site.url + "/accounts/login/")
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{running_site.url}/donate/?from={article_id}")
    fees = page.locator("[data-part=fees]")
    # $25 is chosen as the page opens: (25 + 0.30) / 0.971 = 26.06
    expect(fees.locator("[data-fee-amount]")).to_have_text("$1.06")
    expect(fees.locator("[data-fee-total]")).to_have_text("Total charged: $25.00")
    page.get_by_label("Or another amount (USD)").fill("40")
    expect(fees.locator("[data-fee-amount]")).to_have_text(
        "$1.51"
    )  # 40.30 / 0.971 = 41.5036 -> 41.51
    page.get_by_label(re.compile("to cover the card fees")).check()
    expect(fees.locator("[data-fee-total]")).to_have_text("Total charged: $41.51")
    page.get_by_label("E-mail for your receipt").fill(EMAIL)
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_url("**/donate/demo/**")
    expect(page.locator("[data-part=demo-total]")).to_have_text("$41.51")
    page.get_by_role("button", name="Complete the demo payment").click()
    page.wait_for_url("**/donate/thanks/**")

    found = running_site.shell(
        "from newsdesk.funding.models import Donation; "
        f"d = Donation.objects.filter(donor_email='{EMAIL}', kind='payment').latest('pk'); "
        "f = d.reversals.get(kind='fee_cover'); "
        "print(d.pk, d.amount, f.amount, d.source_page_id)"
    )
    donation_id, amount, fee, source = found.strip().splitlines()[-1].split()
    assert (amount, fee, source) == ("40.00", "1.51", article_id)

    response = context.request.get(f"{running_site.url}/account/receipts/{donation_id}.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(io.BytesIO(response.body())).pages
    )
    assert "Gift $40.00" in text and "Card fees you covered $1.51" in text
    assert "Total charged $41.51" in text and "no money moved" in text
    # Someone else's browser gets nothing.
    other = browser.new_context()
    stranger = other.request.get(
        f"{running_site.url}/account/receipts/{donation_id}.pdf", max_redirects=0
    )
    assert stranger.status == 302
    other.close()
    assert errors == []
    context.close()


def test_without_script_the_page_says_the_formula(running_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(running_site.url + "/donate/")
    formula = page.locator("[data-fee-formula]")
    expect(formula).to_be_visible()
    expect(formula).to_contain_text("2.9%")
    expect(formula).to_contain_text("$0.30")
    context.close()
