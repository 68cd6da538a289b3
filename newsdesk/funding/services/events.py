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

The refund and dispute handlers live with the refunds (``refunds.REVERSAL_HANDLERS``), the
donor's changes to a monthly gift in ``events_subscriptions``; both are merged into
``HANDLERS`` below.

An event about a payment the ledger has not seen (a refund that overtook its payment) is
stored as deferred and applied in the transaction that records that payment.
"""

import json
import logging
from decimal import Decimal
from enum import StrEnum
from typing import TypedDict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# A ServiceError (no longer a ValueError: the webhook view catches it by this name), kept
# importable from here where it is raised.
from newsdesk.funding.errors import EventError
from newsdesk.funding.fees import fee_split
from newsdesk.funding.models import (
    Campaign,
    Donation,
    ProviderEvent,
    RecurringGift,
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
)
from newsdesk.funding.services.refunds import REVERSAL_HANDLERS
from newsdesk.funding.text import plain_text_clean

logger = logging.getLogger(__name__)


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
        raise EventError(_("The body is not a provider event.")) from error
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
        raise EventError(
            _("The %(type)s event cannot be applied: %(error)s")
            % {"type": event_type, "error": error}
        ) from error
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


def _source_page_id(metadata: dict, *, fallback: int | None = None) -> int | None:
    """The page a gift came from (``source_page_id`` in its metadata), if it still exists."""
    from wagtail.models import Page

    text = str((metadata or {}).get("source_page_id", "")).strip()
    if text.isdigit() and len(text) <= 18 and Page.objects.filter(pk=int(text)).exists():
        return int(text)
    return fallback


def _recurring_gift_remember(
    *,
    provider: str,
    subscription_id: str,
    campaign: Campaign | None,
    amount: Decimal,
    currency: str,
    email: str,
    donor: _DonorFields,
    fee_covered: Decimal = Decimal(0),
    customer_id: str = "",
    source_page_id: int | None = None,
) -> RecurringGift:
    gift, created = RecurringGift.objects.get_or_create(
        provider=provider,
        subscription_id=subscription_id,
        defaults={
            "campaign": campaign,
            "amount": amount,
            "currency": currency,
            "donor_email": (email or "").strip().lower(),
            "fee_covered": fee_covered,
            "customer_id": customer_id,
            "source_page_id": source_page_id,
            **donor,
        },
    )
    missing: dict[str, object] = {}
    if not created:
        # The first invoice may have overtaken the checkout: fill in what it did not know.
        missing = {
            name: value
            for name, value in (
                ("customer_id", customer_id),
                ("source_page_id", source_page_id),
                ("fee_covered", fee_covered),
            )
            if value and not getattr(gift, name)
        }
        if missing:
            RecurringGift.objects.filter(pk=gift.pk).update(**missing)
            for name, value in missing.items():
                setattr(gift, name, value)
    if created or "customer_id" in missing:
        # Changes to the subscription (or its customer's card) that overtook the gift waited
        # for it (``events_subscriptions``): applied now, in this transaction.
        _deferred_events_apply(keys=[subscription_id, gift.customer_id])
        gift.refresh_from_db()
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
            customer = obj.get("customer") or ""
            _recurring_gift_remember(
                provider=record.provider,
                subscription_id=subscription_id,
                campaign=_campaign_for(metadata),
                amount=amount,
                currency=currency,
                email=email,
                donor=_donor_fields(metadata),
                fee_covered=fee_split(total=amount, currency=currency, metadata=metadata)[1],
                customer_id=customer if isinstance(customer, str) else customer.get("id", ""),
                source_page_id=_source_page_id(metadata),
            )
        return _Applied(note="Monthly gift: its money is counted from each paid invoice.")
    if mode != "payment":
        return _Applied(status=ProviderEvent.Status.IGNORED, note=f"Checkout in {mode} mode.")
    if obj.get("payment_status") != "paid":
        return _Applied(note=f"Payment status {obj.get('payment_status')}: nothing counted yet.")
    total, currency = _money(obj["amount_total"], obj["currency"])
    amount, fee = fee_split(total=total, currency=currency, metadata=metadata)
    payment_intent = obj.get("payment_intent") or ""
    donation = donation_record(
        provider=record.provider,
        provider_reference=payment_intent or obj["id"],
        kind=Donation.Kind.PAYMENT,
        amount=amount,
        fee_covered=fee,
        source_page_id=_source_page_id(metadata),
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
    total, currency = _money(obj["amount_paid"], obj["currency"])
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
    # The subscription's metadata names the fee; a gift remembered without it gives its own.
    amount, fee = fee_split(
        total=total,
        currency=currency,
        metadata=metadata,
        fallback=gift.fee_covered if gift else Decimal(0),
    )
    source_page_id = _source_page_id(metadata, fallback=gift.source_page_id if gift else None)
    if subscription_id and gift is None:
        customer = obj.get("customer") or ""
        gift = _recurring_gift_remember(
            provider=record.provider,
            subscription_id=subscription_id,
            campaign=campaign,
            amount=total,
            currency=currency,
            email=email,
            donor=donor,
            fee_covered=fee,
            customer_id=customer if isinstance(customer, str) else customer.get("id", ""),
            source_page_id=source_page_id,
        )
    if gift is not None and gift.payment_failed_at is not None:
        # A charge went through after the failure: the card problem is over (a late report
        # of an older charge leaves a newer failure standing).
        RecurringGift.objects.filter(pk=gift.pk, payment_failed_at__lte=_event_time(event)).update(
            payment_failed_at=None
        )
    payment_intent = _invoice_payment_intent(obj)
    charge = obj.get("charge") or ""
    donation = donation_record(
        provider=record.provider,
        provider_reference=obj["id"],
        kind=Donation.Kind.PAYMENT,
        amount=amount,
        fee_covered=fee,
        source_page_id=source_page_id,
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


HANDLERS: dict[str, _Handler] = {
    "checkout.session.completed": _checkout_session_paid,
    "checkout.session.async_payment_succeeded": _checkout_session_paid,
    "checkout.session.async_payment_failed": _checkout_session_failed,
    "invoice.paid": _invoice_paid,
}
# The donor's own changes (amount, pause, card) and failed charges: their own module.
HANDLERS.update(SUBSCRIPTION_HANDLERS)
# Refunds and disputes (``charge.refunded``, ``charge.dispute.*``): with the refunds.
HANDLERS.update(REVERSAL_HANDLERS)

__all__ = ["EventError", "EventOutcome", "donation_exists", "provider_event_process"]
