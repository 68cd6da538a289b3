"""Reads for the reader-revenue dashboard (issue 20, item 7): gifts and money per day, week or
month, per currency; monthly recurring revenue and churn over twelve months; new, lapsed and
recovered donors; the open campaign's progress; the articles gifts came from.

Periods are local days, Monday weeks and months of the site's ``TIME_ZONE`` (the database
truncates in it, on SQLite and PostgreSQL alike), as on moderation's activity screen. Every
figure costs the same queries whatever the volume (``revenue_figures``: ``FIGURE_QUERIES``).

Words used throughout:
- a *donor* is the ledger's ``donor_key``: the e-mail address, or the gift itself when none was
  given (as the campaign totals count donors);
- a *standing* payment is a ``PAYMENT`` row refunds and disputes did not wholly take back;
- a monthly gift is *running* at a moment when it was started before it, not cancelled before
  it, and not paused then (see ``running_at``).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import (
    Count,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from newsdesk.funding.errors import InvalidChoice
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.models_ask import SupportAskSettings
from newsdesk.funding.selectors import campaign_current
from newsdesk.funding.selectors_revenue_sources import (
    CENTS as CENTS,
)
from newsdesk.funding.selectors_revenue_sources import (
    MONTHS,
    ZERO,
    CampaignProgress,
    TopPage,
    campaign_progress,
    cents,
    local_day,
    period_of,
    top_pages,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Truncation = type[TruncDay] | type[TruncWeek] | type[TruncMonth]
PERIODS: "dict[str, tuple[Truncation, int, StrOrPromise]]" = {
    "day": (TruncDay, 30, gettext_lazy("Days")),
    "week": (TruncWeek, 12, gettext_lazy("Weeks")),
    "month": (TruncMonth, 12, gettext_lazy("Months")),
}
DEFAULT_PERIOD = "day"
# A year of a busy site's ledger takes a moment to group; a treasurer switching periods or
# downloading the CSV should not pay it each time. The page says how old its figures are.
REVENUE_CACHE_SECONDS = 300
REVENUE_CACHE_KEY = "funding:revenue:v1"
# What ``revenue_figures`` costs, whatever the period and however many gifts (one fewer when
# no campaign is open: its progress is not read).
FIGURE_QUERIES = 9
_CANCELLED, _PAUSED = RecurringGift.Status.CANCELLED, RecurringGift.Status.PAUSED


@dataclass
class Money:
    """A currency's money in a period, each positive: gifts (payments, without fees), fees
    donors covered, refunds, disputes (net of those won); ``net`` is what stayed."""

    gifts: Decimal = ZERO
    fees: Decimal = ZERO
    refunds: Decimal = ZERO
    disputes: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.gifts + self.fees - self.refunds - self.disputes


@dataclass
class PeriodFigures:
    """A period (``start``: its first local day): payments counted (every currency), money
    per currency, donors new, lapsed or recovered in it."""

    start: date
    one_time: int = 0
    monthly: int = 0
    money: dict[str, Money] = field(default_factory=dict)
    new_donors: int = 0
    lapsed: int = 0
    recovered: int = 0


@dataclass(frozen=True)
class MonthRecurring:
    """A month of monthly gifts: the running ones' sum at its end per currency (monthly
    recurring revenue, without the fees donors add), how many ran then and at its start, and
    how many of those were cancelled in it (``churn``: that share; None with none running)."""

    start: date
    revenue: dict[str, Decimal]
    running_end: int
    running_start: int
    cancelled: int

    @property
    def churn(self) -> float | None:
        return self.cancelled / self.running_start if self.running_start else None


@dataclass(frozen=True)
class RevenueFigures:
    """The dashboard for ``period``: ``periods`` oldest first, all present; ``currencies``
    with the campaign's (``currency``) first; twelve ``months``."""

    period: str
    periods: list[PeriodFigures]
    currency: str
    currencies: list[str]
    months: list[MonthRecurring]
    campaign: CampaignProgress | None
    pages: list[TopPage]
    lapsed_after_days: int
    now: datetime
    time_zone: str


def period_clean(value: str | None) -> str:
    """The period a treasurer named: "day" when none; ``InvalidChoice`` (400) for anything
    else than "day", "week" or "month"."""
    if value in (None, ""):
        return DEFAULT_PERIOD
    if value not in PERIODS:
        raise InvalidChoice(
            gettext("Unknown period %(period)s: choose day, week or month.")
            % {"period": repr(value[:20])},
            field="period",
        )
    return value


