"""Reads for the reader-revenue dashboard, continued (``selectors_revenue.py`` puts them
together): the open campaign's progress against its goal and the pages gifts came from, and
the small period helpers both modules use."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDay
from django.utils import timezone
from wagtail.models import Page, Site

from newsdesk.funding.models import Campaign, CampaignTotal, Donation, RecurringGift

MONTHS = 12  # monthly recurring revenue and churn: always the last twelve months
TOP_PAGES = 10
CENTS = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class CampaignProgress:
    """The open campaign against its goal: ``points`` (first day, raised), oldest first: a
    monthly campaign's months, or a fixed one's running total by day (by week past 62 days)."""

    name: str
    currency: str
    goal: Decimal
    monthly: bool
    by_week: bool
    points: list[tuple[date, Decimal]]


@dataclass(frozen=True)
class TopPage:
    """A page gifts came from in the range: its payments (every currency), their money in
    the main currency, the monthly gifts started from it."""

    page_id: int
    title: str
    url: str
    gifts: int
    money: Decimal
    monthly_started: int


def period_of(*, period: str, day: date) -> date:
    """The first day of the ``period`` holding the local ``day``."""
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def cents(value: Decimal | int | None) -> Decimal:
    # SQLite sums decimals without their scale.
    return Decimal(value or 0).quantize(CENTS)


def local_day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def campaign_progress(*, campaign: Campaign, now: datetime, tz: tzinfo) -> CampaignProgress:
    """The campaign's raised against its goal, as its stored totals count it. One query."""
    monthly = campaign.kind == Campaign.Kind.MONTHLY
    if monthly:
        totals = CampaignTotal.objects.filter(
            campaign=campaign, period_start__lte=timezone.localtime(now, tz).date()
        ).order_by("-period_start")[:MONTHS]
        points = [(t.period_start, cents(t.raised)) for t in reversed(list(totals))]
        return CampaignProgress(
            campaign.name, campaign.currency, campaign.goal, True, False, points
        )
    first = timezone.localtime(campaign.starts_at, tz).date()
    end = min(now, campaign.ends_at or now)
    last = timezone.localtime(end, tz).date()
    by_week = (last - first).days > 62
    step = timedelta(days=7 if by_week else 1)
    first = period_of(period="week" if by_week else "day", day=first)
    days = [first + step * n for n in range((last - first) // step + 1)]
    # The rows the stored total sums (``ledger.donation_record``): the campaign's period, in
    # its currency, but not the fees donors covered (nor their refunds), which pass on.
    fee = Donation.Kind.FEE_COVER
    rows = (
        Donation.objects.filter(
            campaign=campaign, currency=campaign.currency, period_start=campaign.period_start()
        )
        .exclude(kind=fee)
        .exclude(related_payment__kind=fee)
        .annotate(day=TruncDay("received_at", tzinfo=tz))
        .order_by()
        .values("day")
        .annotate(amount=Sum("amount"))
    )
    added: dict[date, Decimal] = defaultdict(Decimal)
    for row in rows:  # gifts before the first day count on it, after the last on that
        day = min(max(local_day(row["day"]), first), days[-1])
        added[period_of(period="week" if by_week else "day", day=day)] += cents(row["amount"])
    raised, points = ZERO, []
    for day in days:
        raised += added.get(day, ZERO)
        points.append((day, raised))
    return CampaignProgress(campaign.name, campaign.currency, campaign.goal, False, by_week, points)


def top_pages(*, since: datetime, currency: str) -> list[TopPage]:
    """The pages gifts came from since ``since``, most money (in ``currency``) first, then
    most gifts. One query (and the site's root paths, cached by Wagtail, for the links)."""
    paid = Donation.objects.filter(kind=Donation.Kind.PAYMENT, received_at__gte=since)
    here = paid.filter(source_page=OuterRef("pk")).order_by().values("source_page")
    started = RecurringGift.objects.filter(source_page=OuterRef("pk"), created_at__gte=since)
    decimal = DecimalField(max_digits=12, decimal_places=2)
    money = here.filter(currency=currency).annotate(s=Sum("amount")).values("s")
    pages = (
        Page.objects.filter(pk__in=paid.filter(source_page__isnull=False).values("source_page"))
        .annotate(
            gifts=Coalesce(Subquery(here.annotate(n=Count("pk")).values("n")), Value(0)),
            money=Coalesce(
                Subquery(money, output_field=decimal), Value(ZERO), output_field=decimal
            ),
            monthly_started=Coalesce(
                Subquery(
                    started.order_by().values("source_page").annotate(n=Count("pk")).values("n")
                ),
                Value(0),
            ),
        )
        .order_by("-money", "-gifts", "pk")[:TOP_PAGES]
    )
    Site.get_site_root_paths()  # read once here (cached), so the links cost no query each
    return [
        TopPage(
            page.pk,
            page.title,
            page.get_url() or "",
            page.gifts,
            cents(page.money),
            page.monthly_started,
        )
        for page in pages
    ]
