"""Reads of the funding app: the open campaign, its bar, the donor wall, the report."""

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    Expression,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from newsdesk.funding.models import (
    Campaign,
    CampaignTotal,
    Donation,
    RecurringGift,
    RefundRequest,
)
from newsdesk.funding.money import money_format

CENTS = Decimal("0.01")


def supporter_exists(*, email: Expression) -> Exists:
    """True (as a SQL expression, for another query to fold in) when the address ``email``
    names, lower-cased as the ledger stores donors' addresses, gave a gift that stands: a
    payment in the ledger that no refund reverses. The ``READER_SUPPORTER`` hook."""
    refunded = Donation.objects.filter(related_payment=OuterRef("pk"), kind=Donation.Kind.REFUND)
    return Exists(
        Donation.objects.filter(donor_email=email, kind=Donation.Kind.PAYMENT).exclude(
            Exists(refunded)
        )
    )


def donor_current_exists(*, email: Expression, since: dt.datetime) -> Q:
    """True (as a SQL condition) when the address ``email`` names has an active monthly
    gift, or a standing payment (as ``supporter_exists`` reads one) received since
    ``since``: a current donor, for the newsletters' segments."""
    refunded = Donation.objects.filter(related_payment=OuterRef("pk"), kind=Donation.Kind.REFUND)
    recent = Donation.objects.filter(
        donor_email=email, kind=Donation.Kind.PAYMENT, received_at__gte=since
    ).exclude(Exists(refunded))
    monthly = RecurringGift.objects.filter(donor_email=email, status=RecurringGift.Status.ACTIVE)
    return Q(Exists(recent)) | Q(Exists(monthly))


def campaign_current() -> Campaign | None:
    """The campaign taking gifts now: active, started, not ended; the latest started wins."""
    now = timezone.now()
    candidates = Campaign.objects.filter(is_active=True, starts_at__lte=now).filter(
        Q(kind=Campaign.Kind.MONTHLY) | Q(ends_at__gt=now)
    )
    return candidates.order_by("-starts_at", "-pk").first()


@dataclass(frozen=True)
class CampaignBar:
    """What the campaign bar shows, in the campaign's currency."""

    campaign_id: int
    name: str
    currency: str
    goal: Decimal
    raised: Decimal
    donors: int
    days_left: int
    period_label: str

    @property
    def half(self) -> Decimal:
        return self.goal / 2

    @property
    def reached(self) -> bool:
        return self.raised >= self.goal

    @property
    def percent(self) -> int:
        """How full the bar is drawn, 0..100."""
        if self.goal <= 0:
            return 0
        return max(0, min(100, int(self.raised * 100 / self.goal)))

    @property
    def value_now(self) -> Decimal:
        """``aria-valuenow``: the amount raised, kept within the bar's 0..goal range."""
        return max(Decimal(0), min(self.raised, self.goal))

    @property
    def aria_max(self) -> str:
        return format(self.goal.normalize(), "f")

    @property
    def aria_now(self) -> str:
        return format(self.value_now.normalize(), "f")

    def fmt(self, amount: Decimal) -> str:
        return money_format(amount, self.currency)

    @property
    def marks(self) -> list[str]:
        """The scale under the bar: 0, half the goal, the goal (``0 $ · 2,350 $ · 4,700 $``)."""
        return [self.fmt(Decimal(0)), self.fmt(self.half), self.fmt(self.goal)]

    @property
    def raised_text(self) -> str:
        return self.fmt(self.raised)

    @property
    def text(self) -> str:
        """The bar as one sentence, for screen readers and as ``aria-valuetext``."""
        raised = self.fmt(max(self.raised, Decimal(0)))
        goal = self.fmt(self.goal)
        if self.reached:
            return _("Goal reached: %(raised)s raised, past the goal of %(goal)s.") % {
                "raised": raised,
                "goal": goal,
            }
        return _("%(raised)s raised of a %(goal)s goal.") % {"raised": raised, "goal": goal}


def campaign_bar_summary(*, campaign: Campaign | None = None) -> CampaignBar | None:
    """The open campaign's bar for the current period, or None when no campaign is open."""
    campaign = campaign or campaign_current()
    if campaign is None:
        return None
    today = timezone.localdate()
    period_start = campaign.period_start()
    total = CampaignTotal.objects.filter(campaign=campaign, period_start=period_start).first()
    last_day = campaign.period_last_day()
    label = (
        date_format(period_start, "YEAR_MONTH_FORMAT")
        if campaign.kind == Campaign.Kind.MONTHLY
        else ""
    )
    return CampaignBar(
        campaign_id=campaign.pk,
        name=campaign.name,
        currency=campaign.currency,
        goal=campaign.goal,
        raised=total.raised if total else Decimal(0),
        donors=total.donors if total else 0,
        days_left=max(0, (last_day - today).days + 1),
        period_label=label,
    )


