"""A donor's changes to a monthly gift, asked of the provider (issue 20, item 2).

With the demo provider each change is the Stripe-shaped event it builds, applied through
the webhook's own path; with Stripe (a local server answering as Stripe's API does) each
change is one request with its idempotency key, and nothing changes here until Stripe's
signed event arrives."""

import functools
from decimal import Decimal
from urllib.parse import parse_qs

import pytest

from newsdesk.core.errors import ServiceError
from newsdesk.funding.errors import ProviderUnavailable
from newsdesk.funding.models import Donation, ProviderEvent, RecurringGift
from newsdesk.funding.services import giving
from newsdesk.funding.services.ledger import campaign_totals_recompute
from newsdesk.funding.services.recurring import recurring_gift_cancel
from newsdesk.funding.tests.helpers import make_campaign
from newsdesk.funding.tests.test_giving_support import (
    CARD_SESSION_URL,
    SubscriptionStripe,
    attempt,
    demo_monthly_gift,
    stripe_gift,
)
from tests.support import stripe_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    return make_campaign()


@pytest.fixture
def fake_stripe(settings, monkeypatch):
    # Clearing a field is sent as an empty value, which the server's parser drops unless
    # told to keep blank values.
    monkeypatch.setattr(
        stripe_server, "parse_qs", functools.partial(parse_qs, keep_blank_values=True)
    )
    with SubscriptionStripe() as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_local"
        settings.STRIPE_API_BASE = fake.url
        yield fake


def ledger():
    return list(Donation.objects.order_by("pk").values_list("kind", "amount"))


# --- the demo provider ------------------------------------------------------------------------
def test_demo_changes_arrive_as_events_and_write_no_money(demo_provider, campaign):
    gift = demo_monthly_gift(campaign, email="mo@example.org")
    before = ledger()
    giving.recurring_gift_amount_change(gift=gift, amount=Decimal("22.50"), attempt_key=attempt())
    gift.refresh_from_db()
    assert (gift.amount, gift.status) == (Decimal("22.50"), "active")
    assert gift.customer_id  # the event names its customer
    giving.recurring_gift_pause(gift=gift, attempt_key=attempt())
    gift.refresh_from_db()
    assert gift.status == "paused" and gift.paused_at is not None
    giving.recurring_gift_resume(gift=gift, attempt_key=attempt())
    gift.refresh_from_db()
    assert gift.status == "active" and gift.paused_at is None
    assert gift.amount == Decimal("22.50")  # a resume keeps the new amount
    recurring_gift_cancel(gift=gift)
    gift.refresh_from_db()
    assert gift.status == "cancelled" and gift.cancelled_at is not None
    types = list(
        ProviderEvent.objects.filter(provider="demo")
        .order_by("received_at", "pk")
        .values_list("event_type", flat=True)
    )
    assert types[-4:] == ["customer.subscription.updated"] * 3 + ["customer.subscription.deleted"]
    assert ledger() == before  # the changes write no money
    assert campaign_totals_recompute() == []


def test_a_double_click_is_one_event(demo_provider, campaign):
    gift = demo_monthly_gift(campaign, email="mo@example.org")
    key = attempt()
    giving.recurring_gift_amount_change(gift=gift, amount=Decimal("30"), attempt_key=key)
    count = ProviderEvent.objects.count()
    gift.refresh_from_db()
    giving.recurring_gift_amount_change(gift=gift, amount=Decimal("30"), attempt_key=key)
    assert ProviderEvent.objects.count() == count


def test_the_demo_card_page_records_the_card_through_the_card_events(demo_provider, campaign):
    gift = demo_monthly_gift(campaign, email="mo@example.org")
    url = giving.recurring_gift_card_change_start(
        gift=gift, return_path="/account/giving/", attempt_key=attempt()
    )
    token = url.rstrip("/").rsplit("/", 1)[-1]
    request = giving.demo_card_request_read(token=token)
    assert request is not None and request.gift == gift
    giving.demo_card_complete(request=request, last4="4444", exp_month=3, exp_year=2031)
    gift.refresh_from_db()
    assert (gift.card_brand, gift.card_last4, gift.card_exp_month, gift.card_exp_year) == (
        "mastercard",
        "4444",
        3,
        2031,
    )
    assert set(ProviderEvent.objects.values_list("event_type", flat=True)) >= {
        "payment_method.attached",
        "setup_intent.succeeded",
    }


