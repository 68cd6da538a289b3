"""Outgoing Stripe calls that change a running monthly gift, each with an idempotency key.

Every key is derived from what the call does: the subscription, the change asked for and the
attempt (the form served to the donor), so a double click or a network retry reaches Stripe
with the same key and Stripe performs the change once, while the same change asked again
from a new page is a new request. Nothing here writes locally: the gift changes when
Stripe's signed event about it arrives (``events_subscriptions.py``).
"""

from typing import TYPE_CHECKING, cast

from newsdesk.funding.services.stripe_gateway import stripe_client

if TYPE_CHECKING:
    from stripe.params import SubscriptionUpdateParams
    from stripe.params.checkout import SessionCreateParams


def _key(action: str, subscription_id: str, attempt_key: str, *parts: object) -> str:
    return "-".join(["newsdesk", action, subscription_id, *map(str, parts), attempt_key])


def stripe_subscription_amount_change(
    *,
    subscription_id: str,
    amount_minor: int,
    currency: str,
    attempt_key: str,
    metadata: dict[str, str] | None = None,
) -> None:
    """Charge ``amount_minor`` a month from the next invoice on, with no proration;
    ``metadata`` keys are set on the subscription (Stripe merges them into its own).

    The subscription's one item gets a new price (``price_data`` on the item's product);
    the subscription is read first for the item and product ids.
    """
    client = stripe_client()
    subscription = client.v1.subscriptions.retrieve(subscription_id)
    item = subscription["items"]["data"][0]
    product = item["price"]["product"]
    if not isinstance(product, str):
        product = product["id"]
    params: dict[str, object] = {
        "items": [
            {
                "id": item["id"],
                "price_data": {
                    "currency": currency.lower(),
                    "product": product,
                    "unit_amount": amount_minor,
                    "recurring": {"interval": "month"},
                },
            }
        ],
        "proration_behavior": "none",
    }
    if metadata:
        params["metadata"] = metadata
    client.v1.subscriptions.update(
        subscription_id,
        params=cast("SubscriptionUpdateParams", params),
        options={"idempotency_key": _key("amount", subscription_id, attempt_key, amount_minor)},
    )


def stripe_subscription_pause(*, subscription_id: str, attempt_key: str) -> None:
    """Stop collecting: invoices are voided until resumed (``pause_collection`` void)."""
    stripe_client().v1.subscriptions.update(
        subscription_id,
        params={"pause_collection": {"behavior": "void"}},
        options={"idempotency_key": _key("pause", subscription_id, attempt_key)},
    )


def stripe_subscription_resume(*, subscription_id: str, attempt_key: str) -> None:
    """Collect again from the next invoice: ``pause_collection`` cleared (an empty value)."""
    params = {"pause_collection": ""}
    stripe_client().v1.subscriptions.update(
        subscription_id,
        params=cast("SubscriptionUpdateParams", params),
        options={"idempotency_key": _key("resume", subscription_id, attempt_key)},
    )


def stripe_card_setup_session_create(
    *,
    subscription_id: str,
    customer_id: str,
    currency: str,
    success_url: str,
    cancel_url: str,
    attempt_key: str,
) -> str:
    """A Checkout Session in setup mode collecting a new card for ``subscription_id``'s
    customer; returns its URL. The SetupIntent carries the subscription in its metadata, so
    its ``setup_intent.succeeded`` event says which gift the card is for (Stripe's "Update
    payment details" guide)."""
    params = {
        "mode": "setup",
        "customer": customer_id,
        "currency": currency.lower(),
        "setup_intent_data": {
            "metadata": {"subscription_id": subscription_id, "source": "newsdesk"}
        },
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    session = stripe_client().v1.checkout.sessions.create(
        params=cast("SessionCreateParams", params),
        options={"idempotency_key": _key("card", subscription_id, attempt_key)},
    )
    return str(session["url"])


def stripe_subscription_default_payment_method_set(
    *, subscription_id: str, payment_method_id: str
) -> None:
    """Make ``payment_method_id`` the card future invoices of ``subscription_id`` charge.
    One key per (subscription, card): a redelivered event or a rerun task asks once."""
    stripe_client().v1.subscriptions.update(
        subscription_id,
        params={"default_payment_method": payment_method_id},
        options={"idempotency_key": f"newsdesk-card-default-{subscription_id}-{payment_method_id}"},
    )


def stripe_subscription_customer(*, subscription_id: str) -> str:
    """The customer a subscription charges (read; for a gift whose events did not say)."""
    subscription = stripe_client().v1.subscriptions.retrieve(subscription_id)
    customer = subscription["customer"]
    return customer if isinstance(customer, str) else str(customer["id"])
