"""The reader-revenue dashboard's figures (issue 20, item 7): gifts and money per local day,
week or month (DST included) per currency, fees and refunds apart; monthly recurring revenue
and churn from the monthly gifts' dates; new, lapsed and recovered donors; the campaign's
progress as its stored totals count it; the pages gifts came from; a fixed number of queries
whatever the volume."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.funding.errors import FundingError
from newsdesk.funding.models import Campaign, CampaignTotal, Donation, RecurringGift
from newsdesk.funding.models_ask import SupportAskSettings
from newsdesk.funding.selectors_revenue import (
    FIGURE_QUERIES,
    period_starts,
    revenue_figures,
)
from newsdesk.funding.services.ledger import donation_record
from tests.support import factories

pytestmark = pytest.mark.django_db
AMSTERDAM = "Europe/Amsterdam"
# 2026's clocks in Amsterdam: forward at 01:00 UTC on 29 March, back at 01:00 UTC on 25 October.
NOW = datetime(2026, 4, 8, 10, tzinfo=UTC)  # a Wednesday; the 30 days start on 10 March
_refs = iter(range(1, 10**6))


def pay(
    when,
    amount="10",
    *,
    email="a@example.org",
    currency="USD",
    fee=None,
    monthly=False,
    campaign=None,
    page=None,
):
    """A payment (and its fee row) recorded at ``when`` through the ledger service."""
    return donation_record(
        provider="demo",
        provider_reference=f"r{next(_refs)}",
        kind=Donation.Kind.PAYMENT,
        amount=Decimal(amount),
        currency=currency,
        campaign=campaign,
        received_at=when,
        recurring=monthly,
        donor_email=email,
        fee_covered=Decimal(fee or 0),
        source_page_id=page.pk if page else None,
    )


def reverse(payment, amount, when, *, kind=Donation.Kind.REFUND):
    return donation_record(
        provider="demo",
        provider_reference=f"{payment.provider_reference}:{kind}:{next(_refs)}",
        kind=kind,
        amount=Decimal(amount),
        currency=payment.currency,
        related_payment=payment,
        received_at=when,
    )


def monthly_gift(created, amount="10", *, fee="0", currency="USD", email="m@example.org", **state):
    return RecurringGift.objects.create(
        provider="demo",
        subscription_id=f"sub_{next(_refs)}",
        amount=Decimal(amount),
        fee_covered=Decimal(fee),
        currency=currency,
        donor_email=email,
        created_at=created,
        **state,
    )


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def _by_start(figures):
    return {p.start: p for p in figures.periods}


@override_settings(TIME_ZONE=AMSTERDAM)
def test_gifts_and_money_by_local_day_across_the_spring_dst_change():
    # 28 March 23:30 UTC is 00:30 on 29 March in Amsterdam (CET, +1).
    first = pay(utc(2026, 3, 28, 23, 30), "30", fee="1.20")
    # 29 March was 23 hours long: 22:15 UTC is already 00:15 on 30 March (CEST, +2).
    pay(utc(2026, 3, 29, 22, 15), "12.50", monthly=True)
    pay(utc(2026, 3, 29, 21, 45), "5", currency="EUR")
    reverse(first, "-10", utc(2026, 3, 29, 22, 30))
    disputed = pay(utc(2026, 4, 1, 9), "40")
    reverse(disputed, "-40", utc(2026, 4, 2, 9), kind=Donation.Kind.DISPUTE)
    reverse(disputed, "40", utc(2026, 4, 3, 9), kind=Donation.Kind.DISPUTE_REVERSAL)
    reverse(disputed, "-40", utc(2026, 4, 3, 10), kind=Donation.Kind.DISPUTE)
    # 9 March 23:00 UTC is midnight on the 10th, the first day shown; 22:59 is before it.
    pay(utc(2026, 3, 9, 22, 59), "1000")
    pay(utc(2026, 3, 9, 23, 0), "7")
    pounds = pay(utc(2026, 1, 5), "4", currency="GBP")
    reverse(pounds, "-4", utc(2026, 4, 7, 12))

    figures = revenue_figures(period="day", now=NOW)

    days = _by_start(figures)
    assert len(figures.periods) == 30
    assert figures.periods[0].start == date(2026, 3, 10)
    assert figures.periods[-1].start == date(2026, 4, 8)
    march_29, march_30 = days[date(2026, 3, 29)], days[date(2026, 3, 30)]
    assert (march_29.one_time, march_29.monthly) == (2, 0)  # 30 USD, 5 EUR at 23:45 CEST
    assert march_29.money["USD"].gifts == Decimal("30.00")
    assert march_29.money["USD"].fees == Decimal("1.20")
    assert march_29.money["EUR"].gifts == Decimal("5.00")
    assert (march_30.one_time, march_30.monthly) == (0, 1)
    assert march_30.money["USD"].gifts == Decimal("12.50")
    assert march_30.money["USD"].refunds == Decimal("10.00")  # 00:30 CEST on the 30th
    assert days[date(2026, 4, 2)].money["USD"].disputes == Decimal("40.00")
    assert days[date(2026, 4, 3)].money["USD"].disputes == Decimal("0.00")  # won, then lost
    assert days[date(2026, 3, 10)].money["USD"].gifts == Decimal("7.00")
    assert days[date(2026, 3, 29)].money["USD"].net == Decimal("31.20")
    # Every day has every currency, zeros included; no campaign: the most given comes first,
    # and a currency with a refund alone in the range is there too.
    assert figures.currencies == ["USD", "EUR", "GBP"]
    assert days[date(2026, 4, 7)].money["GBP"].refunds == Decimal("4.00")
    assert days[date(2026, 3, 20)].money["EUR"].gifts == 0
    assert sum(p.one_time + p.monthly for p in figures.periods) == 5


@override_settings(TIME_ZONE=AMSTERDAM)
def test_the_campaigns_currency_comes_first_and_weeks_and_months_are_local():
    Campaign.objects.create(
        name="Euro drive",
        kind=Campaign.Kind.MONTHLY,
        goal=Decimal("100"),
        currency="EUR",
        starts_at=utc(2025, 1, 1),
    )
    pay(utc(2026, 3, 29, 22, 15), "500")  # Monday 30 March in Amsterdam: the next week
    pay(utc(2026, 3, 29, 21, 0), "500")
    pay(utc(2026, 2, 28, 23, 30), "3", currency="EUR")  # 1 March, local

    with timezone.override(AMSTERDAM):
        weeks = revenue_figures(period="week", now=NOW)
        months = revenue_figures(period="month", now=NOW)

    assert weeks.currencies == ["EUR", "USD"]
    by_week = _by_start(weeks)
    assert all(start.weekday() == 0 for start in by_week)
    assert by_week[date(2026, 3, 23)].money["USD"].gifts == 500
    assert by_week[date(2026, 3, 30)].money["USD"].gifts == 500
    by_month = _by_start(months)
    assert min(by_month) == date(2025, 5, 1) and max(by_month) == date(2026, 4, 1)
    assert by_month[date(2026, 3, 1)].money["EUR"].gifts == 3
    assert by_month[date(2026, 2, 1)].money["EUR"].gifts == 0


def test_unknown_period_is_refused():
    with pytest.raises(FundingError):
        revenue_figures(period="fortnight")


@override_settings(TIME_ZONE=AMSTERDAM)
def test_period_starts_in_the_site_time_zone():
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(AMSTERDAM)
    late = utc(2026, 12, 31, 23, 30)  # New Year's Day in Amsterdam
    assert period_starts(period="day", now=late, tz=tz)[-1] == date(2027, 1, 1)
    assert period_starts(period="month", now=late, tz=tz)[0] == date(2026, 2, 1)
    assert period_starts(period="week", now=late, tz=tz)[-1] == date(2026, 12, 28)


@override_settings(TIME_ZONE=AMSTERDAM)
def test_monthly_recurring_revenue_and_churn_from_the_gifts_dates():
    now = utc(2026, 6, 15, 12)
    # Running since January, 12 a month of which 2 cover fees: 10 counted.
    monthly_gift(utc(2026, 1, 10), "12", fee="2")
    # Started in March, cancelled in May: counted at the ends of March and April.
    monthly_gift(
        utc(2026, 3, 5), "20", status="cancelled", cancelled_at=utc(2026, 5, 20), email="c@x.org"
    )
    # Paused on 10 April: running at the end of March, not since.
    monthly_gift(utc(2026, 2, 1), "5", status="paused", paused_at=utc(2026, 4, 10), email="p@x.org")
    # Resumed since (active): the record keeps no past pause, so it counts all along.
    monthly_gift(utc(2026, 2, 1), "7", paused_at=utc(2026, 3, 1), email="r@x.org")
    # Another currency; and one started 31 May 22:30 UTC: 1 June in Amsterdam.
    monthly_gift(utc(2026, 4, 2), "9", currency="EUR", email="e@x.org")
    monthly_gift(utc(2026, 5, 31, 22, 30), "100", email="late@x.org")
    # Cancelled in the month it started: not running at the start, so not churn.
    monthly_gift(
        utc(2026, 6, 2), "50", status="cancelled", cancelled_at=utc(2026, 6, 3), email="q@x.org"
    )

    months = {m.start: m for m in revenue_figures(period="day", now=now).months}

    assert len(months) == 12 and max(months) == date(2026, 6, 1)
    assert months[date(2026, 1, 1)].revenue == {"USD": Decimal("10.00")}
    assert months[date(2026, 3, 1)].revenue == {"USD": Decimal("42.00")}  # 10 + 20 + 5 + 7
    assert months[date(2026, 4, 1)].revenue == {"USD": Decimal("37.00"), "EUR": Decimal("9.00")}
    assert months[date(2026, 5, 1)].revenue == {"USD": Decimal("17.00"), "EUR": Decimal("9.00")}
    assert months[date(2026, 6, 1)].revenue == {"USD": Decimal("117.00"), "EUR": Decimal("9.00")}
    assert months[date(2025, 12, 1)].revenue == {}
    may = months[date(2026, 5, 1)]
    assert (may.running_start, may.cancelled, may.running_end) == (4, 1, 3)
    assert may.churn == 0.25
    june = months[date(2026, 6, 1)]
    assert (june.running_start, june.cancelled) == (3, 0)  # the late one began on 1 June, local
    assert months[date(2025, 12, 1)].churn is None


@override_settings(TIME_ZONE=AMSTERDAM)
def test_new_lapsed_and_recovered_donors():
    SupportAskSettings.objects.create(lapsed_after_days=30)
    # Gave in January, never again: lapsed 30 days on, in February (outside 30 days shown).
    pay(utc(2026, 1, 2), email="old@x.org")
    # Gave on 20 February: lapsed on 22 March (in the range), came back on 5 April.
    pay(utc(2026, 2, 20, 12), email="back@x.org")
    pay(utc(2026, 4, 5, 12), email="back@x.org")
    # Gives every 3 weeks: never lapses; new on 12 March (first gift ever).
    for week in (0, 3, 6):
        pay(utc(2026, 2, 19) + timedelta(weeks=week), email="steady@x.org")
    pay(utc(2026, 3, 12, 9), email="new@x.org")
    # Gave once in February but has a monthly gift running: not lapsed.
    pay(utc(2026, 2, 25), email="monthly@x.org")
    monthly_gift(utc(2026, 2, 25), email="monthly@x.org")
    # Gave once in February, refunded: that gift does not stand, so no donor lapses.
    refunded = pay(utc(2026, 2, 26), email="refunded@x.org")
    reverse(refunded, "-10", utc(2026, 2, 27))
    # Paused her monthly gift before her last payment's 30 days ran out: lapsed.
    pay(utc(2026, 2, 24), email="paused@x.org")
    monthly_gift(utc(2026, 1, 24), status="paused", paused_at=utc(2026, 3, 1), email="paused@x.org")

    figures = revenue_figures(period="day", now=NOW)
    days = _by_start(figures)

    assert figures.lapsed_after_days == 30
    lapsed = {p.start: p.lapsed for p in figures.periods if p.lapsed}
    assert lapsed == {date(2026, 3, 22): 1, date(2026, 3, 26): 1}  # back@, paused@
    assert {p.start: p.recovered for p in figures.periods if p.recovered} == {date(2026, 4, 5): 1}
    assert {p.start: p.new_donors for p in figures.periods if p.new_donors} == {
        date(2026, 3, 12): 1
    }
    assert days[date(2026, 4, 5)].new_donors == 0  # back@ gave before: not new


def test_lapsed_after_days_defaults_without_writing_the_setting():
    figures = revenue_figures(period="day", now=NOW)
    assert figures.lapsed_after_days == 400
    assert not SupportAskSettings.objects.exists()


@override_settings(TIME_ZONE=AMSTERDAM)
def test_a_fixed_campaigns_progress_adds_up_to_its_stored_total():
    with timezone.override(AMSTERDAM):
        campaign = Campaign.objects.create(
            name="Spring drive",
            kind=Campaign.Kind.FIXED,
            goal=Decimal("1000"),
            currency="USD",
            starts_at=timezone.now() - timedelta(days=10),
            ends_at=timezone.now() + timedelta(days=10),
        )
        now = timezone.now()
        first = pay(now - timedelta(days=9), "100", fee="3.20", campaign=campaign)
        pay(now - timedelta(days=9), "50", campaign=campaign, email="b@x.org")
        reverse(first, "-40", now - timedelta(days=2))
        pay(now - timedelta(days=1), "25", currency="EUR", campaign=campaign)  # not its currency
        pay(now, "10", campaign=campaign)

        progress = revenue_figures(period="day").campaign

    stored = CampaignTotal.objects.get(campaign=campaign).raised
    assert progress is not None and not progress.monthly and not progress.by_week
    assert progress.goal == Decimal("1000")
    assert len(progress.points) == 11  # its first day to today
    assert progress.points[-1][1] == stored
    assert progress.points[1][1] - progress.points[0][1] == Decimal("150.00")  # fees pass on
    raised = [a for _, a in progress.points]
    assert raised[0] == 0 and raised[1] == raised[7] == Decimal("150.00")
    assert raised[8] == Decimal("110.00") and raised[-1] == Decimal("120.00")


def test_a_monthly_campaigns_progress_is_its_months():
    campaign = Campaign.objects.create(
        name="Every month",
        kind=Campaign.Kind.MONTHLY,
        goal=Decimal("500"),
        currency="USD",
        starts_at=timezone.now() - timedelta(days=400),
    )
    now = timezone.now()
    pay(now, "70", campaign=campaign)
    pay(now - timedelta(days=40), "30", campaign=campaign)

    progress = revenue_figures(period="month").campaign

    assert progress is not None and progress.monthly
    raised = dict(progress.points)
    assert raised[campaign.period_start(now)] == Decimal("70.00")
    assert raised[campaign.period_start(now - timedelta(days=40))] == Decimal("30.00")


def test_the_pages_gifts_came_from(article, section):
    other = factories.make_article(section=section, title="The dam, a year on")
    now = timezone.now()
    for amount in ("10", "15"):
        pay(now, amount, page=article)
    pay(now, "100", page=other, email="big@x.org")
    pay(now, "9", currency="EUR", page=article)  # counted as a gift, not as USD money
    pay(now - timedelta(days=60), "5000", page=article)  # before the 30 days
    monthly_gift(now, source_page=article)

    pages = revenue_figures(period="day").pages

    assert [p.page_id for p in pages] == [other.pk, article.pk]
    assert pages[1].title == "Rivers run dry across the plain"
    assert (pages[1].gifts, pages[1].money, pages[1].monthly_started) == (3, Decimal("25.00"), 1)
    assert pages[1].url == article.get_url() and pages[1].url
    assert pages[0].money == Decimal("100.00")


@override_settings(TIME_ZONE=AMSTERDAM)
@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_a_fixed_number_of_queries_whatever_the_volume(period, article):
    Campaign.objects.create(
        name="Drive",
        goal=Decimal("100"),
        starts_at=NOW - timedelta(days=50),
        ends_at=timezone.now() + timedelta(days=10),
    )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            revenue_figures(period=period, now=NOW)
        return len(captured)

    from django.core.cache import cache

    cache.clear()
    empty = queries()
    for n in range(40):
        when = NOW - timedelta(days=n * 9, hours=n)
        gift = pay(when, str(n + 1), email=f"d{n % 7}@x.org", fee="1", page=article)
        if n % 5 == 0:
            reverse(gift, "-1", when + timedelta(days=1))
        monthly_gift(when, email=f"d{n % 7}@x.org", status="paused" if n % 3 else "active")
    cache.clear()

    assert empty == FIGURE_QUERIES + 1  # and Wagtail's site root paths, cached afterwards
    assert queries() == FIGURE_QUERIES + 1
    assert queries() == FIGURE_QUERIES
