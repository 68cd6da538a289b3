"""Refunds and disputes of a gift whose donor covered the fees: the provider reports the
whole charge (gift + fee); the ledger takes it back from the gift first, then the fee, each
row at most to zero, exactly once in any order."""

import uuid
from decimal import Decimal

import pytest
from django.db.models import Sum

from newsdesk.funding.models import CampaignTotal, Donation
from newsdesk.funding.services.ledger import campaign_totals_recompute
from newsdesk.funding.services.refunds import donation_refund, refund_left
from newsdesk.funding.tests.helpers import (
    charge_refunded,
    checkout_paid,
    fixture_event,
    ids,
    make_campaign,
    post_event,
)

pytestmark = pytest.mark.django_db

GIFT, FEE, CHARGE = 2500, 106, 2606  # minor units: $25.00 + $1.06 of fees


@pytest.fixture
def campaign(db):
    return make_campaign()


@pytest.fixture
def paid(client, webhook_secret, campaign):
    ref = ids()
    post_event(client, checkout_paid(campaign, ref=ref, amount_minor=CHARGE, fee_covered=str(FEE)))
    return ref


def kept(kind_row: str) -> Decimal:
    """What is left of the payment (``payment``) or of its fee row (``fee_cover``)."""
    row = Donation.objects.get(kind=kind_row)
    back = Donation.objects.filter(related_payment=row).exclude(kind="fee_cover")
    return row.amount + (back.aggregate(s=Sum("amount"))["s"] or Decimal(0))


def raised(campaign) -> Decimal:
    return CampaignTotal.objects.get(campaign=campaign).raised


def refunded(client, ref, minor):
    return post_event(client, charge_refunded(ref=ref, amount_minor=CHARGE, refunded_minor=minor))


def test_a_partial_refund_comes_out_of_the_gift_first(client, paid, campaign):
    refunded(client, paid, 1000)
    assert (kept("payment"), kept("fee_cover")) == (Decimal("15.00"), Decimal("1.06"))
    assert raised(campaign) == Decimal("15.00")
    assert campaign_totals_recompute() == []


def test_a_refund_beyond_the_gift_reaches_the_fee(client, paid, campaign):
    refunded(client, paid, 2550)
    assert (kept("payment"), kept("fee_cover")) == (Decimal("0.00"), Decimal("0.56"))
    assert raised(campaign) == Decimal("0.00")


@pytest.mark.parametrize("order", [(1000, CHARGE), (CHARGE, 1000), (1000, 2550, CHARGE, 2550)])
def test_a_full_refund_brings_gift_and_fee_to_zero_in_any_order(client, paid, campaign, order):
    for minor in order:
        assert refunded(client, paid, minor).status_code == 200
    assert (kept("payment"), kept("fee_cover")) == (Decimal("0.00"), Decimal("0.00"))
    assert raised(campaign) == Decimal("0.00")
    assert CampaignTotal.objects.get(campaign=campaign).donors == 1  # refunds keep the count
    assert campaign_totals_recompute() == []
    fee_refunds = Donation.objects.filter(kind="refund", related_payment__kind="fee_cover")
    assert fee_refunds.order_by("pk").last().provider_reference == (
        f"{paid['ch']}:refunded:{CHARGE}:fee"
    )


def test_a_report_of_more_than_the_charge_never_takes_back_more(client, paid, campaign):
    refunded(client, paid, CHARGE + 500)
    assert (kept("payment"), kept("fee_cover")) == (Decimal("0.00"), Decimal("0.00"))


def dispute(ref, *, status, event_type="charge.dispute.created", amount=CHARGE):
    event = fixture_event(
        "charge.dispute.created",
        id="dp_fee_1",
        charge=ref["ch"],
        payment_intent=ref["pi"],
        amount=amount,
        status=status,
    )
    event["type"] = event_type
    return event


def test_a_dispute_withdraws_gift_and_fee_and_a_won_one_gives_both_back(client, paid, campaign):
    post_event(client, dispute(paid, status="needs_response"))
    assert (kept("payment"), kept("fee_cover")) == (Decimal("0.00"), Decimal("0.00"))
    assert raised(campaign) == Decimal("0.00")
    post_event(client, dispute(paid, status="won", event_type="charge.dispute.closed"))
    assert (kept("payment"), kept("fee_cover")) == (Decimal("25.00"), Decimal("1.06"))
    assert raised(campaign) == Decimal("25.00")
    assert campaign_totals_recompute() == []
    # Replayed under new ids, nothing more.
    post_event(client, dispute(paid, status="won", event_type="charge.dispute.closed"))
    assert Donation.objects.count() == 6


def test_a_lost_dispute_withdraws_once(client, paid, campaign):
    post_event(client, dispute(paid, status="lost", event_type="charge.dispute.closed"))
    post_event(client, dispute(paid, status="needs_response"))
    assert (kept("payment"), kept("fee_cover")) == (Decimal("0.00"), Decimal("0.00"))
    assert Donation.objects.filter(kind="dispute").count() == 2


def test_a_treasurer_can_refund_the_whole_charge_with_the_demo_provider(
    client, demo_provider, campaign, admin_user
):
    from newsdesk.funding.services.ledger import donation_record

    payment = donation_record(
        provider="demo",
        provider_reference="pi_demo_fee_refund",
        kind="payment",
        amount=Decimal("25.00"),
        fee_covered=Decimal("1.06"),
        currency="USD",
        campaign=campaign,
        payment_intent_id="pi_demo_fee_refund",
        donor_email="giver@example.org",
    )
    assert refund_left(payment=payment) == Decimal("26.06")
    donation_refund(
        donation=payment,
        amount=Decimal("26.06"),
        reason="Asked by the donor",
        attempt_key=uuid.uuid4().hex,
        requested_by=admin_user,
    )
    assert (kept("payment"), kept("fee_cover")) == (Decimal("0.00"), Decimal("0.00"))
    assert refund_left(payment=payment) == Decimal("0.00")
    assert payment.refund_requests.get().status == "settled"
    assert raised(campaign) == Decimal("0.00")
