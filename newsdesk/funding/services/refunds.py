"""A treasurer refunds an online gift (Stripe or the demo provider), whole or in part.

The refund is asked of the provider; the ledger's refund row comes only from the provider's
``charge.refunded`` event (``services/events.py``), exactly as for a refund made in Stripe's
dashboard. Here a ``RefundRequest`` records who asked for how much and why, pending until
that event lands; what it asks for is no longer refundable in the meantime.

A form sent twice (a double click, a reload) carries the same attempt key: the second finds
the first's request and asks nothing more, and the provider gets the same idempotency key
(``newsdesk-refund-<gift>-<attempt>``), so a retried call refunds once too.
"""

import json
import logging
import re
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import stripe
from django.db import IntegrityError, transaction
from django.db.models import Sum

from newsdesk.funding.errors import ProviderUnavailable, RefundRefused
from newsdesk.funding.models import Donation, RefundRequest
from newsdesk.funding.money import money_format, to_minor_units
from newsdesk.funding.services.events import provider_event_process
from newsdesk.funding.services.ledger import ledger_lock, payment_refunded_so_far
from newsdesk.funding.services.stripe_gateway import stripe_refund_create

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

ONLINE_PROVIDERS = {Donation.Provider.STRIPE, Donation.Provider.DEMO}
ATTEMPT_KEY = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class RefundAsked:
    """The request a refund form led to; ``created`` is False when the same form was
    already sent (nothing more was asked of the provider)."""

    request: RefundRequest
    created: bool


def refund_pending_total(*, payment: Donation) -> Decimal:
    """What refunds asked of the provider, and not yet reported by it, take from ``payment``."""
    total = payment.refund_requests.filter(status=RefundRequest.Status.PENDING).aggregate(
        s=Sum("amount")
    )["s"]
    return total or Decimal(0)


def refund_left(*, payment: Donation) -> Decimal:
    """What can still be refunded of ``payment``: less refunds recorded and pending."""
    return (
        payment.amount
        - payment_refunded_so_far(payment=payment)
        - refund_pending_total(payment=payment)
    )


def refund_refusal(*, donation: Donation) -> str:
    """Why ``donation`` cannot be refunded from the admin, or "" when it can."""
    if donation.kind != Donation.Kind.PAYMENT:
        return "Only a payment can be refunded; this row already moves money back."
    if donation.provider == Donation.Provider.MANUAL:
        return (
            "A gift received outside the online providers is refunded by recording the "
            "refund (Record a gift received, kind Refund)."
        )
    if donation.provider not in ONLINE_PROVIDERS:
        return f"Gifts through {donation.provider} cannot be refunded here."
    if not (donation.payment_intent_id or donation.charge_id):
        return (
            "This gift is not settled yet: the provider has not reported the payment it "
            "was made with, so there is nothing to refund. Try again once it has."
        )
    return ""


