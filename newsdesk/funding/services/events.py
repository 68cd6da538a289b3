"""Provider events (Stripe webhooks, demo payments) turned into ledger rows, exactly once.

``provider_event_process`` is the one path by which a provider's report of money reaches the
ledger: the Stripe webhook calls it with the verified body, the demo provider with an event
it built in Stripe's shape. In one transaction it takes the ledger lock, stores the event raw
(its id is unique: a replayed or raced event stops there and changes nothing) and applies it.

Sources of truth, so nothing is counted twice:
- one-time gifts: ``checkout.session.completed`` when ``payment_status`` is ``paid``, else
  ``checkout.session.async_payment_succeeded``; both name the same payment intent, recorded
  once;
- monthly gifts: every ``invoice.paid``, the first included. ``checkout.session.completed``
  in subscription mode only remembers the donor; it writes no money;
- refunds: ``charge.refunded``, whose cumulative ``amount_refunded`` is compared with the
  refunds recorded, so each refunded cent is written once in whatever order events come;
- disputes: ``charge.dispute.created`` writes the withdrawal (not for inquiries, which
  withdraw nothing), ``charge.dispute.closed`` as won writes its reversal; either event
  writes the withdrawal if the other has not.

An event about a payment the ledger has not seen (a refund that overtook its payment) is
stored as deferred and applied in the transaction that records that payment.
"""

import json
import logging
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypedDict

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

# A ServiceError (no longer a ValueError: the webhook view catches it by this name), kept
# importable from here where it is raised.
from newsdesk.funding.errors import EventError
from newsdesk.funding.models import (
    Campaign,
    Donation,
    ProviderEvent,
    RecurringGift,
    RefundRequest,
)
from newsdesk.funding.money import MoneyError
from newsdesk.funding.services.events_base import Applied as _Applied
from newsdesk.funding.services.events_base import Handler as _Handler
from newsdesk.funding.services.events_base import event_money as _money
from newsdesk.funding.services.events_base import event_time as _event_time
from newsdesk.funding.services.events_subscriptions import SUBSCRIPTION_HANDLERS
from newsdesk.funding.services.ledger import (
    donation_exists,
    donation_record,
    ledger_lock,
    payment_refunded_so_far,
)
from newsdesk.funding.text import plain_text_clean

logger = logging.getLogger(__name__)

INQUIRY_STATUSES = {"warning_needs_response", "warning_under_review", "warning_closed"}


class EventOutcome(StrEnum):
    PROCESSED = "processed"
    DEFERRED = "deferred"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


def provider_event_process(*, provider: str, payload: str) -> EventOutcome:
    """Apply one verified event (``payload`` is its raw JSON body) to the ledger, once.

    Unknown event types are acknowledged and write nothing. Raises ``EventError`` for a body
    that is not an event; nothing is written then.
    """
    try:
        event = json.loads(payload)
        event_id = str(event["id"])
        event_type = str(event["type"])
        obj = event["data"]["object"]
    except (ValueError, KeyError, TypeError) as error:
        raise EventError("The body is not a provider event.") from error
    handler = HANDLERS.get(event_type)
    if handler is None:
        return EventOutcome.IGNORED
    if ProviderEvent.objects.filter(provider=provider, event_id=event_id).exists():
        return EventOutcome.DUPLICATE
    try:
        with transaction.atomic():
            ledger_lock()
            try:
                with transaction.atomic():
                    record = ProviderEvent.objects.create(
                        provider=provider,
                        event_id=event_id,
                        event_type=event_type,
                        payload=payload,
                        status=ProviderEvent.Status.PROCESSED,
                    )
            except IntegrityError:
                return EventOutcome.DUPLICATE
            applied = _apply(record=record, handler=handler, obj=obj, event=event)
    except (KeyError, TypeError, MoneyError) as error:
        raise EventError(f"The {event_type} event cannot be applied: {error}") from error
    if applied.status == ProviderEvent.Status.DEFERRED:
        return EventOutcome.DEFERRED
    return EventOutcome.PROCESSED


