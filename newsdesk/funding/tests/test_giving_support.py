"""Shared helpers of the giving tests (no tests here): monthly gifts made through the demo
provider's real checkout, Stripe-shaped subscription events, and a local Stripe server that
answers the subscription calls a donor's changes make."""

import uuid
from decimal import Decimal

from newsdesk.funding.models import RecurringGift
from newsdesk.funding.services.checkout import GiftRequest, demo_checkout_complete
from newsdesk.funding.tests.helpers import fixture_event
from tests.support.stripe_server import NOT_FOUND, LocalStripe, stripe_example

CARD_SESSION_URL = "https://checkout.stripe.com/c/pay/cs_test_card"


def attempt() -> str:
    """A fresh form attempt key, as a served giving page carries."""
    return uuid.uuid4().hex


def demo_monthly_gift(campaign, *, email: str, amount: str = "15") -> RecurringGift:
    """A monthly gift paid through the demo provider's checkout (its events, its ledger)."""
    key = uuid.uuid4().hex
    demo_checkout_complete(
        gift=GiftRequest(
            campaign_id=campaign.pk,
            amount=Decimal(amount),
            currency=campaign.currency,
            monthly=True,
            email=email,
            donor_name="Monthly Mo",
            message="",
            attempt_key=key,
        )
    )
    return RecurringGift.objects.get(
        subscription_id=f"sub_demo_{uuid.uuid5(uuid.NAMESPACE_URL, f'newsdesk-demo:{key}').hex}"
    )


def stripe_gift(
    campaign,
    *,
    email: str = "monthly@example.org",
    sub: str | None = None,
    customer: str = "cus_local_1",
    amount: str = "15",
) -> RecurringGift:
    return RecurringGift.objects.create(
        provider="stripe",
        subscription_id=sub or f"sub_{uuid.uuid4().hex[:16]}",
        campaign=campaign,
        amount=Decimal(amount),
        currency=campaign.currency,
        donor_email=email,
        customer_id=customer,
    )


def subscription_updated(
    sub: str,
    *,
    amount_minor: int = 1500,
    paused: bool = False,
    created: int = 1_700_000_000,
    customer: str = "cus_local_1",
    status: str = "active",
) -> dict:
    """Stripe's ``customer.subscription.updated`` (the shared fixture) for ``sub``."""
    event = fixture_event("customer.subscription.updated", id=sub, customer=customer, status=status)
    event["created"] = created
    obj = event["data"]["object"]
    obj["pause_collection"] = {"behavior": "void", "resumes_at": None} if paused else None
    item = obj["items"]["data"][0]
    item["price"]["unit_amount"] = amount_minor
    item["plan"]["amount"] = amount_minor
    return event


class SubscriptionStripe(LocalStripe):
    """Answers the subscription calls with Stripe's example objects (ids of the request)."""

    def __init__(self):
        self.subscription = stripe_example("subscription")
        self.session = stripe_example("checkout.session")
        self.session["url"] = CARD_SESSION_URL
        super().__init__(self._answer)

    def _answer(self, method, path, params, key):
        if path.startswith("/v1/subscriptions/"):
            sub = path.rsplit("/", 1)[-1].split("?")[0]
            answer = dict(self.subscription, id=sub)
            if method == "DELETE":
                answer["status"] = "canceled"
            return 200, answer
        if path == "/v1/checkout/sessions":
            return 200, dict(self.session, mode="setup")
        return NOT_FOUND

    def writes(self) -> list[dict]:
        return [call for call in self.requests if call["method"] != "GET"]
