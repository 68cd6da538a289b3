"""The providers' tracking events (django-anymail's normalised ``AnymailTrackingEvent``):
stored once, mapped to the send record they are about, and turned into suppressions.

anymail's webhook views check each provider's signature (basic auth ``WEBHOOK_SECRET``, or
the provider's signing key) before its ``tracking`` signal fires; ``receivers.py`` hands
the event here. What is kept: deliveries, bounces, rejections, complaints, unsubscribes and
failures. Opens and clicks of one reader are never stored (the counts of links, where a
newsroom enables them, are aggregate: ``views_clicks.py``).

A hard bounce (the provider says the address does not exist or will never take mail) and
a complaint put the address on the suppression list and end its subscriptions; a soft
bounce (Postmark's ``SoftBounce``; anymail calls the others "deferred") only marks the
record.
"""

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from newsdesk.newsletters.models import (
    Subscription,
    SubscriptionStatus,
    Suppression,
    SuppressionReason,
)
from newsdesk.newsletters.models_sending import SendRecord, TrackingEvent

KEPT = {"delivered", "bounced", "rejected", "complained", "unsubscribed", "failed"}
# Reasons anymail gives a bounce or rejection that mean "never again".
HARD = {"bounced", "invalid"}
# Bounces a provider itself calls temporary, though anymail files them as bounced.
SOFT_TYPES = {"SoftBounce", "Transient", "DnsError"}


def _raw(event: Any) -> dict[str, Any]:
    raw = getattr(event, "esp_event", None)
    if isinstance(raw, dict):
        value: Any = raw
    elif raw is not None and hasattr(raw, "POST"):  # a form posted: keep its fields
        value = raw.POST.dict()
    else:
        value = {"event": str(raw)}
    # JSON-safe whatever the provider sent (dates, decimals).
    return json.loads(json.dumps(value, default=str))


def _event_id(event: Any, raw: dict[str, Any], esp_name: str) -> str:
    if getattr(event, "event_id", None):
        return f"{esp_name}:{event.event_id}"[:200]
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()
    return f"{esp_name}:sha256:{digest}"


def _is_hard(event: Any, raw: dict[str, Any]) -> bool:
    if event.event_type == "complained":
        return True
    if event.event_type not in {"bounced", "rejected"}:
        return False
    if raw.get("Type") in SOFT_TYPES:
        return False
    return (event.reject_reason or "bounced") in HARD


def _suppress(*, email: str, reason: str, detail: str) -> None:
    Suppression.objects.get_or_create(
        email=email, defaults={"reason": reason, "detail": detail[:300]}
    )
    Subscription.objects.filter(
        subscriber__email=email,
        status__in=[SubscriptionStatus.SUBSCRIBED, SubscriptionStatus.PENDING],
    ).update(
        status=SubscriptionStatus.UNSUBSCRIBED,
        unsubscribed_at=timezone.now(),
        unsubscribe_source=reason,
        updated_at=timezone.now(),
    )


def tracking_event_record(*, event: Any, esp_name: str) -> TrackingEvent | None:
    """Store a provider's tracking event once and act on it: the record its message id
    names gets its delivered, bounced, complained or unsubscribed time; a hard bounce or a
    complaint suppresses the address and ends its subscriptions; an unsubscribe at the
    provider ends that list's subscription. Returns the stored event, or None for one
    already stored (the provider retried) or of a kind not kept (opens, clicks)."""
    if event.event_type not in KEPT:
        return None
    raw = _raw(event)
    recipient = (event.recipient or "").strip().lower()
    message_id = (event.message_id or "").strip().strip("<>")
    try:
        with transaction.atomic():
            stored = TrackingEvent.objects.create(
                event_id=_event_id(event, raw, esp_name),
                esp_name=esp_name[:40],
                event_type=event.event_type[:30],
                recipient=recipient[:254],
                message_id=message_id[:200],
                timestamp=event.timestamp,
                raw=raw,
            )
            _apply(event=event, raw=raw, recipient=recipient, message_id=message_id)
    except IntegrityError:
        return None  # the same event again
    return stored


def _apply(*, event: Any, raw: dict[str, Any], recipient: str, message_id: str) -> None:
    now = event.timestamp or timezone.now()
    records = SendRecord.objects.filter(message_id=message_id) if message_id else None
    if records is not None and recipient:
        records = records.filter(email=recipient)
    kind = event.event_type
    if records is not None:
        if kind == "delivered":
            records.update(delivered_at=now)
        elif kind in {"bounced", "rejected", "failed"}:
            records.update(bounced_at=now)
        elif kind == "complained":
            records.update(complained_at=now)
        elif kind == "unsubscribed":
            records.update(unsubscribed_at=now)
    if not recipient:
        return
    detail = str(event.description or event.mta_response or event.reject_reason or "")
    if kind == "complained":
        _suppress(email=recipient, reason=SuppressionReason.COMPLAINT, detail=detail)
    elif _is_hard(event, raw):
        _suppress(email=recipient, reason=SuppressionReason.BOUNCE, detail=detail)
    elif kind == "unsubscribed":
        # The provider's own unsubscribe (its link, a suppression made there): it will not
        # take mail for the address again, so neither does any later send.
        _suppress(email=recipient, reason=SuppressionReason.UNSUBSCRIBED, detail=detail)
