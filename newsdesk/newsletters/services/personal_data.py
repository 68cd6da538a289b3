"""A reader's personal data in the newsletters, for the privacy page: count it, export it,
erase it.

``accounts`` orchestrates a reader's download and erasure and asks each app for its part;
this module is the only place that reads or changes the newsletters' rows for it. A reader's
``Subscriber`` rows are the one tied to their account (``user``) and those of the addresses
they *verified* (``emails``, lower-cased): an address merely typed into an account could be
another person's.

What erasure does:

- the ``Subscriber`` rows go, and their ``Subscription`` rows with them (consent records
  included): nobody is mailed again, and the lists' growth history no longer counts them;
- each ``SendRecord`` of a mail they were sent stays, with its status and dates, but loses
  the address and the link to the subscriber; an unsubscribe the send's report counted from
  the deleted subscription is first written on the record (``unsubscribed_at``): every
  send's figures (sent, delivered, bounced, complaints, unsubscribes) stay exactly what
  they were;
- the providers' tracking events about those addresses stay counted but lose the address
  and the provider's raw payload (which repeats it);
- a ``Suppression`` of the address (a hard bounce, a complaint, left everything) is kept: it
  is what stops any later import or send from reaching an address that asked for nothing
  more, and it holds nothing else about the reader.

Aggregate click counts (``LinkClick``) never named anyone and are untouched.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower

from newsdesk.newsletters.models import (
    SendRecord,
    Subscriber,
    Subscription,
    Suppression,
    TrackingEvent,
)
from newsdesk.newsletters.models_sending import RecordStatus
from newsdesk.newsletters.selectors_reports import unsubscribed_after_send

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def reader_subscribers(*, user: "User", emails: list[str]) -> QuerySet[Subscriber]:
    """The ``Subscriber`` rows of the reader: tied to ``user`` or with one of ``emails``."""
    wanted = [email.strip().lower() for email in emails]
    return Subscriber.objects.filter(Q(user=user) | Q(email__in=wanted))


@dataclass(frozen=True)
class NewsletterDataCounts:
    """How many of the newsletters' records name the reader."""

    subscriptions: int
    mails_received: int


def reader_newsletter_counts(*, user: "User", emails: list[str]) -> NewsletterDataCounts:
    """Count the reader's subscriptions (any status) and the mails sent to them (two
    queries)."""
    subscribers = reader_subscribers(user=user, emails=emails)
    return NewsletterDataCounts(
        subscriptions=Subscription.objects.filter(subscriber__in=subscribers).count(),
        mails_received=SendRecord.objects.filter(subscriber__in=subscribers).count(),
    )


def reader_newsletter_export(*, user: "User", emails: list[str]) -> dict[str, Any]:
    """The reader's newsletter data as the download shows it: each address with its
    subscriptions and their consent records (when, from which form and page, the words
    shown, when confirmed, when and how left), whether the address is suppressed and why,
    and the mails sent to it. Three queries at most, whatever the number of records."""
    subscribers = list(
        reader_subscribers(user=user, emails=emails)
        .annotate(
            suppressed=Subquery(
                Suppression.objects.filter(email=OuterRef("email")).values("reason")[:1]
            )
        )
        .order_by("email")
    )
    if not subscribers:
        return {"subscribers": []}
    ids = [one.pk for one in subscribers]
    subscriptions = (
        Subscription.objects.filter(subscriber_id__in=ids)
        .select_related("newsletter")
        .order_by("consent_at", "pk")
    )
    by_subscriber: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for one in subscriptions:
        by_subscriber[one.subscriber_id].append(
            {
                "newsletter": one.newsletter.name,
                "newsletter_slug": one.newsletter.slug,
                "status": one.status,
                "consent_at": _when(one.consent_at),
                "consent_source": one.consent_source,
                "consent_url": one.consent_url,
                "consent_text": one.consent_text,
                "confirmed_at": _when(one.confirmed_at),
                "unsubscribed_at": _when(one.unsubscribed_at),
                "unsubscribe_source": one.unsubscribe_source,
            }
        )
    mails: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    records = (
        SendRecord.objects.filter(subscriber_id__in=ids)
        .select_related("send__newsletter")
        .order_by("sent_at", "pk")
    )
    for record in records:
        assert record.subscriber_id is not None  # filtered on it
        mails[record.subscriber_id].append(
            {
                "newsletter": record.send.newsletter.name,
                "subject": record.send.subject,
                "status": record.status,
                "sent_at": _when(record.sent_at),
                "delivered_at": _when(record.delivered_at),
                "bounced_at": _when(record.bounced_at),
                "complained_at": _when(record.complained_at),
            }
        )
    return {
        "subscribers": [
            {
                "email": one.email,
                "name": one.name,
                "created_at": _when(one.created_at),
                "suppressed": one.suppressed,
                "subscriptions": by_subscriber[one.pk],
                "mails": mails[one.pk],
            }
            for one in subscribers
        ]
    }