def _apply(*, record: ProviderEvent, handler: _Handler, obj: dict, event: dict) -> _Applied:
    applied = handler(record=record, obj=obj, event=event) or _Applied()
    record.status = applied.status
    record.note = applied.note[:255]
    record.waits_for = applied.waits_for
    record.processed_at = (
        None if applied.status == ProviderEvent.Status.DEFERRED else timezone.now()
    )
    record.save(update_fields=["status", "note", "waits_for", "processed_at"])
    return applied


def _deferred_events_apply(*, keys: list[str]) -> None:
    """Apply the events that waited for a payment just recorded under one of ``keys``."""
    keys = [key for key in keys if key]
    if not keys:
        return
    waiting = ProviderEvent.objects.filter(
        status=ProviderEvent.Status.DEFERRED, waits_for__in=keys
    ).order_by("received_at", "pk")
    for record in waiting:
        event = json.loads(record.payload)
        _apply(
            record=record,
            handler=HANDLERS[record.event_type],
            obj=event["data"]["object"],
            event=event,
        )


# --- helpers --------------------------------------------------------------------------------
def _campaign_for(metadata: dict, *, fallback: Campaign | None = None) -> Campaign | None:
    """The campaign a gift names in its metadata, else ``fallback``, else the open one."""
    campaign_id = str((metadata or {}).get("campaign_id", ""))
    if campaign_id.isdigit():
        campaign = Campaign.objects.filter(pk=int(campaign_id)).first()
        if campaign is not None:
            return campaign
    if fallback is not None:
        return fallback
    from newsdesk.funding.selectors import campaign_current

    return campaign_current()


class _DonorFields(TypedDict):
    """What a gift's metadata tells of its donor (``donation_record``'s names)."""

    donor_name: str
    message: str


def _donor_fields(metadata: dict) -> _DonorFields:
    metadata = metadata or {}
    return {
        "donor_name": plain_text_clean(metadata.get("donor_name", ""), max_length=80),
        "message": plain_text_clean(metadata.get("message", ""), max_length=500),
    }


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


def _recurring_gift_remember(
    *,
    provider: str,
    subscription_id: str,
    campaign: Campaign | None,
    amount: Decimal,
    currency: str,
    email: str,
    donor: _DonorFields,
) -> RecurringGift:
    gift, _ = RecurringGift.objects.get_or_create(
        provider=provider,
        subscription_id=subscription_id,
        defaults={
            "campaign": campaign,
            "amount": amount,
            "currency": currency,
            "donor_email": (email or "").strip().lower(),
            **donor,
        },
    )
    return gift


# --- handlers: each returns what happened; they run inside the event's transaction ----------
def _checkout_session_paid(*, record: ProviderEvent, obj: dict, event: dict) -> _Applied:
    mode = obj.get("mode")
    metadata = obj.get("metadata") or {}
    email = (obj.get("customer_details") or {}).get("email") or obj.get("customer_email") or ""
    if mode == "subscription":
        subscription_id = obj.get("subscription") or ""
        if subscription_id and obj.get("amount_total") is not None and obj.get("currency"):
            amount, currency = _money(obj["amount_total"], obj["currency"])
            _recurring_gift_remember(
                provider=record.provider,
                subscription_id=subscription_id,
                campaign=_campaign_for(metadata),
                amount=amount,
                currency=currency,
                email=email,
                donor=_donor_fields(metadata),
            )
        return _Applied(note="Monthly gift: its money is counted from each paid invoice.")
    if mode != "payment":
        return _Applied(status=ProviderEvent.Status.IGNORED, note=f"Checkout in {mode} mode.")
    if obj.get("payment_status") != "paid":
        return _Applied(note=f"Payment status {obj.get('payment_status')}: nothing counted yet.")
    amount, currency = _money(obj["amount_total"], obj["currency"])
    payment_intent = obj.get("payment_intent") or ""
    donation = donation_record(
        provider=record.provider,
        provider_reference=payment_intent or obj["id"],
        kind=Donation.Kind.PAYMENT,
        amount=amount,
        currency=currency,
        campaign=_campaign_for(metadata),
        received_at=_event_time(event),
        payment_intent_id=payment_intent,
        donor_email=email,
        provider_event=record,
        **_donor_fields(metadata),
    )
    if donation is None:
        return _Applied(note="Payment already recorded.")
    _deferred_events_apply(keys=[payment_intent])
    return _Applied(note=f"Recorded donation {donation.pk}.")