def _months_back(day: date, count: int) -> list[date]:
    """The first days of the ``count`` months up to ``day``'s, oldest first."""
    starts, year, month = [], day.year, day.month
    for _ in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def period_starts(*, period: str, now: datetime, tz: tzinfo) -> list[date]:
    """The first local day of each shown period up to the one holding ``now``, oldest
    first: 30 days, 12 weeks from a Monday, or 12 months."""
    _, count, _ = PERIODS[period]
    today = timezone.localtime(now, tz).date()
    if period == "month":
        return _months_back(today, count)
    step = timedelta(days=1 if period == "day" else 7)
    last = period_of(period=period, day=today)
    return [last - step * back for back in range(count - 1, -1, -1)]


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def running_at(moment: datetime | OuterRef) -> Q:
    """The monthly gifts running at ``moment`` (a SQL condition): started before it and not
    cancelled before it (a cancelled gift without its time never counts), and not paused then.

    A paused gift counts as not running from its pause on (``paused_at``): it brings no money
    while paused. The record keeps the current pause only, so a gift paused and resumed since
    counts as running through that past pause, and a gift paused and later cancelled as
    running until its cancellation. Its amount is today's, changes included.
    """
    cancelled = Q(status=_CANCELLED) & (Q(cancelled_at__isnull=True) | Q(cancelled_at__lte=moment))
    paused = Q(status=_PAUSED) & (Q(paused_at__isnull=True) | Q(paused_at__lte=moment))
    return Q(created_at__lt=moment) & ~cancelled & ~paused


