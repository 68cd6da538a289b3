"""A treasurer refunds an online gift (Stripe or the demo provider), whole or in part.

The refund is asked of the provider; the ledger's refund row comes only from the provider's
``charge.refunded`` event (``services/events.py``), exactly as for a refund made in Stripe's
dashboard. Here a ``RefundRequest`` records who asked for how much and why, pending until
that event lands; what it asks for is no longer refundable in the meantime.

The provider's reports themselves, ``charge.refunded`` and the disputes (``charge.dispute.*``),
are applied here too (``REVERSAL_HANDLERS``, merged into ``events.HANDLERS``): a charge's
cumulative refund, or a dispute's amount, is shared between the gift and the fees its donor
covered (``ledger.charge_parts``), each row at most to zero.

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
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

import stripe
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.funding.errors import ProviderUnavailable, RefundRefused
from newsdesk.funding.models import Donation, ProviderEvent, RefundRequest
from newsdesk.funding.money import money_format, to_minor_units
from newsdesk.funding.services.events_base import Applied, Handler, event_money, event_time
from newsdesk.funding.services.ledger import (
    charge_parts,
    donation_record,
    ledger_lock,
    payment_fee_row,
    payment_refunded_so_far,
)
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


def charge_refunded_so_far(*, payment: Donation) -> Decimal:
    """What refunds took back from the whole charge: the gift and the fees it covered."""
    fee_row = payment_fee_row(payment=payment)
    fee_refunded = payment_refunded_so_far(payment=fee_row) if fee_row else Decimal(0)
    return payment_refunded_so_far(payment=payment) + fee_refunded


def charge_amount(*, payment: Donation) -> Decimal:
    """What the donor was charged: the gift and the fees they covered (one provider charge,
    refunded as a whole by the provider)."""
    fee_row = payment_fee_row(payment=payment)
    return payment.amount + (fee_row.amount if fee_row else Decimal(0))


def refund_left(*, payment: Donation) -> Decimal:
    """What can still be refunded of ``payment``'s charge (the fees the donor covered
    included): less refunds recorded and pending."""
    return (
        charge_amount(payment=payment)
        - charge_refunded_so_far(payment=payment)
        - refund_pending_total(payment=payment)
    )


def refund_refusal(*, donation: Donation) -> str:
    """Why ``donation`` cannot be refunded from the admin, or "" when it can."""
    if donation.kind != Donation.Kind.PAYMENT:
        return _("Only a payment can be refunded; this row already moves money back.")
    if donation.provider == Donation.Provider.MANUAL:
        return _(
            "A gift received outside the online providers is refunded by recording the "
            "refund (Record a gift received, kind Refund)."
        )
    if donation.provider not in ONLINE_PROVIDERS:
        return _("Gifts through %(provider)s cannot be refunded here.") % {
            "provider": donation.provider
        }
    if not (donation.payment_intent_id or donation.charge_id):
        return _(
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
        raise RefundRefused(_("The form is out of date; open the gift again."))
    reason = " ".join((reason or "").split())[:255]
    if not reason:
        raise RefundRefused(_("Say why the gift is refunded."), field="reason")
    if amount <= 0:
        raise RefundRefused(_("Enter an amount above zero."), field="amount")
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
                    _(
                        "That is more than what is left of this gift: at most %(amount)s "
                        "can still be refunded."
                    )
                    % {"amount": money_format(left, donation.currency, always_decimals=True)},
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
        detail = getattr(error, "user_message", None) or _("it did not answer")
        raise ProviderUnavailable(
            _(
                "The payment service refused the refund (%(detail)s). Nothing was refunded; "
                "try again in a moment."
            )
            % {"detail": detail}
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
    refunded = charge_refunded_so_far(payment=donation) + request.amount
    charged = charge_amount(payment=donation)
    currency = donation.currency
    refund_id = f"re_demo_{key}"
    charge_object = {
        "id": charge,
        "object": "charge",
        "payment_intent": payment_intent or None,
        "amount": to_minor_units(charged, currency=currency),
        "amount_refunded": to_minor_units(refunded, currency=currency),
        "currency": currency.lower(),
        "refunded": refunded >= charged,
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
    # events.py takes this module's handlers for its table: imported here, at run time.
    from newsdesk.funding.services.events import provider_event_process

    provider_event_process(provider=Donation.Provider.DEMO, payload=json.dumps(event))
    return refund_id


# --- the provider's reports: refunds and disputes, run inside the event's transaction ---------
INQUIRY_STATUSES = {"warning_needs_response", "warning_under_review", "warning_closed"}


def _payment_find(*, provider: str, payment_intent: str, charge: str) -> Donation | None:
    match = Q()
    if payment_intent:
        match |= Q(payment_intent_id=payment_intent)
    if charge:
        match |= Q(charge_id=charge)
    if not match:
        return None
    return (
        Donation.objects.filter(match, provider=provider, kind=Donation.Kind.PAYMENT)
        .order_by("pk")
        .first()
    )


def _charge_refunded(*, record: ProviderEvent, obj: dict, event: dict) -> Applied:
    payment = _payment_find(
        provider=record.provider,
        payment_intent=obj.get("payment_intent") or "",
        charge=obj.get("id") or "",
    )
    if payment is None:
        return Applied(
            status=ProviderEvent.Status.DEFERRED,
            waits_for=obj.get("payment_intent") or obj["id"],
            note="Refund of a payment not recorded yet.",
        )
    refunded_total, currency = event_money(obj["amount_refunded"], obj["currency"])
    _refund_requests_settle(payment=payment, refunded_total=refunded_total, obj=obj)
    recorded = []
    # The charge's cumulative refund covers the gift first, then the fees the donor covered
    # (README: fees), each row at most to zero, never beyond.
    for row, part, suffix in charge_parts(payment=payment, amount=refunded_total):
        delta = part - payment_refunded_so_far(payment=row)
        if delta <= 0:
            continue
        donation = donation_record(
            provider=record.provider,
            provider_reference=f"{obj['id']}:refunded:{obj['amount_refunded']}{suffix}",
            kind=Donation.Kind.REFUND,
            amount=-delta,
            currency=currency,
            related_payment=row,
            received_at=event_time(event),
            charge_id=obj["id"],
            payment_intent_id=obj.get("payment_intent") or "",
            provider_event=record,
        )
        if donation is not None:
            recorded.append(str(donation.pk))
    if not recorded:
        return Applied(note="Refund already recorded.")
    return Applied(note=f"Recorded refund {', '.join(recorded)}.")


def _refund_requests_settle(*, payment: Donation, refunded_total: Decimal, obj: dict) -> None:
    """Mark the treasurers' pending refund requests of ``payment`` that this report covers.

    A request is settled when the event names its refund, or when the charge's cumulative
    refunded amount covers it and every request before it (a second partial refund's event
    reports both). Requests never write money: the refund row above does.
    """
    pending = list(payment.refund_requests.filter(status=RefundRequest.Status.PENDING))
    if not pending:
        return
    refunds = (obj.get("refunds") or {}).get("data") or []
    named = {str(refund.get("id")) for refund in refunds if isinstance(refund, dict)}
    covered = sum(
        (r.amount for r in payment.refund_requests.filter(status=RefundRequest.Status.SETTLED)),
        Decimal(0),
    )
    now = timezone.now()
    for request in pending:
        if (request.provider_refund_id and request.provider_refund_id in named) or (
            covered + request.amount <= refunded_total
        ):
            covered += request.amount
            RefundRequest.objects.filter(pk=request.pk).update(
                status=RefundRequest.Status.SETTLED, settled_at=now
            )


class _DisputeRowFields(TypedDict):
    """What a dispute's withdrawal and its reversal share (``donation_record``'s names)."""

    provider: str
    currency: str
    related_payment: Donation
    received_at: datetime
    charge_id: str
    provider_event: ProviderEvent


def _dispute_rows(*, record: ProviderEvent, obj: dict, event: dict, won: bool) -> Applied:
    payment = _payment_find(
        provider=record.provider,
        payment_intent=obj.get("payment_intent") or "",
        charge=obj.get("charge") or "",
    )
    if payment is None:
        return Applied(
            status=ProviderEvent.Status.DEFERRED,
            waits_for=obj.get("payment_intent") or obj.get("charge") or "",
            note="Dispute of a payment not recorded yet.",
        )
    amount, currency = event_money(obj["amount"], obj["currency"])
    common: _DisputeRowFields = {
        "provider": record.provider,
        "currency": currency,
        "related_payment": payment,
        "received_at": event_time(event),
        "charge_id": obj.get("charge") or "",
        "provider_event": record,
    }
    notes = []
    # A dispute takes the whole charge: the gift and the fees the donor covered, each on its
    # own row (the gift first), as a refund does.
    for row, part, suffix in charge_parts(payment=payment, amount=amount):
        if part <= 0:
            continue
        common["related_payment"] = row
        if donation_record(
            provider_reference=f"{obj['id']}:withdrawn{suffix}",
            kind=Donation.Kind.DISPUTE,
            amount=-part,
            **common,
        ):
            notes.append(f"withdrawal{suffix} recorded")
        if won and donation_record(
            provider_reference=f"{obj['id']}:reinstated{suffix}",
            kind=Donation.Kind.DISPUTE_REVERSAL,
            amount=part,
            **common,
        ):
            notes.append(f"reversal{suffix} recorded")
    return Applied(note=", ".join(notes) or "Already recorded.")


def _dispute_created(*, record: ProviderEvent, obj: dict, event: dict) -> Applied:
    if obj.get("status") in INQUIRY_STATUSES:
        return Applied(note="An inquiry: no money withdrawn.")
    return _dispute_rows(record=record, obj=obj, event=event, won=False)


def _dispute_closed(*, record: ProviderEvent, obj: dict, event: dict) -> Applied:
    status = obj.get("status")
    if status in INQUIRY_STATUSES:
        return Applied(note="An inquiry closed: no money moved.")
    if status not in {"won", "lost"}:
        return Applied(note=f"Dispute closed as {status}: nothing to record.")
    return _dispute_rows(record=record, obj=obj, event=event, won=status == "won")


REVERSAL_HANDLERS: dict[str, Handler] = {
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute_created,
    "charge.dispute.closed": _dispute_closed,
}
