"""What a donor's receipts show: one gift with its fee and refunds, and a year of giving.

Every function takes the donor's addresses as ``emails``: the caller passes only addresses
the reader has *verified* (funding does not know accounts); a gift belongs to the reader when
its ``donor_email`` is one of them. Refunds and disputes carry no address of their own: they
belong to whoever owns the payment (or fee row) they reverse.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from newsdesk.funding.models import Donation

# Rows that move money back: a refund, or a dispute's withdrawal and its reversal.
REVERSING_KINDS = (Donation.Kind.REFUND, Donation.Kind.DISPUTE, Donation.Kind.DISPUTE_REVERSAL)
# The kinds a statement lists, in this order within a day.
STATEMENT_KINDS = (Donation.Kind.PAYMENT, Donation.Kind.FEE_COVER, *REVERSING_KINDS)


def _addresses(emails: list[str]) -> list[str]:
    return sorted({email.strip().lower() for email in emails if email and email.strip()})


def _owned(emails: list[str]) -> Q:
    """Rows of ``emails``: their payments and fees, and what reverses those."""
    addresses = _addresses(emails)
    return Q(
        kind__in=[Donation.Kind.PAYMENT, Donation.Kind.FEE_COVER], donor_email__in=addresses
    ) | Q(kind__in=REVERSING_KINDS, related_payment__donor_email__in=addresses)


def receipt_donation(*, donation_id: int, emails: list[str]) -> Donation | None:
    """The payment ``donation_id`` if one of ``emails`` gave it, else None (the caller
    answers 404 alike for another reader's gift and for one that does not exist)."""
    addresses = _addresses(emails)
    if not addresses:
        return None
    return (
        Donation.objects.select_related("campaign")
        .filter(pk=donation_id, kind=Donation.Kind.PAYMENT, donor_email__in=addresses)
        .first()
    )


@dataclass(frozen=True)
class ReceiptParts:
    """A payment's receipt: the gift, the fees its donor covered, and what came back."""

    payment: Donation
    fee: Donation | None
    reversals: list[Donation]

    @property
    def charged(self) -> Decimal:
        return self.payment.amount + (self.fee.amount if self.fee else Decimal(0))

    @property
    def net(self) -> Decimal:
        return self.charged + sum((row.amount for row in self.reversals), Decimal(0))


def receipt_parts(*, payment: Donation) -> ReceiptParts:
    """``payment``'s fee row and the refunds and disputes of it and of its fee, oldest first."""
    fee = payment.reversals.filter(kind=Donation.Kind.FEE_COVER).order_by("pk").first()
    related = [payment.pk] + ([fee.pk] if fee else [])
    reversals = list(
        Donation.objects.filter(kind__in=REVERSING_KINDS, related_payment_id__in=related).order_by(
            "received_at", "pk"
        )
    )
    return ReceiptParts(payment=payment, fee=fee, reversals=reversals)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The calendar year in the site's time zone, as the treasurer's books count it."""
    zone = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def statement_rows(*, emails: list[str], year: int) -> QuerySet[Donation]:
    """Every payment, fee covered, refund and dispute of ``year`` for ``emails``, by date."""
    if not _addresses(emails) or not 1970 <= year <= 9998:
        return Donation.objects.none()
    start, end = _year_bounds(year)
    return (
        Donation.objects.filter(_owned(emails), received_at__gte=start, received_at__lt=end)
        .select_related("campaign", "related_payment")
        .order_by("received_at", "pk")
    )


@dataclass
class CurrencyTotals:
    """A statement's sums in one currency."""

    currency: str
    gifts: Decimal = Decimal(0)
    fees: Decimal = Decimal(0)
    returned: Decimal = Decimal(0)  # refunds and disputes, net of disputes won (negative)
    rows: int = 0

    @property
    def net(self) -> Decimal:
        return self.gifts + self.fees + self.returned


@dataclass
class Statement:
    year: int
    rows: list[Donation] = field(default_factory=list)
    totals: list[CurrencyTotals] = field(default_factory=list)


def statement_for(*, emails: list[str], year: int) -> Statement:
    """``statement_rows`` with their totals per currency (currencies in alphabetical order)."""
    rows = list(statement_rows(emails=emails, year=year))
    totals: dict[str, CurrencyTotals] = {}
    for row in rows:
        total = totals.setdefault(row.currency, CurrencyTotals(currency=row.currency))
        total.rows += 1
        if row.kind == Donation.Kind.PAYMENT:
            total.gifts += row.amount
        elif row.kind == Donation.Kind.FEE_COVER:
            total.fees += row.amount
        else:
            total.returned += row.amount
    return Statement(year=year, rows=rows, totals=[totals[code] for code in sorted(totals)])


def receipt_years(*, emails: list[str]) -> list[int]:
    """The years in which ``emails`` gave (newest first), for links to their statements."""
    if not _addresses(emails):
        return []
    moments = Donation.objects.filter(
        kind=Donation.Kind.PAYMENT, donor_email__in=_addresses(emails)
    ).datetimes("received_at", "year", order="DESC")  # years in the site's time zone
    return [moment.year for moment in moments]
