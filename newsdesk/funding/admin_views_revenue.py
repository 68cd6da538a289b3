"""The reader-revenue dashboard in Wagtail's admin (``/admin/funding/revenue/``), for
treasurers and superusers: gifts and money, donors new, lapsed and recovered per day, week or
month, monthly recurring revenue and churn over twelve months, the open campaign's progress
and the articles gifts came from; charts drawn on the server (``web/charts.py``) with a table
of the same figures under each, and CSVs of them. The figures are ``selectors_revenue``'."""

import csv
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_GET

from newsdesk.funding.admin_views import csv_cell_safe, user_is_treasurer
from newsdesk.funding.errors import InvalidChoice
from newsdesk.funding.money import money_format
from newsdesk.funding.selectors_revenue import (
    PERIODS,
    REVENUE_CACHE_SECONDS,
    RevenueFigures,
    period_clean,
    revenue_figures_cached,
)
from newsdesk.web.charts import Series, bar_chart, legend

TEMPLATE = "funding/admin/revenue.html"
TITLE = gettext_lazy("Reader revenue")
FORMATS = ("", "html", "csv", "monthly-csv")
# Each at least 3:1 against white (WCAG's non-text contrast); the legend and the table tell
# the series apart, not the colour alone.
GREEN, BLUE, ORANGE, RED, PURPLE, GREY = (
    "#1b7837",
    "#2166ac",
    "#b35806",
    "#b2182b",
    "#762a83",
    "#4d4d4d",
)
HEADINGS = {
    "day": gettext_lazy("Day"),
    "week": gettext_lazy("Week of"),
    "month": pgettext_lazy("revenue table heading", "Month"),
}
GIFTS_CAPTIONS = {
    "day": gettext_lazy("Gifts per day"),
    "week": gettext_lazy("Gifts per week"),
    "month": gettext_lazy("Gifts per month"),
}
MONEY_CAPTIONS = {
    "day": gettext_lazy("Money per day in %(currency)s"),
    "week": gettext_lazy("Money per week in %(currency)s"),
    "month": gettext_lazy("Money per month in %(currency)s"),
}
DONORS_CAPTIONS = {
    "day": gettext_lazy("Donors per day: new, lapsed, recovered"),
    "week": gettext_lazy("Donors per week: new, lapsed, recovered"),
    "month": gettext_lazy("Donors per month: new, lapsed, recovered"),
}


def _percent(value, digits: int) -> str:
    """``0.125`` → "12.5%" in English, "12,5 %" in French."""
    return _("%(percent)s%%") % {"percent": number_format(f"{value * 100:.{digits}f}")}


def period_label(*, period: str, start: date) -> str:
    """How a period is named on the axis and in the tables: "3 Nov" (a day, a week's
    Monday), "Nov 2026"."""
    # Short month names in the active language (Django's own catalogue names them).
    return date_format(start, "M Y") if period == "month" else date_format(start, "j M")


def _chart(
    *,
    kind: str,
    caption: str,
    description: str,
    labels: list[str],
    series: list[Series],
    columns: list[str],
    rows: list[list],
    stacked: bool = False,
    unit: str = "",
    heading: str = "",
) -> dict:
    chart_id = f"chart-{kind}"
    return {
        "kind": kind,
        "caption": caption,
        "heading": heading,
        "svg": bar_chart(
            chart_id=chart_id,
            title=caption,
            description=_("%(description)s; the table below gives the same figures.")
            % {"description": description},
            categories=labels,
            series=series,
            stacked=stacked,
            unit=unit,
        ),
        "legend": legend(series),
        "columns": columns,
        "rows": list(zip(labels, rows, strict=True)),
    }


def _fmt(amount, currency: str) -> str:
    return money_format(amount, currency, always_decimals=True)


