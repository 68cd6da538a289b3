"""Outgoing calls to Stripe, through the official library, each with an idempotency key.

The key is derived from what the call is for (the donate form's attempt and the gift, the
subscription to cancel, the gift and the refund form sent), so a retried request, a double
click or a network retry reaches Stripe with the same key and Stripe performs it once.
"""

import hashlib
import json
from decimal import Decimal
from typing import TYPE_CHECKING, cast

import stripe

from newsdesk.funding import conf
from newsdesk.funding.money import to_minor_units

if TYPE_CHECKING:
    from stripe.params import RefundCreateParams
    from stripe.params.checkout import SessionCreateParams


def stripe_client() -> stripe.StripeClient:
    return stripe.StripeClient(
        conf.stripe_secret_key(),
        base_addresses={"api": conf.stripe_api_base()},
        max_network_retries=2,
    )


def stripe_checkout_session_create(
    *,
    attempt_key: str,
    monthly: bool,
    amount: Decimal,
    currency: str,
    product_name: str,
    email: str,
    metadata: dict[str, str],
    success_url: str,
    cancel_url: str,
) -> dict:
    """Create a Checkout Session (payment, or subscription for a monthly gift); return it."""
    price_data: dict = {
        "currency": currency.lower(),
        "unit_amount": to_minor_units(amount, currency=currency),
        "product_data": {"name": product_name},
    }
    params: dict = {
        "mode": "subscription" if monthly else "payment",
        "line_items": [{"quantity": 1, "price_data": price_data}],
        "customer_email": email,
        "client_reference_id": metadata.get("campaign_id", ""),
        "metadata": metadata,
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    if monthly:
        price_data["recurring"] = {"interval": "month"}
        # Each invoice carries the subscription's metadata, so a renewal names its campaign.
        params["subscription_data"] = {"metadata": metadata}
    else:
        params["submit_type"] = "donate"
        params["payment_intent_data"] = {"metadata": metadata}
    # Same form, same gift: same key. A reader who goes back and changes the amount gets a
    # new key (Stripe refuses a reused key with different parameters).
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]
    session = stripe_client().v1.checkout.sessions.create(
        # A plain dict (hashed above for the idempotency key) with SessionCreateParams' keys.
        params=cast("SessionCreateParams", params),
        options={"idempotency_key": f"newsdesk-checkout-{attempt_key}-{digest}"},
    )
    return session.to_dict()


def stripe_subscription_cancel(*, subscription_id: str) -> None:
    stripe_client().v1.subscriptions.cancel(
        subscription_id, options={"idempotency_key": f"newsdesk-cancel-{subscription_id}"}
    )


def stripe_refund_create(
    *,
    idempotency_key: str,
    payment_intent_id: str,
    charge_id: str,
    amount: Decimal,
    currency: str,
    metadata: dict[str, str],
) -> dict:
    """Refund ``amount`` of a payment (by its payment intent, else its charge); return the
    refund. Stripe performs one refund per ``idempotency_key`` however often it is sent."""
    params: dict = {
        "amount": to_minor_units(amount, currency=currency),
        "reason": "requested_by_customer",
        "metadata": metadata,
    }
    if payment_intent_id:
        params["payment_intent"] = payment_intent_id
    else:
        params["charge"] = charge_id
    refund = stripe_client().v1.refunds.create(
        params=cast("RefundCreateParams", params),
        options={"idempotency_key": idempotency_key},
    )
    return refund.to_dict()