def _checkout_session_failed(*, record: ProviderEvent, obj: dict, event: dict) -> _Applied:
    return _Applied(note="The delayed payment failed: nothing counted.")


def _invoice_subscription(obj: dict) -> tuple[str, dict]:
    """The subscription id and its metadata, wherever this API version puts them."""
    parent = (obj.get("parent") or {}).get("subscription_details") or {}
    details = obj.get("subscription_details") or {}
    subscription_id = obj.get("subscription") or parent.get("subscription") or ""
    if isinstance(subscription_id, dict):
        subscription_id = subscription_id.get("id", "")
    metadata = details.get("metadata") or parent.get("metadata") or {}
    if not metadata:
        lines = (obj.get("lines") or {}).get("data") or []
        metadata = (lines[0].get("metadata") or {}) if lines else {}
    return subscription_id, metadata


def _invoice_payment_intent(obj: dict) -> str:
    if obj.get("payment_intent"):
        return obj["payment_intent"]
    for payment in (obj.get("payments") or {}).get("data") or []:
        intent = (payment.get("payment") or {}).get("payment_intent")
        if intent:
            return intent
    return ""


def _invoice_paid(*, record: ProviderEvent, obj: dict, event: dict) -> _Applied:
    if not obj.get("amount_paid"):
        return _Applied(note="Nothing paid on this invoice.")
    amount, currency = _money(obj["amount_paid"], obj["currency"])
    subscription_id, metadata = _invoice_subscription(obj)
    gift = None
    if subscription_id:
        gift = RecurringGift.objects.filter(
            provider=record.provider, subscription_id=subscription_id
        ).first()
    campaign = _campaign_for(metadata, fallback=gift.campaign if gift else None)
    donor = _donor_fields(metadata)
    if gift and not metadata:
        donor = {"donor_name": gift.donor_name, "message": gift.message}
    email = obj.get("customer_email") or (gift.donor_email if gift else "")
    if subscription_id and gift is None:
        gift = _recurring_gift_remember(
            provider=record.provider,
            subscription_id=subscription_id,
            campaign=campaign,
            amount=amount,
            currency=currency,
            email=email,
            donor=donor,
        )
    payment_intent = _invoice_payment_intent(obj)
    charge = obj.get("charge") or ""
    donation = donation_record(
        provider=record.provider,
        provider_reference=obj["id"],
        kind=Donation.Kind.PAYMENT,
        amount=amount,
        currency=currency,
        campaign=campaign,
        received_at=_event_time(event),
        payment_intent_id=payment_intent,
        charge_id=charge if isinstance(charge, str) else "",
        recurring=bool(subscription_id),
        subscription_id=subscription_id,
        donor_email=email,
        provider_event=record,
        **donor,
    )
    if donation is None:
        return _Applied(note="Invoice already recorded.")
    _deferred_events_apply(keys=[payment_intent, charge if isinstance(charge, str) else ""])
    return _Applied(note=f"Recorded donation {donation.pk}.")