def standing_payments() -> QuerySet:
    """Payments that stand: not wholly taken back by refunds and lost disputes (a partial
    refund leaves a gift standing)."""
    taken = (
        Donation.objects.filter(related_payment=OuterRef("pk"))
        .exclude(kind=Donation.Kind.FEE_COVER)
        .order_by()
        .values("related_payment")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    decimal = DecimalField(max_digits=12, decimal_places=2)
    return (
        Donation.objects.filter(kind=Donation.Kind.PAYMENT)
        .annotate(left=F("amount") + Coalesce(Subquery(taken, output_field=decimal), Value(ZERO)))
        .filter(left__gt=0)
    )


def _money(
    *,
    figures: dict[date, PeriodFigures],
    since: datetime,
    trunc: type[TruncDay] | type[TruncWeek] | type[TruncMonth],
    tz: tzinfo,
) -> dict[str, Decimal]:
    """Gifts and money into ``figures``; returns each currency's gifts, for their order. One
    query."""
    rows = (
        Donation.objects.filter(received_at__gte=since)
        .annotate(period=trunc("received_at", tzinfo=tz))
        .order_by()
        .values("period", "currency", "kind", "recurring")
        .annotate(count=Count("pk"), amount=Sum("amount"))
    )
    totals: dict[str, Decimal] = defaultdict(Decimal)
    kinds = Donation.Kind
    for row in rows:
        shown = figures.get(local_day(row["period"]))
        if shown is None:
            continue
        money = shown.money.setdefault(row["currency"], Money())
        totals[row["currency"]] += 0  # a currency with refunds alone is shown too
        amount, kind = cents(row["amount"]), row["kind"]
        if kind == kinds.PAYMENT:
            money.gifts += amount
            totals[row["currency"]] += amount
            if row["recurring"]:
                shown.monthly += row["count"]
            else:
                shown.one_time += row["count"]
        elif kind == kinds.FEE_COVER:
            money.fees += amount
        elif kind == kinds.REFUND:
            money.refunds -= amount
        else:  # a dispute (negative) or a won one (positive)
            money.disputes -= amount
    return totals


def _donors(
    *,
    figures: dict[date, PeriodFigures],
    period: str,
    since: datetime,
    now: datetime,
    days: int,
    tz: tzinfo,
) -> None:
    """New, lapsed and recovered donors into ``figures``; each donor counts once per period
    and kind. Three queries.

    New: the donor's first standing payment ever falls in the period. Lapsed: the period
    holds the moment ``days`` after a standing payment with none after it within those days,
    and the donor had no running monthly gift then. Recovered: a standing payment in the
    period after such a lapse.
    """
    gap = timedelta(days=days)
    moment = DateTimeField()

    def same_donor(**lookups: object) -> QuerySet:
        return standing_payments().filter(donor_key=OuterRef("donor_key"), **lookups)

    # The donor's monthly gift running when their giving would have lapsed (``until``).
    monthly_running = Exists(
        RecurringGift.objects.filter(running_at(OuterRef("until")))
        .filter(donor_email=OuterRef("donor_email"))
        .exclude(donor_email="")
    )

    firsts = (
        standing_payments()
        .order_by()
        .values("donor_key")
        .annotate(first=Min("received_at"))
        .filter(first__gte=since, first__lt=now)
        .values_list("donor_key", "first")
    )
    lapses = (
        standing_payments()
        .filter(received_at__gte=since - gap, received_at__lt=now - gap)
        .annotate(until=ExpressionWrapper(F("received_at") + gap, output_field=moment))
        .exclude(
            Exists(
                same_donor(
                    received_at__gt=OuterRef("received_at"), received_at__lte=OuterRef("until")
                )
            )
        )
        .exclude(monthly_running)
    )
    last = same_donor(received_at__lt=OuterRef("received_at")).order_by("-received_at")
    returns = (
        standing_payments()
        .filter(received_at__gte=since, received_at__lt=now)
        .annotate(
            last=Subquery(last.values("received_at")[:1], output_field=moment),
            cutoff=ExpressionWrapper(F("received_at") - gap, output_field=moment),
        )
        .filter(last__lt=F("cutoff"))
        .annotate(until=ExpressionWrapper(F("last") + gap, output_field=moment))
        .exclude(monthly_running)
    )
    found = {
        "new_donors": list(firsts),
        "lapsed": [
            (key, paid + gap) for key, paid in lapses.values_list("donor_key", "received_at")
        ],
        "recovered": [(key, paid) for key, paid in returns.values_list("donor_key", "received_at")],
    }
    for name, events in found.items():
        for start, _ in {
            (period_of(period=period, day=timezone.localtime(at, tz).date()), key)
            for key, at in events
        }:
            if start in figures:
                setattr(figures[start], name, getattr(figures[start], name) + 1)


def _recurring(*, now: datetime, tz: tzinfo) -> list[MonthRecurring]:
    """Twelve months of monthly gifts, up to ``now``'s (its end is now). One query."""
    starts = _months_back(timezone.localtime(now, tz).date(), MONTHS)
    gift = ExpressionWrapper(
        F("amount") - F("fee_covered"), output_field=DecimalField(max_digits=12, decimal_places=2)
    )
    sums: dict[str, Sum | Count] = {}
    for n, start in enumerate(starts):
        begin = _midnight(start, tz)
        end = min(_midnight(_next_month(start), tz), now)
        sums[f"revenue{n}"] = Sum(gift, filter=running_at(end))
        sums[f"end{n}"] = Count("pk", filter=running_at(end))
        sums[f"start{n}"] = Count("pk", filter=running_at(begin))
        sums[f"cancelled{n}"] = Count(
            "pk",
            filter=running_at(begin)
            & Q(status=_CANCELLED, cancelled_at__gte=begin, cancelled_at__lt=end),
        )
    rows: list[dict[str, Any]] = list(
        RecurringGift.objects.order_by().values("currency").annotate(**sums)  # type: ignore[arg-type]
    )
    return [
        MonthRecurring(
            start=start,
            revenue={row["currency"]: cents(row[f"revenue{n}"]) for row in rows if row[f"end{n}"]},
            running_end=sum(row[f"end{n}"] for row in rows),
            running_start=sum(row[f"start{n}"] for row in rows),
            cancelled=sum(row[f"cancelled{n}"] for row in rows),
        )
        for n, start in enumerate(starts)
    ]


def lapsed_after_days() -> int:
    """``SupportAskSettings.lapsed_after_days`` (its default before editors save it). One
    query, never a write (``load()`` would create the row)."""
    saved = SupportAskSettings.objects.values_list("lapsed_after_days", flat=True).first()
    return int(saved or SupportAskSettings._meta.get_field("lapsed_after_days").default)


def revenue_figures(*, period: str, now: datetime | None = None) -> RevenueFigures:
    """The dashboard's figures for ``period`` ("day": 30 days, "week": 12 weeks, "month": 12
    months, each ending with the one holding ``now``) in the site's time zone, and twelve
    months of monthly gifts. ``FIGURE_QUERIES`` queries whatever the period and the volume;
    ``InvalidChoice`` for an unknown period."""
    period = period_clean(period)
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    starts = period_starts(period=period, now=now, tz=tz)
    since = _midnight(starts[0], tz)
    figures = {start: PeriodFigures(start=start) for start in starts}
    trunc, _, _ = PERIODS[period]

    campaign = campaign_current()
    days = lapsed_after_days()
    totals = _money(figures=figures, since=since, trunc=trunc, tz=tz)
    main = campaign.currency if campaign else (max(totals, key=totals.__getitem__, default="USD"))
    currencies = [main, *sorted((c for c in totals if c != main), key=lambda c: -totals[c])]
    for shown in figures.values():
        for code in currencies:
            shown.money.setdefault(code, Money())
    _donors(figures=figures, period=period, since=since, now=now, days=days, tz=tz)
    return RevenueFigures(
        period=period,
        periods=[figures[start] for start in starts],
        currency=main,
        currencies=currencies,
        months=_recurring(now=now, tz=tz),
        campaign=campaign_progress(campaign=campaign, now=now, tz=tz) if campaign else None,
        pages=top_pages(since=since, currency=main),
        lapsed_after_days=days,
        now=now,
        time_zone=str(tz),
    )


def revenue_figures_cached(*, period: str) -> RevenueFigures:
    """``revenue_figures`` for ``period`` now, kept ``REVENUE_CACHE_SECONDS`` in the shared
    cache (its ``now`` says when they were counted); ``InvalidChoice`` for an unknown period."""
    period = period_clean(period)
    key = f"{REVENUE_CACHE_KEY}:{period}"
    figures = cache.get(key)
    if figures is None:
        figures = revenue_figures(period=period)
        cache.set(key, figures, REVENUE_CACHE_SECONDS)
    return figures