def _period_charts(figures: RevenueFigures, labels: list[str], word: str) -> list[dict]:
    periods = figures.periods
    charts = [
        _chart(
            kind="gifts",
            caption=str(GIFTS_CAPTIONS[word]),
            description=_("Payments per period, one-time and monthly charges stacked"),
            labels=labels,
            series=[
                Series(_("One-time gifts"), BLUE, [p.one_time for p in periods]),
                Series(_("Monthly charges"), GREEN, [p.monthly for p in periods]),
            ],
            stacked=True,
            columns=[_("One-time gifts"), _("Monthly charges"), _("All gifts")],
            rows=[[p.one_time, p.monthly, p.one_time + p.monthly] for p in periods],
        )
    ]
    for code in figures.currencies:
        money = [p.money[code] for p in periods]
        charts.append(
            _chart(
                kind=f"money-{code.lower()}",
                caption=MONEY_CAPTIONS[word] % {"currency": code},
                description=_(
                    "Gifts, fees covered by donors, and refunds and disputes in %(currency)s "
                    "per period, side by side"
                )
                % {"currency": code},
                labels=labels,
                series=[
                    Series(_("Gifts"), GREEN, [float(m.gifts) for m in money]),
                    Series(_("Fees covered"), BLUE, [float(m.fees) for m in money]),
                    Series(_("Refunds"), RED, [float(m.refunds) for m in money]),
                    Series(_("Disputes"), PURPLE, [float(m.disputes) for m in money]),
                ],
                unit=code,
                columns=[_("Gifts"), _("Fees covered"), _("Refunds"), _("Disputes"), _("Net")],
                rows=[
                    [_fmt(v, code) for v in (m.gifts, m.fees, m.refunds, m.disputes, m.net)]
                    for m in money
                ],
            )
        )
    charts.append(
        _chart(
            kind="donors",
            caption=str(DONORS_CAPTIONS[word]),
            description=_("Donors new, lapsed and recovered per period, side by side"),
            labels=labels,
            series=[
                Series(pgettext("donors", "New"), GREEN, [p.new_donors for p in periods]),
                Series(pgettext("donors", "Lapsed"), ORANGE, [p.lapsed for p in periods]),
                Series(pgettext("donors", "Recovered"), BLUE, [p.recovered for p in periods]),
            ],
            columns=[
                pgettext("donors", "New"),
                pgettext("donors", "Lapsed"),
                pgettext("donors", "Recovered"),
            ],
            rows=[[p.new_donors, p.lapsed, p.recovered] for p in periods],
        )
    )
    return charts


def _churn_text(value: float | None) -> str:
    return _("none running") if value is None else _percent(value, 1)


def _monthly_charts(figures: RevenueFigures) -> list[dict]:
    months = figures.months
    labels = [period_label(period="month", start=m.start) for m in months]
    codes = [c for c in figures.currencies if any(c in m.revenue for m in months)]
    codes += sorted({c for m in months for c in m.revenue} - set(codes))
    charts = [
        _chart(
            kind=f"mrr-{code.lower()}",
            caption=_("Monthly recurring revenue in %(currency)s") % {"currency": code},
            description=_("The running monthly gifts' sum in %(currency)s at each month's end")
            % {"currency": code},
            labels=labels,
            series=[
                Series(
                    _("Monthly recurring revenue"),
                    GREEN,
                    [float(m.revenue.get(code, 0)) for m in months],
                )
            ],
            unit=code,
            columns=[_("Monthly recurring revenue"), _("Gifts running at the end")],
            rows=[[_fmt(m.revenue.get(code, 0), code), m.running_end] for m in months],
        )
        for code in codes or [figures.currency]
    ]
    charts.append(
        _chart(
            kind="churn",
            caption=_("Churn of monthly gifts"),
            description=_(
                "The share of the monthly gifts running at a month's start cancelled in it"
            ),
            labels=labels,
            series=[
                Series(_("Churn"), RED, [round(100 * (m.churn or 0), 1) for m in months]),
            ],
            unit="%",
            columns=[_("Running at the start"), _("Cancelled in the month"), _("Churn")],
            rows=[[m.running_start, m.cancelled, _churn_text(m.churn)] for m in months],
        )
    )
    return charts


def _campaign_chart(figures: RevenueFigures) -> dict | None:
    progress = figures.campaign
    if progress is None:
        return None
    code = progress.currency
    if progress.monthly:
        labels = [period_label(period="month", start=d) for d, _amount in progress.points]
        heading = str(HEADINGS["month"])
        what = _("Raised each month against the monthly goal")
    else:
        labels = [period_label(period="day", start=d) for d, _amount in progress.points]
        heading = str(HEADINGS["week"] if progress.by_week else HEADINGS["day"])
        what = _("Raised so far at the end of each period against the goal")
    raised = [amount for _day, amount in progress.points]
    return _chart(
        kind="campaign",
        caption=_("%(campaign)s: raised against the goal") % {"campaign": progress.name},
        description=what,
        labels=labels,
        series=[
            Series(_("Raised"), GREEN, [float(a) for a in raised]),
            Series(_("Goal"), GREY, [float(progress.goal)] * len(raised)),
        ],
        unit=code,
        heading=heading,
        columns=[_("Raised"), _("Goal"), _("Of the goal")],
        rows=[
            [_fmt(a, code), _fmt(progress.goal, code), _percent(a / progress.goal, 0)]
            for a in raised
        ],
    )


def _pages_chart(figures: RevenueFigures) -> dict | None:
    pages = figures.pages
    if not pages:
        return None
    code = figures.currency
    chart = _chart(
        kind="pages",
        caption=_("Articles gifts came from: money in %(currency)s") % {"currency": code},
        description=_("Money given in %(currency)s from each of the top pages, by rank")
        % {"currency": code},
        labels=[f"#{n}" for n in range(1, len(pages) + 1)],
        series=[Series(_("Money"), GREEN, [float(p.money) for p in pages])],
        unit=code,
        columns=[],
        rows=[[] for _page in pages],
    )
    chart["pages"] = [
        {
            "rank": f"#{n}",
            "page": page,
            "money": _fmt(page.money, code),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.page_id]),
        }
        for n, page in enumerate(pages, start=1)
    ]
    return chart