def donor_wall(*, campaign: Campaign | None = None, limit: int = 200) -> list[Donation]:
    """Gifts whose donor gave a name for the wall, newest first; wholly refunded ones left out.

    Only the name, the message and the date are meant to be shown.
    """
    reversed_amount = (
        Donation.objects.filter(related_payment=OuterRef("pk"))
        .order_by()
        .values("related_payment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    gifts = (
        Donation.objects.filter(kind=Donation.Kind.PAYMENT)
        .exclude(donor_name="")
        .annotate(
            reversed_amount=Coalesce(
                Subquery(reversed_amount, output_field=DecimalField()),
                Value(Decimal(0)),
                output_field=DecimalField(),
            )
        )
        .only("donor_name", "message", "received_at", "amount", "campaign_id")
    )
    if campaign is not None:
        gifts = gifts.filter(campaign=campaign)
    return [gift for gift in gifts[:limit] if gift.amount + gift.reversed_amount > 0]


@dataclass(frozen=True)
class CampaignReport:
    """A campaign's money for the treasurers: by kind, provider, month; gifts elsewhere."""

    campaign: Campaign
    by_kind: list[dict]
    by_provider: list[dict]
    by_month: list[dict]
    net: Decimal
    gifts: int
    donors: int
    recurring_active: int
    other_currencies: list[dict]
    periods: list[CampaignTotal]


def _cents(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    # SQLite sums decimals without their scale; the report shows cents everywhere.
    return [{**row, "amount": Decimal(row["amount"] or 0).quantize(CENTS)} for row in rows]


def campaign_report(*, campaign: Campaign) -> CampaignReport:
    rows = Donation.objects.filter(campaign=campaign, currency=campaign.currency).order_by()
    by_kind = list(rows.values("kind").annotate(amount=Sum("amount"), count=Count("pk")))
    by_provider = list(
        rows.values("provider", "method").annotate(amount=Sum("amount"), count=Count("pk"))
    )
    by_month = list(
        rows.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(amount=Sum("amount"), count=Count("pk", filter=Q(kind=Donation.Kind.PAYMENT)))
        .order_by("month")
    )
    totals = rows.aggregate(
        net=Sum("amount"),
        gifts=Count("pk", filter=Q(kind=Donation.Kind.PAYMENT)),
        donors=Count("donor_key", distinct=True, filter=Q(kind=Donation.Kind.PAYMENT)),
    )
    other = list(
        Donation.objects.filter(campaign=campaign)
        .exclude(currency=campaign.currency)
        .order_by()
        .values("currency")
        .annotate(amount=Sum("amount"), count=Count("pk"))
    )
    return CampaignReport(
        campaign=campaign,
        by_kind=_cents(by_kind),
        by_provider=_cents(by_provider),
        by_month=_cents(by_month),
        net=Decimal(totals["net"] or 0).quantize(CENTS),
        gifts=totals["gifts"],
        donors=totals["donors"],
        recurring_active=RecurringGift.objects.filter(
            campaign=campaign, status=RecurringGift.Status.ACTIVE
        ).count(),
        other_currencies=_cents(other),
        periods=list(campaign.totals.order_by("-period_start")),
    )


def _months_after(start: dt.date, months: int) -> dt.date:
    """``start`` moved ``months`` calendar months on, on its day or the month's last day."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    return dt.date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def recurring_gift_next_charge(
    *, gift: RecurringGift, today: dt.date | None = None
) -> dt.date | None:
    """When a running monthly gift is next charged: the first day after ``today`` (default:
    the site's today) that falls on the monthly anniversary of its start (the month's last
    day for a gift started on the 31st). None once it is cancelled."""
    if gift.status != RecurringGift.Status.ACTIVE:
        return None
    today = today or timezone.localdate()
    start = timezone.localdate(gift.created_at)
    months = max(0, (today.year - start.year) * 12 + today.month - start.month)
    candidate = _months_after(start, months)
    return candidate if candidate > today else _months_after(start, months + 1)


def recurring_gift_donor(*, gift: RecurringGift) -> str:
    """Who gives a monthly gift, for the treasurers: the name given, else the e-mail."""
    return gift.donor_name or gift.donor_email or "(anonymous)"


def refund_requests_of(*, donation: Donation) -> list[RefundRequest]:
    """The refunds treasurers asked of the provider for ``donation``, oldest first."""
    return list(
        donation.refund_requests.select_related("requested_by").order_by("requested_at", "pk")
    )
