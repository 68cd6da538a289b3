"""The reader-revenue dashboard in the admin (issue 20, item 7): each chart an SVG image with
its name and a table of the same figures, a CSV of them, the period chosen, treasurers and
superusers only, a fixed number of queries, figures kept a few minutes; and the demo's year
of gifts that gives every chart a shape."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.funding.admin_views_revenue import MONTHLY_CSV_HEADER
from newsdesk.funding.hooks_revenue import FUNDING_MENU_HOOK
from newsdesk.funding.models import Campaign, Donation, RecurringGift
from newsdesk.funding.selectors_revenue import revenue_figures

from .test_revenue import monthly_gift, pay, reverse

pytestmark = pytest.mark.django_db
URL = "/admin/funding/revenue/"


def user_in(group: str | None, username: str, **extra):
    user = get_user_model().objects.create_user(
        username, f"{username}@staff.example", "pw", **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def treasurer_client():
    client = Client()
    client.force_login(user_in("Treasurers", "tess"))
    return client


@pytest.fixture
def campaign():
    now = timezone.now()
    return Campaign.objects.create(
        name="Spring drive",
        goal=Decimal("1000"),
        currency="USD",
        starts_at=now - timedelta(days=6),
        ends_at=now + timedelta(days=20),
    )


@pytest.fixture
def gifts(campaign, article):
    now = timezone.now()
    first = pay(now, "40", fee="1.50", campaign=campaign, page=article, email="one@x.org")
    pay(now - timedelta(days=2), "10", campaign=campaign, monthly=True, email="two@x.org")
    pay(now, "8", currency="EUR", email="three@x.org")
    reverse(first, "-5", now)
    monthly_gift(now - timedelta(days=40), "10", email="two@x.org")
    return campaign


def _table(html: str, kind: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*data-table="{kind}".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr data-(?:period|page)-row[^>]*>(.*?)</tr>", table, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_the_dashboard_draws_each_chart_with_its_name_and_table(treasurer_client, gifts, article):
    response = treasurer_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    charts = re.findall(r'<svg[^>]*id="(chart-[a-z-]+)"[^>]*role="img"', html)
    assert charts == [
        "chart-gifts",
        "chart-money-usd",
        "chart-money-eur",
        "chart-donors",
        "chart-mrr-usd",
        "chart-churn",
        "chart-campaign",
        "chart-pages",
    ]
    for chart in charts:
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
    assert '<title id="chart-gifts-title">Gifts per day</title>' in html
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", h1).strip() == "Reader revenue"
    assert 'aria-current="page">Days</a>' in html
    today = _table(html, "gifts")[-1]
    assert today[1:] == ["2", "0", "2"]  # 40 USD and 8 EUR, one-time
    money = _table(html, "money-usd")
    assert money[-1][1:] == ["$40.00", "$1.50", "$5.00", "$0.00", "$36.50"]
    assert _table(html, "money-eur")[-1][1] == "€8.00"
    assert _table(html, "donors")[-1][1] == "2"  # one@ and three@: first gifts ever
    assert _table(html, "mrr-usd")[-1][1:] == ["$10.00", "1"]
    campaign_rows = _table(html, "campaign")
    assert len(campaign_rows) == 7 and campaign_rows[-1][1] == "$45.00"  # 50 less the refund
    pages = _table(html, "pages")
    assert pages[0][1].startswith("Rivers run dry across the plain")
    assert f'href="{article.get_url()}"' in html
    assert "kept for 5 minutes" in html


def test_weeks_and_months_are_chosen_by_their_tab(treasurer_client, gifts):
    html = treasurer_client.get(URL, {"period": "week"}).content.decode()
    assert 'aria-current="page">Weeks</a>' in html
    assert len(_table(html, "gifts")) == 12
    assert '<title id="chart-gifts-title">Gifts per week</title>' in html
    html = treasurer_client.get(URL, {"period": "month"}).content.decode()
    assert len(_table(html, "money-usd")) == 12
    assert len(_table(html, "churn")) == 12


def test_the_csv_has_the_same_figures(treasurer_client, gifts):
    response = treasurer_client.get(URL, {"period": "month", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 12
    last = rows[-1]
    assert last["period_start"] == timezone.localdate().replace(day=1).isoformat()
    assert last["usd_gifts"] == "50.00" and last["usd_fees_covered"] == "1.50"
    assert last["usd_refunds"] == "5.00" and last["eur_gifts"] == "8.00"
    assert list(rows[0])[:6] == [
        "period_start",
        "one_time_gifts",
        "monthly_charges",
        "new_donors",
        "lapsed_donors",
        "recovered_donors",
    ]

    monthly = treasurer_client.get(URL, {"format": "monthly-csv"})
    table = list(csv.reader(io.StringIO(monthly.content.decode())))
    assert table[0] == MONTHLY_CSV_HEADER
    assert table[-1][1:4] == ["USD", "10.00", "1"]


@pytest.mark.parametrize("query", [{"period": "fortnight"}, {"format": "xlsx"}])
def test_bad_choices_get_a_clear_400(treasurer_client, query):
    response = treasurer_client.get(URL, query)
    assert response.status_code == 400
    assert b"choose" in response.content
    assert b'class="activity-chart"' not in response.content


def test_only_treasurers_and_superusers_see_it(client, gifts):
    for group in ("Editors", "Moderators"):
        client.force_login(user_in(group, f"someone-{group}"))
        response = client.get(URL)
        assert response.status_code == 403
        assert b"$40" not in response.content
        assert client.get(URL, {"format": "csv"}).status_code == 403
    client.force_login(user_in(None, "boss", is_superuser=True, is_staff=True))
    assert client.get(URL).status_code == 200
    client.logout()
    assert client.get(URL).status_code == 302  # to the admin's sign-in
    client.force_login(user_in("Treasurers", "tina"))
    assert client.post(URL).status_code == 405


def test_the_menu_item_is_the_treasurers(rf):
    from wagtail import hooks

    (make,) = hooks.get_hooks(FUNDING_MENU_HOOK)
    item = make()
    assert item.url == URL
    for user, shown in ((user_in("Treasurers", "t1"), True), (user_in("Editors", "e1"), False)):
        request = rf.get("/admin/")
        request.user = user
        assert item.is_shown(request) is shown


def test_the_funding_menu_lists_it(treasurer_client):
    """Needs ``FundingViewSetGroup.submenu_hook = FUNDING_MENU_HOOK`` (funding/admin_views)."""
    html = treasurer_client.get("/admin/").content.decode()
    assert URL in html and "Reader revenue" in html


def test_the_dashboard_costs_the_same_queries_whatever_the_volume(treasurer_client, campaign):
    def queries(period: str) -> int:
        cache.clear()  # the figures are kept a few minutes: count what counting them costs
        with CaptureQueriesContext(connection) as captured:
            assert treasurer_client.get(URL, {"period": period}).status_code == 200
        return len(captured)

    baseline = queries("day")
    now = timezone.now()
    for n in range(30):
        gift = pay(now - timedelta(days=n * 11), str(n + 5), fee="1", email=f"d{n % 4}@x.org")
        if n % 4 == 0:
            reverse(gift, "-2", now - timedelta(days=n * 11 - 1))
        monthly_gift(now - timedelta(days=n * 13), email=f"d{n}@x.org")
    assert queries("day") == baseline
    assert queries("week") == baseline
    assert queries("month") == baseline


def test_the_figures_are_counted_once_for_a_few_minutes(treasurer_client, gifts):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert treasurer_client.get(URL, {"period": "month"}).status_code == 200
        return len(captured)

    first = queries()
    assert queries() <= first - 9  # the figures' queries, answered by the cache
    pay(timezone.now(), "1000", campaign=gifts)
    html = treasurer_client.get(URL, {"period": "month"}).content.decode()
    assert "$1,050.00" not in html  # still the counted figures


def test_the_demo_year_gives_every_chart_a_shape_once(article):
    from newsdesk.demo import revenue

    revenue.load(stdout=StringIO())
    counts = (Donation.objects.count(), RecurringGift.objects.count())
    revenue.load(stdout=StringIO())
    assert (Donation.objects.count(), RecurringGift.objects.count()) == counts

    figures = revenue_figures(period="month")
    months = figures.periods
    assert sum(1 for p in months if p.one_time) >= 10
    assert sum(1 for p in months if p.monthly) >= 10
    assert sum(p.money[figures.currency].fees for p in months) > 0
    assert sum(p.money[figures.currency].refunds for p in months) > 0
    assert sum(p.new_donors for p in months) > 10
    assert sum(p.lapsed for p in months) > 0 and sum(p.recovered for p in months) > 0
    recurring = figures.months
    assert recurring[-1].revenue and recurring[0].revenue != recurring[-1].revenue
    assert sum(m.cancelled for m in recurring) > 0
    assert RecurringGift.objects.filter(status=RecurringGift.Status.PAUSED).exists()
    assert figures.pages and figures.pages[0].gifts > 0
