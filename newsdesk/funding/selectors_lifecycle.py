"""Who is due which donor e-mail (reads only; ``services/lifecycle.py`` claims the occasions).

Each scan takes ``now`` (the tests move it) and yields its candidates in batches of ``batch``
(keyset order, so a long list is never held at once): one query per batch. A candidate
carries its ``occasion``, the key that makes its mail unique; the scans do not try to leave
out occasions already claimed beyond that (the claim does, in one query per batch).

A *standing* payment is a payment not wholly taken back by refunds or lost disputes.
"""

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from newsdesk.funding import conf
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.selectors_ask import support_ask_settings

YEAR = timedelta(days=365)
# A lapsed donor is asked when their lapse is this recent: enabling the e-mails, or a worker
# stopped for a while, never writes to every donor who lapsed years ago.
LAPSED_WINDOW = timedelta(days=30)
RUNNING = [RecurringGift.Status.ACTIVE, RecurringGift.Status.PAUSED]
REVERSING = [Donation.Kind.REFUND, Donation.Kind.DISPUTE, Donation.Kind.DISPUTE_REVERSAL]


@dataclass(frozen=True)
class Candidate:
    occasion: str
    email: str
    donation: Donation | None = None
    recurring_gift: RecurringGift | None = None


def renewal_reminder_days() -> int:
    """``FUNDING_RENEWAL_REMINDER_DAYS``: how long before a one-time gift's first anniversary
    its donor is reminded."""
    return conf.renewal_reminder_days()


def email_hash(*, email: str) -> str:
    """A short stable name of an address for occasions (the address itself stays out of keys
    that appear in logs and the admin's lists)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def _email_hash(email: str) -> str:
    return email_hash(email=email)


def standing_payments() -> QuerySet[Donation]:
    """Payments whose refunds and disputes (net of won disputes) left something of them."""
    taken = (
        Donation.objects.filter(related_payment=OuterRef("pk"), kind__in=REVERSING)
        .order_by()
        .values("related_payment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))
    return (
        Donation.objects.filter(kind=Donation.Kind.PAYMENT)
        .annotate(taken=Coalesce(Subquery(taken), zero))
        .filter(amount__gt=-F("taken"))
    )


def first_standing_payment(*, donation: Donation) -> bool:
    """True when no other standing payment ever came from ``donation``'s address."""
    email = donation.donor_email.strip().lower()
    if not email:
        return False
    return not standing_payments().filter(donor_email=email).exclude(pk=donation.pk).exists()


def monthly_charge_after_first(*, donation: Donation) -> bool:
    """True when an earlier charge of the same monthly gift is in the ledger (by the time
    the provider took it, so an invoice reported late is still judged in order)."""
    earlier = Q(received_at__lt=donation.received_at) | Q(
        received_at=donation.received_at, pk__lt=donation.pk
    )
    return (
        Donation.objects.filter(
            kind=Donation.Kind.PAYMENT,
            provider=donation.provider,
            subscription_id=donation.subscription_id,
        )
        .exclude(pk=donation.pk)
        .filter(earlier)
        .exists()
    )


# --- cards about to expire -------------------------------------------------------------------
def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def cards_expiring(*, now: datetime, batch: int) -> Iterator[list[Candidate]]:
    """Running monthly gifts whose card expires this month or next, once per card."""
    local = timezone.localtime(now)
    this_month = (local.year, local.month)
    next_month = _month_after(*this_month)
    gifts = (
        RecurringGift.objects.filter(status=RecurringGift.Status.ACTIVE)
        .exclude(donor_email="")
        .filter(
            Q(card_exp_year=this_month[0], card_exp_month=this_month[1])
            | Q(card_exp_year=next_month[0], card_exp_month=next_month[1])
        )
        .order_by("pk")
    )
    after = 0
    while chunk := list(gifts.filter(pk__gt=after)[:batch]):
        after = chunk[-1].pk
        yield [
            Candidate(
                occasion=(
                    f"card_expiring:{gift.pk}:{gift.card_exp_year:04d}-{gift.card_exp_month:02d}"
                ),
                email=gift.donor_email,
                recurring_gift=gift,
            )
            for gift in chunk
        ]


