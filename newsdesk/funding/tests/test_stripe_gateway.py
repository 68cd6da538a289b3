"""Outgoing Stripe calls, against a local server that answers like Stripe's API.

Stripe's servers cannot be reached from tests; the library is pointed at a server on
127.0.0.1 (``tests/support/stripe_server.py``) that answers with the example objects of
Stripe's own OpenAPI fixtures and records every request, with its Idempotency-Key header.
"""

import pytest

from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.services.recurring import recurring_gift_cancel_token
from newsdesk.funding.tests.helpers import make_campaign
from tests.support.stripe_server import NOT_FOUND, LocalStripe, stripe_example

pytestmark = pytest.mark.django_db

CHECKOUT_URL = "https://checkout.stripe.com/c/pay/cs_test_local"


class FakeStripe(LocalStripe):
    """Records requests; answers from Stripe's OpenAPI example resources."""

    def __init__(self):
        self.session = stripe_example("checkout.session")
        self.session["url"] = CHECKOUT_URL
        self.subscription = stripe_example("subscription")
        super().__init__(self._answer)

    def _answer(self, method, path, params, key):
        if path == "/v1/checkout/sessions":
            return 200, self.session
        if path.startswith("/v1/subscriptions/"):
            subscription = dict(self.subscription, id=path.rsplit("/", 1)[-1])
            return 200, dict(subscription, status="canceled")
        return NOT_FOUND


@pytest.fixture
def fake_stripe(settings):
    with FakeStripe() as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_local"
        settings.STRIPE_API_BASE = fake.url
        yield fake


@pytest.fixture
def campaign(db):
    return make_campaign()


def donate_form(campaign, **changes):
    data = {
        "campaign": str(campaign.pk),
        "currency": "USD",
        "attempt": "11112222333344445555666677778888",
        "amount": "50",
        "frequency": "once",
        "email": "card@example.org",
        "donor_name": "Lee",
        "message": "For the river towns",
    }
    data.update(changes)
    return data


def test_a_one_time_gift_opens_a_checkout_session_with_an_idempotency_key(
    client, fake_stripe, campaign
):
    response = client.post("/donate/", donate_form(campaign))
    assert response.status_code == 302
    assert response["Location"] == CHECKOUT_URL
    (call,) = fake_stripe.requests
    assert call["method"] == "POST" and call["path"] == "/v1/checkout/sessions"
    assert call["authorization"] == "Bearer sk_test_local"
    assert call["idempotency_key"].startswith("newsdesk-checkout-11112222333344445555666677778888-")
    params = call["params"]
    assert params["mode"] == ["payment"]
    assert params["line_items[0][price_data][unit_amount]"] == ["5000"]
    assert params["line_items[0][price_data][currency]"] == ["usd"]
    assert params["metadata[campaign_id]"] == [str(campaign.pk)]
    assert params["payment_intent_data[metadata][donor_name]"] == ["Lee"]
    assert params["customer_email"] == ["card@example.org"]
    assert Donation.objects.count() == 0  # the money is counted when Stripe reports it


def test_a_resubmitted_form_reaches_stripe_with_the_same_key(client, fake_stripe, campaign):
    client.post("/donate/", donate_form(campaign))
    client.post("/donate/", donate_form(campaign))
    client.post("/donate/", donate_form(campaign, attempt="99998888777766665555444433332222"))
    client.post("/donate/", donate_form(campaign, amount="100"))  # went back, changed it
    keys = [call["idempotency_key"] for call in fake_stripe.requests]
    assert keys[0] == keys[1]
    assert len(set(keys)) == 3


def test_a_monthly_gift_opens_a_subscription_checkout(client, fake_stripe, campaign):
    client.post("/donate/", donate_form(campaign, frequency="monthly"))
    params = fake_stripe.requests[0]["params"]
    assert params["mode"] == ["subscription"]
    assert params["line_items[0][price_data][recurring][interval]"] == ["month"]
    assert params["subscription_data[metadata][campaign_id]"] == [str(campaign.pk)]
    assert "payment_intent_data[metadata][campaign_id]" not in params


def test_a_stripe_error_is_a_clear_form_error_and_charges_nothing(client, fake_stripe, campaign):
    fake_stripe.fail_with = (
        400,
        {"error": {"type": "invalid_request_error", "message": "Bad things"}},
    )
    response = client.post("/donate/", donate_form(campaign))
    assert response.status_code == 400
    assert "payment service is not answering" in response.content.decode()
    assert Donation.objects.count() == 0


def test_cancelling_a_monthly_gift_cancels_the_subscription_once(client, fake_stripe, campaign):
    gift = RecurringGift.objects.create(
        provider="stripe",
        subscription_id="sub_local_1",
        campaign=campaign,
        amount=15,
        currency="USD",
        donor_email="m@example.org",
    )
    url = f"/donate/cancel/{recurring_gift_cancel_token(gift=gift)}/"
    first = client.post(url)
    assert first.status_code == 200 and b'data-part="cancel-asked"' in first.content
    assert client.post(url).status_code == 200
    calls = fake_stripe.requests  # a second click: the same key, so Stripe cancels once
    assert [(c["method"], c["path"]) for c in calls] == [
        ("DELETE", "/v1/subscriptions/sub_local_1")
    ] * 2
    assert {c["idempotency_key"] for c in calls} == {"newsdesk-cancel-sub_local_1"}
    gift.refresh_from_db()
    assert gift.status == "active"  # until Stripe's customer.subscription.deleted arrives


def test_a_failed_cancel_changes_nothing_and_can_be_retried(client, fake_stripe, campaign):
    gift = RecurringGift.objects.create(
        provider="stripe", subscription_id="sub_local_2", amount=15, currency="USD"
    )
    fake_stripe.fail_with = (404, {"error": {"type": "invalid_request_error"}})
    url = f"/donate/cancel/{recurring_gift_cancel_token(gift=gift)}/"
    assert client.post(url).status_code == 502
    gift.refresh_from_db()
    assert gift.status == "active"
