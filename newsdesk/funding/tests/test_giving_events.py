"""Stripe's signed events about a monthly gift's changes, on the webhook view: the amount,
a pause and a resume (``customer.subscription.updated``), the end (``...deleted``), the card
(``payment_method.attached``, ``setup_intent.succeeded``) and a failed charge
(``invoice.payment_failed``). Each applies once, in any order, and writes no money."""

import json
from decimal import Decimal

import pytest

from newsdesk.funding.models import Donation, LifecycleMail, ProviderEvent, RecurringGift
from newsdesk.funding.services.ledger import campaign_totals_recompute
from newsdesk.funding.tests.helpers import (
    checkout_paid,
    fixture_event,
    ids,
    make_campaign,
    post_event,
    stripe_signature,
)
from newsdesk.funding.tests.test_giving_support import (
    SubscriptionStripe,
    stripe_gift,
    subscription_updated,
)

pytestmark = pytest.mark.django_db
T = 1_700_000_000


@pytest.fixture
def campaign(db):
    return make_campaign()


@pytest.fixture
def gift(campaign):
    return stripe_gift(campaign, sub="sub_events_1", customer="cus_events_1")


def outcome(client, event) -> str:
    response = post_event(client, event)
    assert response.status_code == 200
    return response.json()["outcome"]


def state(gift):
    gift.refresh_from_db()
    return gift.status, gift.amount


def payment_method_attached(*, customer: str, last4="1881", exp=(9, 2032), brand="visa", created=T):
    event = fixture_event("charge.succeeded")  # any fixture: its object is replaced
    event["type"] = "payment_method.attached"
    event["created"] = created
    event["data"] = {
        "object": {
            "id": f"pm_{last4}_{created}",
            "object": "payment_method",
            "type": "card",
            "customer": customer,
            "card": {"brand": brand, "last4": last4, "exp_month": exp[0], "exp_year": exp[1]},
        }
    }
    return event


def payment_failed(*, sub: str, invoice="in_failed_1", created=T):
    event = fixture_event(
        "invoice.payment_failed",
        id=invoice,
        subscription=sub,
        customer_email="monthly@example.org",
    )
    event["created"] = created
    return event


def test_an_amount_change_lands_with_its_event_and_writes_no_money(client, webhook_secret, gift):
    assert outcome(client, subscription_updated(gift.subscription_id, amount_minor=2500)) == (
        "processed"
    )
    assert state(gift) == ("active", Decimal("25.00"))
    assert gift.state_as_of.timestamp() == T
    assert Donation.objects.count() == 0
    assert campaign_totals_recompute() == []


def test_pause_and_resume_follow_pause_collection(client, webhook_secret, gift):
    post_event(client, subscription_updated(gift.subscription_id, paused=True, created=T))
    assert state(gift)[0] == "paused" and gift.paused_at.timestamp() == T
    post_event(client, subscription_updated(gift.subscription_id, paused=False, created=T + 60))
    assert state(gift)[0] == "active" and gift.paused_at is None


def test_an_older_event_arriving_late_changes_nothing(client, webhook_secret, gift):
    newer = subscription_updated(
        gift.subscription_id, amount_minor=4000, paused=True, created=T + 60
    )
    older = subscription_updated(gift.subscription_id, amount_minor=2000, created=T)
    post_event(client, newer)
    post_event(client, older)
    assert state(gift) == ("paused", Decimal("40.00"))
    assert ProviderEvent.objects.get(event_id=older["id"]).note.startswith("Older")


def test_a_replayed_change_is_a_duplicate(client, webhook_secret, gift):
    event = subscription_updated(gift.subscription_id, amount_minor=2500)
    post_event(client, event)
    RecurringGift.objects.filter(pk=gift.pk).update(amount=Decimal("99"))  # to see a re-apply
    assert outcome(client, event) == "duplicate"
    assert state(gift) == ("active", Decimal("99.00"))


def test_a_forged_change_is_refused_and_changes_nothing(client, webhook_secret, gift):
    event = subscription_updated(gift.subscription_id, amount_minor=1)
    body = json.dumps(event)
    signature = stripe_signature(body, secret="whsec_not_ours")
    assert post_event(client, body, signature=signature).status_code == 400
    assert state(gift) == ("active", Decimal("15.00"))
    assert ProviderEvent.objects.count() == 0


def test_a_cancelled_gift_stays_cancelled_whatever_comes_late(client, webhook_secret, gift):
    deleted = fixture_event("customer.subscription.deleted", id=gift.subscription_id)
    deleted["created"] = T + 60
    post_event(client, deleted)
    assert state(gift)[0] == "cancelled"
    post_event(
        client, subscription_updated(gift.subscription_id, amount_minor=5000, created=T + 120)
    )
    assert state(gift) == ("cancelled", Decimal("15.00"))


