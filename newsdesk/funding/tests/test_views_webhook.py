"""The Stripe webhook: signatures, exactly-once processing, order, every handled type."""

import json
from decimal import Decimal

import pytest

from newsdesk.funding.models import CampaignTotal, Donation, ProviderEvent, RecurringGift
from newsdesk.funding.services.ledger import campaign_totals_recompute
from newsdesk.funding.tests.helpers import (
    charge_refunded,
    checkout_paid,
    fixture_event,
    ids,
    make_campaign,
    post_event,
    stripe_signature,
)

pytestmark = pytest.mark.django_db


def raised(campaign) -> tuple[Decimal, int]:
    total = CampaignTotal.objects.filter(campaign=campaign).first()
    return (total.raised, total.donors) if total else (Decimal(0), 0)


def ledger_state():
    return (
        list(Donation.objects.values_list("provider_reference", "amount").order_by("pk")),
        list(CampaignTotal.objects.values_list("raised", "donors").order_by("pk")),
        ProviderEvent.objects.count(),
    )


@pytest.fixture
def campaign(db):
    return make_campaign()


def test_a_paid_checkout_is_recorded_with_its_campaign_and_donor(client, webhook_secret, campaign):
    event = checkout_paid(campaign, amount_minor=2550, donor_name="Ada <b>L.</b>", message="Go!")
    response = post_event(client, event)
    assert response.status_code == 200
    assert response.json()["outcome"] == "processed"
    donation = Donation.objects.get()
    assert (donation.amount, donation.currency, donation.kind) == (
        Decimal("25.50"),
        "USD",
        "payment",
    )
    assert donation.provider == "stripe"
    assert donation.donor_name == "Ada L."
    assert donation.donor_email == "reader@example.org"
    assert raised(campaign) == (Decimal("25.50"), 1)
    assert campaign_totals_recompute() == []


def test_a_replayed_event_changes_nothing(client, webhook_secret, campaign):
    event = checkout_paid(campaign)
    assert post_event(client, event).status_code == 200
    before = ledger_state()
    for _ in range(3):
        response = post_event(client, event)
        assert response.status_code == 200
        assert response.json()["outcome"] == "duplicate"
    assert ledger_state() == before
    assert raised(campaign) == (Decimal("30.00"), 1)


def test_the_same_payment_under_a_new_event_id_counts_once(client, webhook_secret, campaign):
    """Stripe may send checkout.session.completed and async_payment_succeeded for one payment."""
    ref = ids()
    post_event(client, checkout_paid(campaign, ref=ref))
    again = checkout_paid(campaign, ref=ref)
    again["type"] = "checkout.session.async_payment_succeeded"
    assert post_event(client, again).status_code == 200
    assert Donation.objects.count() == 1
    assert raised(campaign) == (Decimal("30.00"), 1)


def test_a_refund_before_its_payment_ends_in_the_right_totals(client, webhook_secret, campaign):
    ref = ids()
    refund = charge_refunded(ref=ref, amount_minor=5000, refunded_minor=2000)
    response = post_event(client, refund)
    assert response.status_code == 200
    assert response.json()["outcome"] == "deferred"
    assert Donation.objects.count() == 0
    assert ProviderEvent.objects.get().status == "deferred"

    post_event(client, checkout_paid(campaign, ref=ref, amount_minor=5000))

    assert list(Donation.objects.order_by("pk").values_list("kind", "amount")) == [
        ("payment", Decimal("50.00")),
        ("refund", Decimal("-20.00")),
    ]
    assert raised(campaign) == (Decimal("30.00"), 1)
    assert ProviderEvent.objects.filter(status="deferred").count() == 0
    assert campaign_totals_recompute() == []


def test_partial_refunds_in_any_order_take_back_each_cent_once(client, webhook_secret, campaign):
    ref = ids()
    post_event(client, checkout_paid(campaign, ref=ref, amount_minor=10000))
    second = charge_refunded(ref=ref, amount_minor=10000, refunded_minor=7000)
    first = charge_refunded(ref=ref, amount_minor=10000, refunded_minor=2500)
    post_event(client, second)
    post_event(client, first)  # arrives late: its 25.00 is already inside the 70.00
    assert raised(campaign) == (Decimal("30.00"), 1)
    assert Donation.objects.filter(kind="refund").count() == 1