@dataclass(frozen=True)
class NewsletterErasure:
    """What erasing a reader's newsletter data changed."""

    subscribers_deleted: int
    subscriptions_deleted: int
    send_records_anonymized: int
    tracking_events_anonymized: int


def _unsubscribes_keep(*, subscriber_ids: list[int]) -> None:
    """Before the subscriptions go: each unsubscribe a send's report counts from them
    (``selectors_reports``) is written on the send's record, so the report stays the same."""
    records = list(
        SendRecord.objects.filter(
            subscriber_id__in=subscriber_ids,
            status=RecordStatus.SENT,
            unsubscribed_at__isnull=True,
        )
        .filter(unsubscribed_after_send())
        .values_list("pk", "subscriber_id", "send__newsletter_id")
    )
    if not records:
        return
    left = {
        (one.subscriber_id, one.newsletter_id): one.unsubscribed_at
        for one in Subscription.objects.filter(subscriber_id__in=subscriber_ids).only(
            "subscriber_id", "newsletter_id", "unsubscribed_at"
        )
    }
    updates = [
        SendRecord(pk=pk, unsubscribed_at=left[(subscriber_id, newsletter_id)])
        for pk, subscriber_id, newsletter_id in records
    ]
    SendRecord.objects.bulk_update(updates, ["unsubscribed_at"], batch_size=500)


def reader_newsletter_erase(*, user: "User", emails: list[str]) -> NewsletterErasure:
    """Erase the reader's newsletter data (see the module for what goes and what stays);
    call it inside the erasure's transaction, before the user row is deleted."""
    subscribers = list(reader_subscribers(user=user, emails=emails).values_list("pk", "email"))
    return _forget(
        subscriber_ids=[pk for pk, _ in subscribers],
        addresses={email for _, email in subscribers} | {e.strip().lower() for e in emails},
    )


def subscriber_forget(*, subscriber: Subscriber) -> NewsletterErasure:
    """Erase one address's newsletter data as an account's erasure does (a guest's "leave
    everything and forget me" from the preferences page): the same rules, in one
    transaction."""
    with transaction.atomic():
        return _forget(subscriber_ids=[subscriber.pk], addresses={subscriber.email})


def _forget(*, subscriber_ids: list[int], addresses: set[str]) -> NewsletterErasure:
    ids, wanted = subscriber_ids, sorted(addresses)
    _unsubscribes_keep(subscriber_ids=ids)  # while the records still name the subscriber
    records = SendRecord.objects.filter(Q(subscriber_id__in=ids) | Q(email__in=wanted)).update(
        subscriber=None, email=""
    )
    # Providers send the address as it was written; the comparison ignores its case.
    events = (
        TrackingEvent.objects.annotate(address=Lower("recipient"))
        .filter(address__in=wanted)
        .update(recipient="", raw={})
    )
    subscriptions = Subscription.objects.filter(subscriber_id__in=ids).count()
    Subscriber.objects.filter(pk__in=ids).delete()
    return NewsletterErasure(
        subscribers_deleted=len(ids),
        subscriptions_deleted=subscriptions,
        send_records_anonymized=records,
        tracking_events_anonymized=events,
    )