def _charge_refunded(*, record: ProviderEvent, obj: dict, event: dict) -> _Applied:
    payment = _payment_find(
        provider=record.provider,
        payment_intent=obj.get("payment_intent") or "",
        charge=obj.get("id") or "",
    )
    if payment is None:
        return _Applied(
            status=ProviderEvent.Status.DEFERRED,
            waits_for=obj.get("payment_intent") or obj["id"],
            note="Refund of a payment not recorded yet.",
        )
    refunded_total, currency = _money(obj["amount_refunded"], obj["currency"])
    _refund_requests_settle(payment=payment, refunded_total=refunded_total, obj=obj)
    delta = refunded_total - payment_refunded_so_far(payment=payment)
    if delta <= 0:
        return _Applied(note="Refund already recorded.")
    donation = donation_record(
        provider=record.provider,
        provider_reference=f"{obj['id']}:refunded:{obj['amount_refunded']}",
        kind=Donation.Kind.REFUND,
        amount=-delta,
        currency=currency,
        related_payment=payment,
        received_at=_event_time(event),
        charge_id=obj["id"],
        payment_intent_id=obj.get("payment_intent") or "",
        provider_event=record,
    )
    return _Applied(note=f"Recorded refund {donation.pk}." if donation else "Already recorded.")


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


def _dispute_rows(*, record: ProviderEvent, obj: dict, event: dict, won: bool) -> _Applied:
    payment = _payment_find(
        provider=record.provider,
        payment_intent=obj.get("payment_intent") or "",
        charge=obj.get("charge") or "",
    )
    if payment is None:
        return _Applied(
            status=ProviderEvent.Status.DEFERRED,
            waits_for=obj.get("payment_intent") or obj.get("charge") or "",
            note="Dispute of a payment not recorded yet.",
        )
    amount, currency = _money(obj["amount"], obj["currency"])
    common: _DisputeRowFields = {
        "provider": record.provider,
        "currency": currency,
        "related_payment": payment,
        "received_at": _event_time(event),
        "charge_id": obj.get("charge") or "",
        "provider_event": record,
    }
    notes = []
    if donation_record(
        provider_reference=f"{obj['id']}:withdrawn",
        kind=Donation.Kind.DISPUTE,
        amount=-amount,
        **common,
    ):
        notes.append("withdrawal recorded")
    if won and donation_record(
        provider_reference=f"{obj['id']}:reinstated",
        kind=Donation.Kind.DISPUTE_REVERSAL,
        amount=amount,
        **common,
    ):
        notes.append("reversal recorded")
    return _Applied(note=", ".join(notes) or "Already recorded.")


def _dispute_created(*, record: ProviderEvent, obj: dict, event: dict) -> _Applied:
    if obj.get("status") in INQUIRY_STATUSES:
        return _Applied(note="An inquiry: no money withdrawn.")
    return _dispute_rows(record=record, obj=obj, event=event, won=False)


def _dispute_closed(*, record: ProviderEvent, obj: dict, event: dict) -> _Applied:
    status = obj.get("status")
    if status in INQUIRY_STATUSES:
        return _Applied(note="An inquiry closed: no money moved.")
    if status not in {"won", "lost"}:
        return _Applied(note=f"Dispute closed as {status}: nothing to record.")
    return _dispute_rows(record=record, obj=obj, event=event, won=status == "won")


def _subscription_deleted(*, record: ProviderEvent, obj: dict, event: dict) -> _Applied:
    updated = RecurringGift.objects.filter(
        provider=record.provider, subscription_id=obj["id"], status=RecurringGift.Status.ACTIVE
    ).update(status=RecurringGift.Status.CANCELLED, cancelled_at=_event_time(event))
    return _Applied(note="Monthly gift ended." if updated else "No running gift to end.")


HANDLERS: dict[str, _Handler] = {
    "checkout.session.completed": _checkout_session_paid,
    "checkout.session.async_payment_succeeded": _checkout_session_paid,
    "checkout.session.async_payment_failed": _checkout_session_failed,
    "invoice.paid": _invoice_paid,
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute_created,
    "charge.dispute.closed": _dispute_closed,
    "customer.subscription.deleted": _subscription_deleted,
}
# The donor's own changes (amount, pause, card) and failed charges: their own module.
HANDLERS.update(SUBSCRIPTION_HANDLERS)

__all__ = ["EventError", "EventOutcome", "donation_exists", "provider_event_process"]