def test_a_paused_gift_can_be_cancelled(client, webhook_secret, gift):
    post_event(client, subscription_updated(gift.subscription_id, paused=True))
    deleted = fixture_event("customer.subscription.deleted", id=gift.subscription_id)
    post_event(client, deleted)
    assert state(gift)[0] == "cancelled"


def test_a_failed_charge_marks_the_gift_and_mails_the_donor_once(client, webhook_secret, gift):
    first = payment_failed(sub=gift.subscription_id, created=T)
    retry = payment_failed(sub=gift.subscription_id, created=T + 3600)  # Stripe's retry
    post_event(client, first)
    post_event(client, retry)
    post_event(client, first)  # replayed
    gift.refresh_from_db()
    assert gift.payment_failed_at.timestamp() == T + 3600
    mail = LifecycleMail.objects.get()
    assert (mail.kind, mail.occasion, mail.email, mail.recurring_gift) == (
        "payment_failed",
        "payment_failed:in_failed_1",
        "monthly@example.org",
        gift,
    )


def test_a_failure_older_than_a_paid_charge_tells_nobody(client, webhook_secret, campaign, gift):
    Donation.objects.create(
        provider="stripe",
        provider_reference="in_paid_later",
        kind="payment",
        amount=Decimal("15"),
        currency="USD",
        recurring=True,
        subscription_id=gift.subscription_id,
        received_at=make_time(T + 60),
    )
    post_event(client, payment_failed(sub=gift.subscription_id, created=T))
    gift.refresh_from_db()
    assert gift.payment_failed_at is None
    assert LifecycleMail.objects.count() == 0


def make_time(seconds):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, tz=UTC)


def test_a_card_attached_to_the_gifts_customer_is_shown(client, webhook_secret, gift):
    post_event(client, payment_method_attached(customer="cus_events_1"))
    gift.refresh_from_db()
    assert (gift.card_brand, gift.card_last4, gift.card_exp_month, gift.card_exp_year) == (
        "visa",
        "1881",
        9,
        2032,
    )


def test_a_card_before_its_customer_is_known_waits_for_it(client, webhook_secret, campaign):
    gift = stripe_gift(campaign, sub="sub_events_2", customer="")
    assert outcome(client, payment_method_attached(customer="cus_later")) == "deferred"
    post_event(client, subscription_updated("sub_events_2", customer="cus_later"))
    gift.refresh_from_db()
    assert (gift.customer_id, gift.card_last4) == ("cus_later", "1881")
    assert ProviderEvent.objects.filter(status="deferred").count() == 0


def test_another_customers_card_is_not_shown(client, webhook_secret, gift):
    post_event(client, payment_method_attached(customer="cus_someone_else"))
    gift.refresh_from_db()
    assert gift.card_last4 == ""


def test_a_card_set_up_for_the_gift_becomes_its_default_at_stripe(
    client, webhook_secret, gift, settings, django_capture_on_commit_callbacks
):
    event = fixture_event("checkout.session.completed")
    event["type"] = "setup_intent.succeeded"
    event["data"] = {
        "object": {
            "id": "seti_events_1",
            "object": "setup_intent",
            "status": "succeeded",
            "customer": "cus_events_1",
            "payment_method": "pm_events_new",
            "metadata": {"subscription_id": gift.subscription_id},
        }
    }
    with SubscriptionStripe() as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_local"
        settings.STRIPE_API_BASE = fake.url
        with django_capture_on_commit_callbacks(execute=True):
            assert outcome(client, event) == "processed"
        (call,) = fake.writes()
    assert call["path"] == f"/v1/subscriptions/{gift.subscription_id}"
    assert call["params"] == {"default_payment_method": ["pm_events_new"]}


def test_changes_before_the_gift_is_recorded_wait_for_it(client, webhook_secret, campaign):
    """Stripe does not promise order: a change may overtake the checkout that begins the gift."""
    ref = ids()
    early = subscription_updated(ref["sub"], amount_minor=2200, paused=True, customer="cus_early")
    assert outcome(client, early) == "deferred"
    assert outcome(client, payment_method_attached(customer="cus_early")) == "deferred"
    checkout = checkout_paid(campaign, ref=ref, amount_minor=1500, donor_name="Monthly Mo")
    checkout["data"]["object"].update(
        mode="subscription", payment_intent=None, subscription=ref["sub"], customer="cus_early"
    )
    post_event(client, checkout)
    gift = RecurringGift.objects.get(subscription_id=ref["sub"])
    assert (gift.status, gift.amount, gift.card_last4) == ("paused", Decimal("22.00"), "1881")
    assert ProviderEvent.objects.filter(status="deferred").count() == 0