def revenue_context(figures: RevenueFigures) -> dict:
    """The template's context: each chart's SVG, legend and table rows."""
    period = figures.period
    labels = [period_label(period=period, start=p.start) for p in figures.periods]
    url = reverse("funding_revenue")
    return {
        "period": period,
        "periods": [(key, words) for key, (_trunc, _count, words) in PERIODS.items()],
        "period_heading": HEADINGS[period],  # not "heading": it replaces the page's h1
        "period_charts": _period_charts(figures, labels, period),
        "monthly_charts": _monthly_charts(figures),
        "campaign_chart": _campaign_chart(figures),
        "pages_chart": _pages_chart(figures),
        "figures": figures,
        "cache_minutes": REVENUE_CACHE_SECONDS // 60,
        "counted_at": timezone.localtime(figures.now),
        "csv_url": f"{url}?period={period}&format=csv",
        "monthly_csv_url": f"{url}?period={period}&format=monthly-csv",
    }


def _csv_response(name: str, header: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def csv_header(figures: RevenueFigures) -> list[str]:
    """The period CSV's columns: counts, then each currency's money (``usd_gifts``...)."""
    money = ("gifts", "fees_covered", "refunds", "disputes", "net")
    return [
        "period_start",
        "one_time_gifts",
        "monthly_charges",
        "new_donors",
        "lapsed_donors",
        "recovered_donors",
        *(f"{code.lower()}_{name}" for code in figures.currencies for name in money),
    ]


def _period_csv(figures: RevenueFigures) -> HttpResponse:
    rows = []
    for p in figures.periods:
        row: list = [p.start.isoformat(), p.one_time, p.monthly]
        row += [p.new_donors, p.lapsed, p.recovered]
        for code in figures.currencies:
            m = p.money[code]
            row += [str(v) for v in (m.gifts, m.fees, m.refunds, m.disputes, m.net)]
        rows.append(row)
    stamp = timezone.localtime(figures.now).date().isoformat()
    return _csv_response(f"reader-revenue-{figures.period}-{stamp}", csv_header(figures), rows)


MONTHLY_CSV_HEADER = [
    "month_start",
    "currency",
    "monthly_recurring_revenue",
    "running_at_end",
    "running_at_start",
    "cancelled",
    "churn",
]


def _monthly_csv(figures: RevenueFigures) -> HttpResponse:
    rows = []
    for m in figures.months:
        common = [
            m.running_end,
            m.running_start,
            m.cancelled,
            "" if m.churn is None else f"{m.churn:.4f}",
        ]
        for code, amount in sorted(m.revenue.items()) or [(figures.currency, Decimal(0))]:
            rows.append([m.start.isoformat(), csv_cell_safe(code), str(amount), *common])
    stamp = timezone.localtime(figures.now).date().isoformat()
    return _csv_response(f"reader-revenue-monthly-{stamp}", MONTHLY_CSV_HEADER, rows)


@require_GET
def revenue_view(request):
    """The dashboard for ``?period=day|week|month`` (day when none), or its figures as CSV
    (``format=csv``: the periods; ``format=monthly-csv``: the twelve months of monthly
    gifts). Treasurers and superusers only (others: 403); an unknown period or format is a
    400 that says what to choose."""
    if not user_is_treasurer(request.user):
        # A 403 that says why (Wagtail would turn PermissionDenied into a redirect home).
        return render(
            request,
            "funding/admin/forbidden.html",
            {
                "page_title": _("Reader revenue is for treasurers"),
                "text": _("The reader-revenue dashboard needs the treasurers' permissions."),
            },
            status=403,
        )
    chosen = request.GET.get("format", "")
    try:
        period = period_clean(request.GET.get("period"))
        if chosen not in FORMATS:
            raise InvalidChoice(
                _("Unknown format %(format)s: choose html, csv or monthly-csv.")
                % {"format": repr(chosen[:20])}
            )
    except InvalidChoice as error:
        periods = [(key, words) for key, (_trunc, _count, words) in PERIODS.items()]
        context = {"page_title": TITLE, "error": error.message, "periods": periods}
        return render(request, TEMPLATE, context, status=error.status_code)
    figures = revenue_figures_cached(period=period)
    if chosen == "csv":
        return _period_csv(figures)
    if chosen == "monthly-csv":
        return _monthly_csv(figures)
    return render(request, TEMPLATE, {"page_title": TITLE, **revenue_context(figures)})