def donation_refund(
    *,
    donation: Donation,
    amount: Decimal,
    reason: str,
    attempt_key: str,
    requested_by: "User | None",
) -> RefundAsked:
    """Ask the provider to refund ``amount`` (positive, in the gift's currency) of a gift.

    Raises ``RefundRefused`` (nothing written, nothing asked) when the gift cannot be
    refunded here or ``amount`` is more than what is left of it, and
    ``ProviderUnavailable`` when the provider refuses or does not answer (the request is
    removed again: nothing changed). The same ``attempt_key`` twice returns the first
    request with ``created`` False.
    """
    refusal = refund_refusal(donation=donation)
    if refusal:
        raise RefundRefused(refusal)
    if not ATTEMPT_KEY.match(attempt_key or ""):
        raise RefundRefused("The form is out of date; open the gift again.")
    reason = " ".join((reason or "").split())[:255]
    if not reason:
        raise RefundRefused("Say why the gift is refunded.", field="reason")
    if amount <= 0:
        raise RefundRefused("Enter an amount above zero.", field="amount")
    try:
        with transaction.atomic():
            ledger_lock()  # refunds of one gift are weighed one at a time
            existing = RefundRequest.objects.filter(
                donation=donation, attempt_key=attempt_key
            ).first()
            if existing is not None:
                return RefundAsked(request=existing, created=False)
            left = refund_left(payment=donation)
            if amount > left:
                raise RefundRefused(
                    f"That is more than what is left of this gift: at most "
                    f"{money_format(left, donation.currency, always_decimals=True)} "
                    "can still be refunded.",
                    field="amount",
                )
            request = RefundRequest.objects.create(
                donation=donation,
                amount=amount,
                currency=donation.currency,
                reason=reason,
                attempt_key=attempt_key,
                requested_by=requested_by,
            )
    except IntegrityError:  # the same form, sent at the same moment, won the race
        existing = RefundRequest.objects.get(donation=donation, attempt_key=attempt_key)
        return RefundAsked(request=existing, created=False)
    # The provider is called outside the transaction: the ledger's lock is not held across
    # a network call, and the demo provider's event needs the request committed.
    try:
        refund_id = _provider_refund(request=request)
    except stripe.StripeError as error:
        logger.warning(
            "Stripe refused refund %s of donation %s: %s", request.pk, donation.pk, error
        )
        request.delete()
        detail = getattr(error, "user_message", None) or "it did not answer"
        raise ProviderUnavailable(
            f"The payment service refused the refund ({detail}). Nothing was refunded; "
            "try again in a moment."
        ) from error
    RefundRequest.objects.filter(pk=request.pk).update(provider_refund_id=refund_id)
    request.refresh_from_db()
    return RefundAsked(request=request, created=True)


def _idempotency_key(request: RefundRequest) -> str:
    return f"newsdesk-refund-{request.donation_id}-{request.attempt_key}"


def _provider_refund(*, request: RefundRequest) -> str:
    donation = request.donation
    if donation.provider == Donation.Provider.STRIPE:
        refund = stripe_refund_create(
            idempotency_key=_idempotency_key(request),
            payment_intent_id=donation.payment_intent_id,
            charge_id=donation.charge_id,
            amount=request.amount,
            currency=request.currency,
            metadata={"newsdesk_refund_request": str(request.pk), "reason": request.reason},
        )
        return str(refund.get("id") or "")
    return _demo_refund(request=request)


def _demo_refund(*, request: RefundRequest) -> str:
    """The demo provider refunds as Stripe would report it: a ``charge.refunded`` event with
    the charge's cumulative refunded amount, through the webhook's own path. Its ids come
    from the request's attempt key, so it is applied once."""
    donation = request.donation
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"newsdesk-demo-refund:{_idempotency_key(request)}").hex
    payment_intent = donation.payment_intent_id
    charge = donation.charge_id or "ch_demo_" + (
        payment_intent.removeprefix("pi_demo_") or str(donation.pk)
    )
    refunded = payment_refunded_so_far(payment=donation) + request.amount
    currency = donation.currency
    refund_id = f"re_demo_{key}"
    charge_object = {
        "id": charge,
        "object": "charge",
        "payment_intent": payment_intent or None,
        "amount": to_minor_units(donation.amount, currency=currency),
        "amount_refunded": to_minor_units(refunded, currency=currency),
        "currency": currency.lower(),
        "refunded": refunded >= donation.amount,
        "refunds": {
            "object": "list",
            "data": [
                {
                    "id": refund_id,
                    "object": "refund",
                    "amount": to_minor_units(request.amount, currency=currency),
                    "status": "succeeded",
                }
            ],
        },
    }
    # The same shape as the demo checkout's events (``services/checkout.py``).
    event = {
        "id": f"evt_demo_{key}_refund",
        "object": "event",
        "type": "charge.refunded",
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": charge_object},
    }
    provider_event_process(provider=Donation.Provider.DEMO, payload=json.dumps(event))
    return refund_id