def test_a_forged_demo_card_link_names_no_gift(demo_provider, campaign):
    gift = demo_monthly_gift(campaign, email="mo@example.org")
    url = giving.recurring_gift_card_change_start(
        gift=gift, return_path="/account/giving/", attempt_key=attempt()
    )
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert giving.demo_card_request_read(token=token[:-2] + "xx") is None


@pytest.mark.parametrize(
    "call",
    [
        lambda gift: giving.recurring_gift_amount_change(
            gift=gift, amount=Decimal("0"), attempt_key=attempt()
        ),
        lambda gift: giving.recurring_gift_amount_change(
            gift=gift, amount=Decimal("10"), attempt_key="not-a-form-key"
        ),
        lambda gift: giving.recurring_gift_resume(gift=gift, attempt_key=attempt()),
        lambda gift: giving.recurring_gift_card_change_start(
            gift=gift, return_path="//evil.example/", attempt_key=attempt()
        ),
        lambda gift: giving.recurring_gift_change(
            gift=gift, action="refund", amount_text="", attempt_key=attempt(), return_path="/"
        ),
        lambda gift: giving.recurring_gift_change(
            gift=gift, action="amount", amount_text="1e9", attempt_key=attempt(), return_path="/"
        ),
    ],
)
def test_refusals_are_clear_and_change_nothing(demo_provider, campaign, call):
    gift = demo_monthly_gift(campaign, email="mo@example.org")
    events = ProviderEvent.objects.count()
    with pytest.raises(ServiceError) as refusal:
        call(gift)
    assert 400 <= refusal.value.status_code < 500 and refusal.value.message
    assert ProviderEvent.objects.count() == events
    gift.refresh_from_db()
    assert (gift.amount, gift.status) == (Decimal("15.00"), "active")


def test_an_ended_gift_cannot_be_changed(demo_provider, campaign):
    gift = demo_monthly_gift(campaign, email="mo@example.org")
    recurring_gift_cancel(gift=gift)
    gift.refresh_from_db()
    with pytest.raises(giving.GiftChangeRefused):
        giving.recurring_gift_pause(gift=gift, attempt_key=attempt())


# --- Stripe ---------------------------------------------------------------------------------
def test_an_amount_change_asks_stripe_without_proration_and_changes_nothing_here(
    fake_stripe, campaign
):
    gift = stripe_gift(campaign, sub="sub_amount_1")
    key = attempt()
    giving.recurring_gift_amount_change(gift=gift, amount=Decimal("25"), attempt_key=key)
    giving.recurring_gift_amount_change(gift=gift, amount=Decimal("25"), attempt_key=key)
    read, write, _, again = fake_stripe.requests
    assert (read["method"], read["path"]) == ("GET", "/v1/subscriptions/sub_amount_1")
    assert (write["method"], write["path"]) == ("POST", "/v1/subscriptions/sub_amount_1")
    params = write["params"]
    assert params["proration_behavior"] == ["none"]
    assert params["items[0][id]"] == ["si_QXhVnC2h0Jczwc"]  # the item Stripe named
    assert params["items[0][price_data][unit_amount]"] == ["2500"]
    assert params["items[0][price_data][currency]"] == ["usd"]
    assert params["items[0][price_data][product]"] == ["prod_QXg1hqf4jFNsqG"]
    assert params["items[0][price_data][recurring][interval]"] == ["month"]
    assert write["idempotency_key"] == again["idempotency_key"]  # a double click: once
    assert "sub_amount_1" in write["idempotency_key"] and "2500" in write["idempotency_key"]
    gift.refresh_from_db()
    assert gift.amount == Decimal("15.00")  # until Stripe's event says so


