"""Reads for a donor's own giving page: their gifts, their monthly gifts, and one of those
only if it is theirs. Funding cannot know accounts: every selector takes the donor's
*verified* addresses (``emails``, lower-cased as the ledger stores them), which the caller
read from the account."""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from newsdesk.funding.models import Donation, RecurringGift

_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))


def _sum_of(kind: str) -> Coalesce:
    rows = (
        Donation.objects.filter(related_payment=OuterRef("pk"), kind=kind)
        .order_by()
        .values("related_payment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows), _ZERO)


@dataclass(frozen=True)
class DonorGift:
    """One gift as its donor sees it. ``amount`` is the gift, ``fee_covered`` what they
    added for the fees (its own ledger line); ``refunded`` is positive, what came back."""

    donation_id: int
    received_at: dt.datetime
    amount: Decimal
    fee_covered: Decimal
    currency: str
    campaign: str
    monthly: bool
    refunded: Decimal
    demo: bool

    @property
    def is_refunded(self) -> bool:
        return self.refunded > 0

    @property
    def fully_refunded(self) -> bool:
        return self.refunded >= self.amount + self.fee_covered


def _clean(emails: list[str]) -> list[str]:
    return sorted({email.strip().lower() for email in emails if email and email.strip()})


def donor_gifts(*, emails: list[str], limit: int = 500) -> list[DonorGift]:
    """Every gift (payment) given from one of ``emails``, newest first, with what it covered
    of the fees, its campaign, monthly or not, and what was refunded of it."""
    emails = _clean(emails)
    if not emails:
        return []
    rows = (
        Donation.objects.filter(donor_email__in=emails, kind=Donation.Kind.PAYMENT)
        .annotate(
            fees=_sum_of(Donation.Kind.FEE_COVER),
            refunds=_sum_of(Donation.Kind.REFUND),
        )
        .select_related("campaign")
        .order_by("-received_at", "-pk")[:limit]
    )
    return [
        DonorGift(
            donation_id=row.pk,
            received_at=row.received_at,
            amount=row.amount,
            fee_covered=row.fees,
            currency=row.currency,
            campaign=row.campaign.name if row.campaign else "",
            monthly=row.recurring,
            refunded=-row.refunds,
            demo=row.provider == Donation.Provider.DEMO,
        )
        for row in rows
    ]


def _month_later(moment: dt.datetime) -> dt.date:
    day = moment.date()
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class DonorMonthlyGift:
    """A monthly gift on the giving page: the gift, and the date of its next charge (a
    month after the last one paid; None when paused, ended or never charged)."""

    gift: RecurringGift
    next_charge: dt.date | None


def donor_recurring_gifts(*, emails: list[str]) -> list[DonorMonthlyGift]:
    """The donor's monthly gifts, running ones first, then paused, then ended."""
    emails = _clean(emails)
    if not emails:
        return []
    last_paid = (
        Donation.objects.filter(
            provider=OuterRef("provider"),
            subscription_id=OuterRef("subscription_id"),
            kind=Donation.Kind.PAYMENT,
        )
        .order_by("-received_at")
        .values("received_at")[:1]
    )
    gifts = (
        RecurringGift.objects.filter(donor_email__in=emails)
        .annotate(last_paid=Subquery(last_paid))
        .select_related("campaign")
    )
    order: dict[str, int] = {RecurringGift.Status.ACTIVE: 0, RecurringGift.Status.PAUSED: 1}
    result = [
        DonorMonthlyGift(
            gift=gift,
            next_charge=(
                _month_later(gift.last_paid)
                if gift.last_paid and gift.status == RecurringGift.Status.ACTIVE
                else None
            ),
        )
        for gift in gifts
    ]
    result.sort(key=lambda row: (order.get(row.gift.status, 2), -row.gift.created_at.timestamp()))
    return result


def donor_recurring_gift(*, emails: list[str], gift_id: int) -> RecurringGift | None:
    """The monthly gift ``gift_id`` if one of ``emails`` gives it, else None (the caller
    answers 404: another donor's gift is not shown to exist)."""
    emails = _clean(emails)
    if not emails:
        return None
    return RecurringGift.objects.filter(pk=gift_id, donor_email__in=emails).first()


def recurring_gift_with_next_charge(*, gift: RecurringGift) -> DonorMonthlyGift:
    """``gift`` with its next charge date (the manage page shows one gift)."""
    last = (
        Donation.objects.filter(
            provider=gift.provider, subscription_id=gift.subscription_id, kind=Donation.Kind.PAYMENT
        )
        .order_by("-received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    active = gift.status == RecurringGift.Status.ACTIVE
    return DonorMonthlyGift(gift=gift, next_charge=_month_later(last) if last and active else None)