# --- donors by their last gift -----------------------------------------------------------------
def _donors_by_last_gift() -> QuerySet:
    """One row per address: its last standing payment (``last``, ``last_id``), its last monthly
    charge (``last_recurring``) and its last cancelled monthly gift (``last_cancel``); only
    addresses with no running (active or paused) monthly gift."""
    payments = standing_payments().exclude(donor_email="")
    last_id = Subquery(
        standing_payments()
        .filter(donor_email=OuterRef("donor_email"))
        .order_by("-received_at", "-pk")
        .values("pk")[:1]
    )
    last_cancel = Subquery(
        RecurringGift.objects.filter(
            donor_email=OuterRef("donor_email"),
            status=RecurringGift.Status.CANCELLED,
            cancelled_at__isnull=False,
        )
        .order_by("-cancelled_at")
        .values("cancelled_at")[:1]
    )
    running = RecurringGift.objects.filter(donor_email=OuterRef("donor_email"), status__in=RUNNING)
    return (
        payments.filter(~Exists(running))
        .values("donor_email")
        .annotate(
            last=Max("received_at"),
            last_recurring=Max("received_at", filter=Q(recurring=True)),
        )
        .annotate(last_id=last_id, last_cancel=last_cancel)
        .order_by("donor_email")
    )


def _batched(rows: QuerySet, *, batch: int) -> Iterator[list[dict]]:
    after = ""
    while chunk := list(rows.filter(donor_email__gt=after)[:batch]):
        after = chunk[-1]["donor_email"]
        yield chunk


def _with_donations(
    chunk: list[dict], make: Callable[[dict, Donation | None], Candidate]
) -> list[Candidate]:
    donations = Donation.objects.in_bulk([row["last_id"] for row in chunk])
    return [make(row, donations.get(row["last_id"])) for row in chunk]


def renewals_due(*, now: datetime, batch: int) -> Iterator[list[Candidate]]:
    """One-time donors (no running monthly gift) whose last standing gift, a one-time one,
    was between a year and a year minus ``renewal_reminder_days()`` ago: nothing since."""
    lead = timedelta(days=renewal_reminder_days())
    rows = _donors_by_last_gift().filter(
        Q(last_recurring__isnull=True) | Q(last_recurring__lt=F("last")),
        last__gt=now - YEAR,
        last__lte=now - YEAR + lead,
    )

    def make(row: dict, donation: Donation | None) -> Candidate:
        day = timezone.localtime(row["last"]).date().isoformat()
        return Candidate(
            occasion=f"renewal:{_email_hash(row['donor_email'])}:{day}",
            email=row["donor_email"],
            donation=donation,
        )

    for chunk in _batched(rows, batch=batch):
        yield _with_donations(chunk, make)


def lapsed_donors(*, now: datetime, batch: int) -> Iterator[list[Candidate]]:
    """Donors with no running monthly gift whose last gift (or the cancelling of their
    monthly gift, if later) is ``SupportAskSettings.lapsed_after_days`` old, within
    ``LAPSED_WINDOW``."""
    edge = now - timedelta(days=support_ask_settings().lapsed_after_days)
    rows = (
        _donors_by_last_gift()
        .annotate(lapse=Greatest("last", Coalesce("last_cancel", "last")))
        .filter(lapse__lte=edge, lapse__gt=edge - LAPSED_WINDOW)
    )

    def make(row: dict, donation: Donation | None) -> Candidate:
        return Candidate(
            occasion=f"lapsed:{_email_hash(row['donor_email'])}:{row['last_id']}",
            email=row["donor_email"],
            donation=donation,
        )

    for chunk in _batched(rows, batch=batch):
        yield _with_donations(chunk, make)