def test_a_refund_of_the_shared_fixture_matches_its_payment_by_charge(
    client, webhook_secret, campaign
):
    """The fixture's charge.refunded names only its charge; an invoice recorded that charge."""
    invoice = fixture_event("invoice.paid", id="in_fixture_1")
    invoice["data"]["object"]["lines"]["data"][0]["metadata"] = {"campaign_id": str(campaign.pk)}
    post_event(client, invoice)
    refund = fixture_event("charge.refunded")
    post_event(client, refund)
    # invoice.paid: 20.00; the fixture refunds 1.00 of charge ch_000...
    assert raised(campaign) == (Decimal("19.00"), 1)


def test_bad_or_missing_signatures_get_400_and_write_nothing(client, webhook_secret, campaign):
    event = checkout_paid(campaign)
    body = json.dumps(event)
    wrong_secret = stripe_signature(body, secret="whsec_someone_else")
    old = stripe_signature(body, timestamp=1_000_000)
    tampered_body = body.replace("3000", "300000")
    for signature, payload in [
        (None, body),
        ("", body),
        ("garbage", body),
        (wrong_secret, body),
        (old, body),
        (stripe_signature(body), tampered_body),
    ]:
        response = post_event(client, payload, signature=signature)
        assert response.status_code == 400, signature
        assert "detail" in response.json()
    assert ledger_state() == ([], [], 0)


def test_webhooks_are_refused_when_no_secret_is_configured(client, settings, campaign):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = post_event(client, checkout_paid(campaign))
    assert response.status_code == 400
    assert Donation.objects.count() == 0


def test_only_post_is_accepted(client, webhook_secret):
    assert client.get("/webhooks/stripe/").status_code == 405


def test_an_unknown_event_type_gets_200_and_writes_nothing(client, webhook_secret, campaign):
    for event_type in ["customer.subscription.created", "payment_intent.succeeded"]:
        response = post_event(client, fixture_event(event_type))
        assert response.status_code == 200
        assert response.json()["outcome"] == "ignored"
    made_up = {"id": "evt_unknown", "type": "made.up", "data": {"object": {}}}
    assert post_event(client, made_up).status_code == 200
    assert ledger_state() == ([], [], 0)


def test_a_signed_body_that_is_not_an_event_gets_400(client, webhook_secret):
    assert post_event(client, '{"hello": "world"}').status_code == 400
    assert post_event(client, "[1, 2").status_code == 400
    assert ProviderEvent.objects.count() == 0


def test_a_signed_event_with_an_amount_that_is_no_number_gets_400_and_writes_nothing(
    client, webhook_secret, campaign
):
    for amount in ("thirty", "1e3", None, [3000]):
        response = post_event(client, checkout_paid(campaign, amount_minor=amount))
        assert response.status_code == 400, amount
        assert "amount" in response.json()["detail"]
    assert ledger_state() == ([], [], 0)
    assert ProviderEvent.objects.count() == 0


def test_unpaid_checkout_waits_for_async_success_or_failure(client, webhook_secret, campaign):
    ref = ids()
    pending = checkout_paid(campaign, ref=ref)
    pending["data"]["object"]["payment_status"] = "unpaid"
    post_event(client, pending)
    assert Donation.objects.count() == 0
    failed = checkout_paid(campaign, ref=ids())
    failed["type"] = "checkout.session.async_payment_failed"
    failed["data"]["object"]["payment_status"] = "unpaid"
    post_event(client, failed)
    assert Donation.objects.count() == 0
    succeeded = checkout_paid(campaign, ref=ref)
    succeeded["type"] = "checkout.session.async_payment_succeeded"
    post_event(client, succeeded)
    assert raised(campaign) == (Decimal("30.00"), 1)


def test_setup_mode_checkout_writes_no_money(client, webhook_secret, campaign):
    post_event(client, fixture_event("checkout.session.completed.setup_mode"))
    assert Donation.objects.count() == 0


def subscription_checkout(campaign, ref, *, amount_minor=1500):
    event = checkout_paid(campaign, ref=ref, amount_minor=amount_minor, donor_name="Monthly Mo")
    event["data"]["object"].update(
        mode="subscription", payment_intent=None, subscription=ref["sub"]
    )
    return event


def subscription_invoice(
    campaign, ref, *, invoice_id, amount_minor=1500, reason="subscription_cycle"
):
    event = fixture_event(
        "invoice.paid",
        id=invoice_id,
        amount_paid=amount_minor,
        subscription=ref["sub"],
        payment_intent=f"pi_{invoice_id}",
        charge=f"ch_{invoice_id}",
        billing_reason=reason,
        customer_email="monthly@example.org",
    )
    event["data"]["object"]["subscription_details"] = {
        "metadata": {"campaign_id": str(campaign.pk), "donor_name": "Monthly Mo"}
    }
    return event


