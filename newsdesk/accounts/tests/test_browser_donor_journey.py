"""A donor's whole path, in Debian's chromium against the served demo (gunicorn, the worker
and the test SMTP server): give monthly from an article with the fees covered, as a guest;
sign in by a code e-mailed to that address; change the amount and the card, pause, resume
and stop the gift; download the receipt and the year's statement. Every e-mail on the way is
read from the SMTP server: the receipt, the welcome, the sign-in code, the lifecycle receipt
of the next month's charge, each exactly once."""

import io
import re
import time
import uuid

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

CODE = re.compile(r"browser window\.\s+([A-Z0-9]{4}-?[A-Z0-9]{4})\s")


def _mails_to(site, address: str) -> list[str]:
    return [m for m in site.sent_mail() if f"To: {address}" in m]


def _wait_for_mail(site, address: str, pattern: str, *, count: int = 1) -> list[str]:
    """The mails to ``address`` whose text matches ``pattern``, once there are ``count``."""
    deadline = time.monotonic() + 60
    found: list[str] = []
    while time.monotonic() < deadline:
        found = [m for m in _mails_to(site, address) if re.search(pattern, m)]
        if len(found) >= count:
            return found
        time.sleep(0.3)
    raise AssertionError(f"{count} mail(s) matching {pattern!r} to {address}: got {len(found)}")


def _pdf_text(body: bytes) -> str:
    pages = PdfReader(io.BytesIO(body)).pages
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pages)


def _lead_story(site) -> tuple[str, str]:
    output = site.shell(
        "from newsdesk.demo.discussion import lead_story_find; "
        "a = lead_story_find(); print(a.pk, a.url)"
    )
    pk, url = output.strip().splitlines()[-1].split()
    return pk, url


def _next_month_is_charged(site, address: str) -> None:
    """The provider charges the gift's second month: the demo's ``invoice.paid``, as
    Stripe would send it, through the webhook's own path."""
    site.shell(
        "import json, time\n"
        "from newsdesk.funding.models import RecurringGift\n"
        "from newsdesk.funding.money import to_minor_units\n"
        "from newsdesk.funding.services.events import provider_event_process\n"
        f"g = RecurringGift.objects.get(donor_email='{address}')\n"
        "invoice = {'id': 'in_demo_month2_' + g.subscription_id, 'object': 'invoice',\n"
        "  'billing_reason': 'subscription_cycle', 'status': 'paid',\n"
        "  'amount_paid': to_minor_units(g.amount, currency=g.currency),\n"
        "  'currency': g.currency.lower(), 'customer_email': g.donor_email,\n"
        "  'payment_intent': 'pi_demo_month2_' + g.subscription_id,\n"
        "  'subscription': g.subscription_id}\n"
        "event = {'id': 'evt_demo_month2_' + g.subscription_id, 'object': 'event',\n"
        "  'type': 'invoice.paid', 'created': int(time.time()), 'livemode': False,\n"
        "  'data': {'object': invoice}}\n"
        "print(provider_event_process(provider='demo', payload=json.dumps(event)))\n"
    )


