"""Donor covers the fees: the donate form's option, the charge, and the ledger's fee rows,
through the demo provider and through Stripe's signed webhook events."""

import re
import time
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail

from newsdesk.funding.fees import fee_for
from newsdesk.funding.models import CampaignTotal, Donation, RecurringGift
from newsdesk.funding.services.checkout import demo_gift_read
from newsdesk.funding.services.ledger import campaign_totals_recompute
from newsdesk.funding.tests.helpers import (
    checkout_paid,
    donate_form_data,
    fixture_event,
    ids,
    make_campaign,
    post_event,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fee_formula(settings):
    settings.FUNDING_FEE_PERCENT = "2.9"
    settings.FUNDING_FEE_FIXED = "0.30"


@pytest.fixture
def campaign(db):
    return make_campaign(goal="4700")


def form_data(campaign_obj, **changes):
    return donate_form_data(campaign_obj, attempt="1f0e0d0c0b0a09080706050403020100", **changes)


def raised(campaign) -> tuple[Decimal, int]:
    total = CampaignTotal.objects.filter(campaign=campaign).first()
    return (total.raised, total.donors) if total else (Decimal(0), 0)


def demo_pay(client, response):
    assert response.status_code == 302, response.content.decode()[:500]
    path = urlsplit(response["Location"]).path
    token = path.rstrip("/").rsplit("/", 1)[-1]
    paid = client.post(path)
    assert paid.status_code == 302
    return demo_gift_read(token=token)


def test_the_page_offers_the_fee_for_the_chosen_amount_and_says_the_formula(
    client, demo_provider, campaign
):
    html = client.get("/donate/").content.decode()
    # The second preset ($25) is chosen as the page opens: (25 + 0.30) / 0.971 - 25 = 1.06
    assert re.search(r"Add <strong data-fee-amount>\$1\.06</strong> to cover the card fees", html)
    assert 'name="cover_fees"' in html
    assert "2.9%" in html and "$0.30" in html  # the formula in words, for readers without script
    assert 'data-fee-percent="2.9"' in html and 'data-fee-fixed="0.30"' in html
    assert "funding/donate.js" in html


def test_ticking_the_box_charges_the_fee_the_server_computes_not_a_posted_one(
    client, demo_provider, campaign, django_capture_on_commit_callbacks
):
    response = client.post(
        "/donate/",
        form_data(campaign, cover_fees="on", fee="0.01", fee_covered="1", amount="25"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        gift = demo_pay(client, response)
    assert (gift.amount, gift.fee, gift.total) == (
        Decimal("25.00"),
        Decimal("1.06"),
        Decimal("26.06"),
    )
    payment = Donation.objects.get(kind=Donation.Kind.PAYMENT)
    fee = Donation.objects.get(kind=Donation.Kind.FEE_COVER)
    assert payment.amount == Decimal("25.00")
    assert (fee.amount, fee.related_payment, fee.campaign) == (Decimal("1.06"), payment, campaign)
    assert fee.provider_reference == f"{payment.provider_reference}:fee"
    assert fee.provider == payment.provider == Donation.Provider.DEMO
    # The fee is not the campaign's money; the donor is counted once.
    assert raised(campaign) == (Decimal("25.00"), 1)
    assert campaign_totals_recompute() == []
    # The e-mailed receipt names the fee and the total.
    receipt = mail.outbox[-1].body
    assert "$25.00" in receipt and "$1.06" in receipt and "$26.06" in receipt


def test_the_demo_page_shows_the_total_charged(client, demo_provider, campaign):
    response = client.post("/donate/", form_data(campaign, cover_fees="on", amount="10"))
    html = client.get(response["Location"]).content.decode()
    assert "$0.61" in html and "$10.61" in html


def test_without_the_box_no_fee_row_is_written(client, demo_provider, campaign):
    gift = demo_pay(client, client.post("/donate/", form_data(campaign, fee="5")))
    assert gift.fee == 0
    assert not Donation.objects.filter(kind=Donation.Kind.FEE_COVER).exists()
    assert Donation.objects.get().amount == Decimal("25.00")


def test_a_monthly_gift_with_fees_remembers_them_and_charges_them_every_month(
    client, demo_provider, campaign
):
    response = client.post(
        "/donate/", form_data(campaign, cover_fees="on", frequency="monthly", amount="10")
    )
    demo_pay(client, response)
    gift = RecurringGift.objects.get()
    assert (gift.amount, gift.fee_covered) == (Decimal("10.61"), Decimal("0.61"))
    assert gift.customer_id.startswith("cus_demo_")
    rows = dict(Donation.objects.values_list("kind", "amount"))
    assert rows == {"payment": Decimal("10.00"), "fee_cover": Decimal("0.61")}
    assert raised(campaign) == (Decimal("10.00"), 1)


# --- Stripe's signed events ---------------------------------------------------------------
def test_a_signed_checkout_with_fee_covered_writes_the_gift_and_its_fee(
    client, webhook_secret, campaign
):
    ref = ids()
    event = checkout_paid(campaign, ref=ref, amount_minor=2606, fee_covered="106")
    assert post_event(client, event).status_code == 200
    payment = Donation.objects.get(kind="payment")
    fee = Donation.objects.get(kind="fee_cover")
    assert (payment.amount, fee.amount) == (Decimal("25.00"), Decimal("1.06"))
    assert (payment.payment_intent_id, fee.related_payment_id) == (ref["pi"], payment.pk)
    assert raised(campaign) == (Decimal("25.00"), 1)
    # Replayed, and reported again by the async success: nothing more.
    post_event(client, event)
    again = checkout_paid(campaign, ref=ref, amount_minor=2606, fee_covered="106")
    again["type"] = "checkout.session.async_payment_succeeded"
    post_event(client, again)
    assert Donation.objects.count() == 2
    assert campaign_totals_recompute() == []


@pytest.mark.parametrize("bad", ["2606", "9999", "-1", "1.06", "x"])
def test_a_fee_that_cannot_be_part_of_the_charge_counts_the_whole_charge_as_the_gift(
    client, webhook_secret, campaign, bad
):
    post_event(client, checkout_paid(campaign, amount_minor=2606, fee_covered=bad))
    assert list(Donation.objects.values_list("kind", "amount")) == [("payment", Decimal("26.06"))]


def monthly_events(campaign, ref, *, fee_minor="61", total=1061, customer="cus_test_1"):
    checkout = checkout_paid(campaign, ref=ref, amount_minor=total, fee_covered=fee_minor)
    checkout["data"]["object"].update(
        mode="subscription", payment_intent=None, subscription=ref["sub"], customer=customer
    )
    invoice = fixture_event(
        "invoice.paid",
        id=f"in_{ref['sub']}",
        amount_paid=total,
        subscription=ref["sub"],
        payment_intent=f"pi_in_{ref['sub']}",
        charge=f"ch_in_{ref['sub']}",
        customer_email="monthly@example.org",
        customer=customer,
    )
    invoice["data"]["object"]["subscription_details"] = {
        "metadata": {"campaign_id": str(campaign.pk), "fee_covered": fee_minor}
    }
    return checkout, invoice


@pytest.mark.parametrize("invoice_first", [False, True])
def test_a_monthly_gift_through_stripe_keeps_fee_and_customer_in_any_order(
    client, webhook_secret, campaign, invoice_first
):
    ref = ids()
    checkout, invoice = monthly_events(campaign, ref)
    for event in (invoice, checkout) if invoice_first else (checkout, invoice):
        assert post_event(client, event).status_code == 200
    gift = RecurringGift.objects.get()
    assert (gift.fee_covered, gift.customer_id) == (Decimal("0.61"), "cus_test_1")
    rows = dict(Donation.objects.values_list("kind", "amount"))
    assert rows == {"payment": Decimal("10.00"), "fee_cover": Decimal("0.61")}


def test_a_renewal_without_metadata_takes_the_fee_the_gift_remembers(
    client, webhook_secret, campaign
):
    ref = ids()
    checkout, _ = monthly_events(campaign, ref)
    post_event(client, checkout)
    renewal = fixture_event(
        "invoice.paid",
        id="in_renewal_bare",
        amount_paid=1061,
        subscription=ref["sub"],
        payment_intent="pi_renewal_bare",
        customer_email="monthly@example.org",
    )
    renewal["data"]["object"].pop("subscription_details", None)
    renewal["data"]["object"]["lines"]["data"][0]["metadata"] = {}
    post_event(client, renewal)
    rows = dict(Donation.objects.values_list("kind", "amount"))
    assert rows == {"payment": Decimal("10.00"), "fee_cover": Decimal("0.61")}


def test_a_paid_invoice_clears_an_earlier_payment_failure_only(client, webhook_secret, campaign):
    from datetime import timedelta

    from django.utils import timezone

    ref = ids()
    checkout, invoice = monthly_events(campaign, ref)
    post_event(client, checkout)
    gift = RecurringGift.objects.get()
    # A failure reported after this charge (a late invoice.paid of an older charge) stays.
    later = timezone.now() + timedelta(days=1)
    RecurringGift.objects.filter(pk=gift.pk).update(payment_failed_at=later)
    post_event(client, invoice)
    gift.refresh_from_db()
    assert gift.payment_failed_at == later
    # A failure before the charge is over once it is paid.
    RecurringGift.objects.filter(pk=gift.pk).update(
        payment_failed_at=timezone.now() - timedelta(days=2)
    )
    renewal = dict(invoice, id="evt_renewal_after_failure", created=int(time.time()))
    renewal["data"] = {"object": dict(invoice["data"]["object"], id="in_after_failure")}
    post_event(client, renewal)
    gift.refresh_from_db()
    assert gift.payment_failed_at is None


def test_fees_are_recorded_in_a_gift_of_a_currency_without_cents(client, webhook_secret):
    yen = make_campaign(currency="JPY", goal="500000")
    fee = fee_for(amount=Decimal(1000), currency="JPY")
    post_event(client, checkout_paid(yen, amount_minor=1000 + int(fee), fee_covered=str(int(fee))))
    rows = dict(Donation.objects.values_list("kind", "amount"))
    assert rows == {"payment": Decimal("1000.00"), "fee_cover": Decimal("31.00")}
    assert raised(yen) == (Decimal("1000.00"), 1)