def test_a_monthly_gift_counts_each_invoice_once_and_never_the_checkout(
    client, webhook_secret, campaign
):
    ref = ids()
    first_invoice = subscription_invoice(
        campaign, ref, invoice_id="in_first", reason="subscription_create"
    )
    # The first invoice may arrive before or after checkout.session.completed.
    post_event(client, first_invoice)
    post_event(client, subscription_checkout(campaign, ref))
    post_event(client, subscription_invoice(campaign, ref, invoice_id="in_second"))
    post_event(client, first_invoice)  # replayed
    payments = Donation.objects.filter(kind="payment")
    assert payments.count() == 2
    assert all(p.recurring and p.subscription_id == ref["sub"] for p in payments)
    assert raised(campaign) == (Decimal("30.00"), 1)  # one donor, two months' gifts
    gift = RecurringGift.objects.get()
    assert (gift.status, gift.campaign, gift.donor_name) == ("active", campaign, "Monthly Mo")

    deleted = fixture_event("customer.subscription.deleted", id=ref["sub"])
    post_event(client, deleted)
    gift.refresh_from_db()
    assert gift.status == "cancelled"


def test_a_renewal_without_metadata_goes_to_its_gifts_campaign(client, webhook_secret, campaign):
    other = make_campaign(name="A later drive")
    ref = ids()
    post_event(client, subscription_checkout(campaign, ref))
    renewal = subscription_invoice(campaign, ref, invoice_id="in_bare")
    del renewal["data"]["object"]["subscription_details"]
    renewal["data"]["object"]["lines"]["data"][0]["metadata"] = {}
    post_event(client, renewal)
    assert Donation.objects.get().campaign == campaign
    assert raised(other) == (Decimal(0), 0)


def dispute(ref, *, status, amount_minor=3000, dispute_id="dp_test_1", event_type="created"):
    return fixture_event(
        f"charge.dispute.{event_type}" if event_type == "created" else "charge.dispute.created",
        id=dispute_id,
        charge=ref["ch"],
        payment_intent=ref["pi"],
        amount=amount_minor,
        status=status,
    )


def closed(event):
    event["type"] = "charge.dispute.closed"
    return event


def test_a_dispute_withdraws_and_a_won_dispute_gives_back(client, webhook_secret, campaign):
    ref = ids()
    post_event(client, checkout_paid(campaign, ref=ref))
    post_event(client, dispute(ref, status="needs_response"))
    assert raised(campaign) == (Decimal("0.00"), 1)
    post_event(client, closed(dispute(ref, status="won")))
    assert raised(campaign) == (Decimal("30.00"), 1)
    kinds = list(Donation.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["payment", "dispute", "dispute_reversal"]


def test_a_lost_dispute_reported_before_its_creation_withdraws_once(
    client, webhook_secret, campaign
):
    ref = ids()
    post_event(client, checkout_paid(campaign, ref=ref))
    post_event(client, closed(dispute(ref, status="lost")))
    post_event(client, dispute(ref, status="needs_response"))
    assert raised(campaign) == (Decimal("0.00"), 1)
    assert Donation.objects.filter(kind="dispute").count() == 1


def test_an_inquiry_moves_no_money(client, webhook_secret, campaign):
    ref = ids()
    post_event(client, checkout_paid(campaign, ref=ref))
    post_event(client, dispute(ref, status="warning_needs_response"))
    post_event(client, closed(dispute(ref, status="warning_closed")))
    assert raised(campaign) == (Decimal("30.00"), 1)


def test_a_dispute_before_its_payment_is_applied_when_the_payment_comes(
    client, webhook_secret, campaign
):
    ref = ids()
    assert post_event(client, dispute(ref, status="needs_response")).json()["outcome"] == "deferred"
    post_event(client, checkout_paid(campaign, ref=ref))
    assert raised(campaign) == (Decimal("0.00"), 1)


def test_gifts_in_another_currency_are_kept_but_not_added_to_the_total(
    client, webhook_secret, campaign
):
    event = checkout_paid(campaign)
    event["data"]["object"]["currency"] = "eur"
    post_event(client, event)
    donation = Donation.objects.get()
    assert donation.currency == "EUR"
    assert raised(campaign) == (Decimal(0), 0)
    assert campaign_totals_recompute() == []