def test_a_donor_gives_monthly_signs_in_by_code_and_manages_the_gift(running_site, browser):
    address = f"journey-{uuid.uuid4().hex[:8]}@example.org"
    article_id, article_url = _lead_story(running_site)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # 1. From the article's ask to the donate page, which remembers the article.
    page.goto(running_site.url + article_url)
    ask = page.locator(f'a[href="/donate/?from={article_id}"]').first
    expect(ask).to_be_attached()
    page.goto(f"{running_site.url}/donate/?from={article_id}")

    # 2. Monthly, 20 $, fees covered: (20 + 0.30) / 0.971 = 20.91 -> a fee of 0.91.
    page.get_by_label("Every month").check()
    page.get_by_label("Or another amount (USD)").fill("20")
    page.get_by_label(re.compile("to cover the card fees")).check()
    expect(page.locator("[data-part=fees] [data-fee-total]")).to_have_text("Total charged: $20.91")
    page.get_by_label("E-mail for your receipt").fill(address)
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url("**/donate/demo/**")
    page.get_by_role("button", name="Complete the demo payment").click()
    page.wait_for_url("**/donate/thanks/**")

    # 3. The receipt (with the fee line) and the welcome, each once.
    (receipt,) = _wait_for_mail(running_site, address, r"Subject: Your monthly gift of")
    assert "$0.91" in receipt and "$20.91" in receipt
    (welcome,) = _wait_for_mail(running_site, address, r"Subject: Welcome, and thank you")
    assert "$20.91" in welcome and "/donate/manage/" in welcome and "The The" not in welcome

    # 4. Sign in by a code sent to that address: a new account, the gift already its own.
    page.goto(running_site.url + "/accounts/login/code/")
    page.locator("#id_email").fill(address)
    page.locator("form:has(#id_email) [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))
    (code_mail,) = _wait_for_mail(running_site, address, CODE.pattern)
    page.locator("#id_code").fill(CODE.search(code_mail).group(1))
    page.locator("form:has(#id_code) button[type=submit]:not([form])").click()
    page.wait_for_url(re.compile(r"/account/$"))
    expect(page.locator('[data-part="giving-summary"]')).to_contain_text(re.compile(r"\b1 gift\b"))

    # 5. Manage the monthly gift: each change shows once its event landed.
    page.goto(running_site.url + "/account/giving/")
    gift = page.locator("[data-part=monthly-gift]").first
    expect(gift.locator("[data-role=amount]")).to_have_text("$20.91")
    expect(gift.locator("[data-role=state]")).to_have_text("Running")

    # 25 $ a month, the fees still covered: (25 + 0.30) / 0.971 = 26.06 charged.
    gift.get_by_label("New monthly amount (USD)").fill("25")
    gift.get_by_role("button", name="Change the amount").click()
    expect(page.locator(".messages")).to_contain_text("You asked to change your monthly gift")
    expect(gift.locator("[data-role=amount]")).to_have_text("$26.06")

    gift.get_by_role("button", name="Change the card").click()
    page.wait_for_url("**/donate/card/**")
    page.get_by_label("Mastercard ending 4444").check()
    page.get_by_label("Expiry month").fill("9")
    page.get_by_label("Expiry year").fill("2031")
    page.get_by_role("button", name="Save the demo card").click()
    page.wait_for_url("**/account/giving/**")
    expect(gift.locator("[data-role=card]")).to_have_text("Mastercard ending 4444, expires 09/2031")

    gift.get_by_role("button", name="Pause the gift").click()
    expect(gift.locator("[data-role=state]")).to_contain_text("Paused")
    gift.get_by_role("button", name="Resume the gift").click()
    expect(gift.locator("[data-role=state]")).to_have_text("Running")

    # 6. The next month's charge brings the lifecycle receipt, not a second welcome.
    _next_month_is_charged(running_site, address)
    (monthly,) = _wait_for_mail(running_site, address, r"Subject: Your monthly gift to .*receipt")
    assert "$26.06" in monthly and "/donate/manage/" in monthly

    gift.get_by_role("button", name="Stop the gift").click()
    expect(gift.locator("[data-role=state]")).to_contain_text("Stopped")

    # 7. The receipts: the first gift's PDF, and the year's statement with both charges.
    page.reload()
    link = page.locator("[data-role=receipt]").last
    with page.expect_download() as receipt_download:
        link.click()
    with open(receipt_download.value.path(), "rb") as pdf:
        text = _pdf_text(pdf.read())
    assert "Gift $20.00" in text and "Card fees you covered $0.91" in text
    statement_link = page.locator("a[href*='/statement.pdf']").first
    response = context.request.get(running_site.url + statement_link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    statement = _pdf_text(response.body())
    assert "$20.00" in statement and "$25.00" in statement  # the two gifts
    assert "Card fees you covered in USD $1.97" in statement  # 0.91 + 1.06

    # 8. Nothing twice: one receipt, one welcome, one code, one monthly receipt.
    subjects = [
        re.search(r"^Subject: (.*)$", m, re.M).group(1) for m in _mails_to(running_site, address)
    ]
    assert len(subjects) == len(set(subjects)) == 4, subjects
    assert errors == []
    context.close()