def test_pause_and_resume_ask_stripe_for_pause_collection(fake_stripe, campaign):
    gift = stripe_gift(campaign, sub="sub_pause_1")
    giving.recurring_gift_pause(gift=gift, attempt_key=attempt())
    RecurringGift.objects.filter(pk=gift.pk).update(status="paused")  # as its event would
    gift.refresh_from_db()
    giving.recurring_gift_resume(gift=gift, attempt_key=attempt())
    pause, resume = fake_stripe.writes()
    assert pause["params"] == {"pause_collection[behavior]": ["void"]}
    assert resume["params"] == {"pause_collection": [""]}  # cleared
    assert pause["idempotency_key"].startswith("newsdesk-pause-sub_pause_1-")
    assert resume["idempotency_key"].startswith("newsdesk-resume-sub_pause_1-")


def test_cancel_asks_stripe_once_and_waits_for_its_event(fake_stripe, campaign):
    gift = stripe_gift(campaign, sub="sub_cancel_1")
    recurring_gift_cancel(gift=gift)
    recurring_gift_cancel(gift=gift)
    first, second = fake_stripe.writes()
    assert (first["method"], first["path"]) == ("DELETE", "/v1/subscriptions/sub_cancel_1")
    assert first["idempotency_key"] == second["idempotency_key"] == "newsdesk-cancel-sub_cancel_1"
    gift.refresh_from_db()
    assert gift.status == "active"  # Stripe's customer.subscription.deleted will say


def test_a_card_change_opens_checkout_in_setup_mode_back_to_the_giving_page(
    fake_stripe, campaign, settings
):
    gift = stripe_gift(campaign, sub="sub_card_1", customer="cus_card_1")
    url = giving.recurring_gift_card_change_start(
        gift=gift, return_path="/account/giving/", attempt_key=attempt()
    )
    assert url == CARD_SESSION_URL
    (call,) = fake_stripe.writes()
    params = call["params"]
    assert call["path"] == "/v1/checkout/sessions"
    assert params["mode"] == ["setup"]
    assert params["customer"] == ["cus_card_1"]
    assert params["setup_intent_data[metadata][subscription_id]"] == ["sub_card_1"]
    assert params["success_url"][0].endswith("/account/giving/?card=updated")
    assert params["cancel_url"][0].endswith("/account/giving/")
    assert call["idempotency_key"].startswith("newsdesk-card-sub_card_1-")


def test_a_card_change_without_a_known_customer_reads_it_from_stripe(fake_stripe, campaign):
    gift = stripe_gift(campaign, sub="sub_card_2", customer="")
    giving.recurring_gift_card_change_start(
        gift=gift, return_path="/account/giving/", attempt_key=attempt()
    )
    read, create = fake_stripe.requests
    assert (read["method"], read["path"]) == ("GET", "/v1/subscriptions/sub_card_2")
    assert create["params"]["customer"] == ["cus_QXg1o8vcGmoR32"]


@pytest.mark.parametrize("action", ["amount", "pause", "cancel", "card"])
def test_a_stripe_error_is_a_clear_refusal_and_changes_nothing(fake_stripe, campaign, action):
    gift = stripe_gift(campaign, sub="sub_down_1")
    fake_stripe.fail_with = (500, {"error": {"type": "api_error", "message": "Down"}})
    with pytest.raises(ProviderUnavailable) as refusal:
        giving.recurring_gift_change(
            gift=gift, action=action, amount_text="20", attempt_key=attempt(), return_path="/"
        )
    assert "did not answer" in refusal.value.message
    gift.refresh_from_db()
    assert (gift.amount, gift.status) == (Decimal("15.00"), "active")
    assert ProviderEvent.objects.count() == 0


def test_the_new_card_becomes_the_subscriptions_default_once(fake_stripe, campaign):
    gift = stripe_gift(campaign, sub="sub_default_1")
    giving.recurring_gift_card_default_apply.call(gift_id=gift.pk, payment_method_id="pm_new_1")
    giving.recurring_gift_card_default_apply.call(gift_id=gift.pk, payment_method_id="pm_new_1")
    first, second = fake_stripe.writes()
    assert first["params"] == {"default_payment_method": ["pm_new_1"]}
    assert first["idempotency_key"] == second["idempotency_key"]
