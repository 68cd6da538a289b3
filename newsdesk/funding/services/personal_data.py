"""A donor's personal data in funding, for the privacy page: count it, export it, erase it.

``accounts`` orchestrates a reader's download and erasure and asks each app for its part;
this module is the only place that reads or changes funding's rows for it: donations (and
the refunds and reversals of them), monthly gifts, and the raw provider events that
mentioned the donor. A donor is found by the e-mail addresses the reader *verified*,
lower-cased as the ledger stores them: an address merely typed into an account could be
another person's, whose gifts must never show in this reader's download or be erased.

Counting and exporting only read; they sit beside the erasure so the three always cover the
same records.
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from newsdesk.funding.models import Donation, ProviderEvent, RecurringGift
from newsdesk.funding.services.recurring import recurring_gift_cancel

logger = logging.getLogger(__name__)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def donor_donations(*, emails: list[str]) -> QuerySet:
    """Ledger rows of the donor behind ``emails``: their gifts, and the refunds, disputes and
    reversals of those gifts (which name the gift they reverse, not always the e-mail)."""
    if not emails:
        return Donation.objects.none()
    return Donation.objects.filter(
        Q(donor_email__in=emails) | Q(related_payment__donor_email__in=emails)
    )


def donor_recurring_gifts(*, emails: list[str]) -> QuerySet:
    """The monthly gifts of the donor behind ``emails``."""
    if not emails:
        return RecurringGift.objects.none()
    return RecurringGift.objects.filter(donor_email__in=emails)


@dataclass(frozen=True)
class FundingDataCounts:
    """How many of funding's records name a donor (the privacy page's summary)."""

    donations: int
    recurring_gifts: int
    active_recurring_gifts: int
    # Of ``donations`` (every ledger row), the gifts themselves: payments, not the fees the
    # donor covered beside them, nor refunds.
    gifts: int = 0


def donor_data_counts(*, emails: list[str]) -> FundingDataCounts:
    """Count the donor's ledger rows, gifts and monthly gifts (three queries at most)."""
    gifts = donor_recurring_gifts(emails=emails)
    rows = donor_donations(emails=emails).aggregate(
        rows=Count("pk"), gifts=Count("pk", filter=Q(kind=Donation.Kind.PAYMENT))
    )
    return FundingDataCounts(
        donations=rows["rows"],
        gifts=rows["gifts"],
        recurring_gifts=gifts.count(),
        active_recurring_gifts=gifts.filter(status=RecurringGift.Status.ACTIVE).count(),
    )


def donor_donations_export(*, emails: list[str]) -> list[dict]:
    """The donor's ledger rows, oldest first, as the download shows them; one query."""
    donations = donor_donations(emails=emails).select_related("campaign").order_by("received_at")
    return [
        {
            "receipt_number": d.provider_reference,
            "kind": d.kind,
            "amount": str(d.amount),
            "currency": d.currency,
            "campaign": d.campaign.name if d.campaign else None,
            "method": d.method,
            "monthly": d.recurring,
            "received_at": _when(d.received_at),
            "wall_name": d.donor_name,
            "message": d.message,
            "email": d.donor_email,
        }
        for d in donations
    ]


def donor_recurring_gifts_export(*, emails: list[str]) -> list[dict]:
    """The donor's monthly gifts, oldest first, as the download shows them; one query."""
    gifts = donor_recurring_gifts(emails=emails).select_related("campaign").order_by("created_at")
    return [
        {
            "amount": str(g.amount),
            "currency": g.currency,
            "campaign": g.campaign.name if g.campaign else None,
            "status": g.status,
            "created_at": _when(g.created_at),
            "cancelled_at": _when(g.cancelled_at),
            "wall_name": g.donor_name,
            "message": g.message,
            "email": g.donor_email,
        }
        for g in gifts
    ]


def donor_recurring_gifts_stop(*, emails: list[str]) -> None:
    """Stop the donor's active monthly gifts with their provider (before an erasure: once the
    address is gone the gift could no longer be found).

    Raises whatever the provider raised for the first gift it would not stop, after logging
    it; gifts already stopped stay stopped, the others are untouched.
    """
    active = donor_recurring_gifts(emails=emails).filter(status=RecurringGift.Status.ACTIVE)
    for gift in active:
        try:
            recurring_gift_cancel(gift=gift)
        except Exception:  # the provider's failure, whatever its kind: the caller decides
            logger.exception("Could not stop monthly gift %s before an erasure", gift.pk)
            raise


@dataclass(frozen=True)
class FundingErasure:
    """What erasing a donor changed in funding, by kind of record."""

    donations_anonymized: int
    recurring_gifts_anonymized: int


def donor_data_erase(*, emails: list[str]) -> FundingErasure:
    """Erase the donor behind ``emails`` from funding (their monthly gifts stopped first by
    ``donor_recurring_gifts_stop``).

    Gifts stay in the ledger for the accounts (amounts, dates, campaign, receipt number)
    without the donor's name, e-mail address, wall name or message; the donor key that
    counts distinct donors is replaced by a random one, so campaign totals and their donor
    counts stay exactly what ``funding_recompute`` finds; monthly gifts lose the same
    fields; the raw provider events that mentioned the address (or the name given) lose it.
    One transaction (the caller's, when inside one).
    """
    with transaction.atomic():
        donations = _donations_anonymize(emails=emails)
        gifts = donor_recurring_gifts(emails=emails).update(
            donor_name="", donor_email="", message=""
        )
    return FundingErasure(donations_anonymized=donations, recurring_gifts_anonymized=gifts)


def _donations_anonymize(*, emails: list[str]) -> int:
    rows = list(donor_donations(emails=emails).values_list("pk", "donor_key", "donor_name"))
    if not rows:
        return 0
    names = {name for _, _, name in rows if name}
    # One new random key per old key: distinct donors stay distinct, so the stored donor
    # counts still equal the ledger's, and the key no longer leads back to the address.
    for old_key in {key for _, key, _ in rows}:
        new_key = hashlib.sha256(f"erased:{secrets.token_hex(16)}".encode()).hexdigest()
        Donation.objects.filter(donor_key=old_key).update(donor_key=new_key)
    count = Donation.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(
        donor_name="", donor_email="", message=""
    )
    _provider_events_scrub(
        donation_ids=[pk for pk, _, _ in rows], emails=emails, names=sorted(names)
    )
    return count


def _provider_events_scrub(*, donation_ids: list[int], emails: list[str], names: list[str]) -> None:
    """Remove the donor's address (and the name they gave) from stored provider payloads."""
    mentions = Q(donations__pk__in=donation_ids)
    for email in emails:
        mentions |= Q(payload__icontains=email)
    patterns = [re.compile(re.escape(email), re.IGNORECASE) for email in emails]
    # A name is removed only where it is a whole JSON string value: a common word elsewhere
    # in the payload is left alone.
    patterns += [re.compile(r'"' + re.escape(name) + r'"') for name in names]
    for event in ProviderEvent.objects.filter(mentions).distinct():
        payload = event.payload
        for pattern in patterns:
            replacement = '""' if pattern.pattern.startswith('"') else ""
            payload = pattern.sub(replacement, payload)
        if payload != event.payload:
            ProviderEvent.objects.filter(pk=event.pk).update(payload=payload)
