"""The moderators' activity screen in Wagtail's admin (``/admin/moderation/activity/``):
decisions by outcome, automatic and human, and queue times, per day, week or month, as
charts drawn on the server (``charts.py``) with a table of the same figures under each, and
the same figures as CSV (``?format=csv``). The figures are ``selectors_charts``'."""

import csv
from datetime import date, datetime, timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from newsdesk.moderation.admin_views import moderator_required
from newsdesk.moderation.errors import InvalidInput, ModerationError
from newsdesk.moderation.selectors_charts import (
    OUTCOMES,
    PERIODS,
    ActivityFigures,
    PeriodFigures,
    Waits,
    activity_figures_cached,
    period_clean,
)
from newsdesk.web.charts import Series, bar_chart, legend

# Colours of the outcomes and of the waits: each at least 3:1 against white (WCAG's
# non-text contrast), told apart by the legend and the table, not by colour alone.
OUTCOME_COLOURS = {
    "published": "#1b7837",
    "held": "#b35806",
    "rejected": "#b2182b",
    "spam": "#762a83",
    "removed": "#2166ac",
    "banned": "#4d4d4d",
    "restored": "#01665e",
    "upheld": "#8c510a",
}
MEDIAN_COLOUR, P90_COLOUR = "#2166ac", "#b35806"
PERIOD_WORDS = {"day": "day", "week": "week", "month": "month"}
HEADINGS = {"day": "Day", "week": "Week of", "month": "Month"}


def period_label(*, period: str, start: date) -> str:
    """How a period is named on the axis and in the tables: "3 Nov", "3 Nov" (the week's
    Monday), "Nov 2026"."""
    if period == "month":
        return start.strftime("%b %Y")
    return f"{start.day} {start:%b}"


def wait_text(value: timedelta | None) -> str:
    """A wait in words a moderator reads at a glance: "45 min", "3 h 20 min", "2 d 4 h";
    "none" when nothing waited."""
    if value is None:
        return "none"
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return f"{int(value.total_seconds())} s"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def _minutes(value: timedelta | None) -> str:
    return "" if value is None else f"{value.total_seconds() / 60:.1f}"


def _wait_chart(
    *, kind: str, title: str, labels: list[str], waits: list[Waits], counted: str
) -> dict:
    chart_id = f"chart-{kind}"
    longest = max((w.p90 or timedelta()) for w in waits) if waits else timedelta()
    # Hours read best, unless every wait is short enough that they would all look like 0.
    in_minutes = longest < timedelta(hours=2)
    unit, scale = ("minutes", 60) if in_minutes else ("hours", 3600)

    def scaled(value: timedelta | None) -> float:
        return round(value.total_seconds() / scale, 1) if value is not None else 0.0

    series = [
        Series("Median", MEDIAN_COLOUR, [scaled(w.median) for w in waits]),
        Series("90th percentile", P90_COLOUR, [scaled(w.p90) for w in waits]),
    ]
    return {
        "id": chart_id,
        "svg": bar_chart(
            chart_id=chart_id,
            title=title,
            description=(
                f"Median and 90th percentile wait in {unit} per period; the table below "
                "gives the same figures."
            ),
            categories=labels,
            series=series,
            stacked=False,
            unit=unit,
        ),
        "legend": legend(series),
        "columns": [counted, "Median", "90th percentile", "Waited over a day"],
        "rows": [
            (label, [w.count, wait_text(w.median), wait_text(w.p90), w.over_day])
            for label, w in zip(labels, waits, strict=True)
        ],
    }


def _decision_chart(
    *, kind: str, title: str, labels: list[str], counts: list[dict[str, int]]
) -> dict:
    chart_id = f"chart-{kind}"
    series = [
        Series(label, OUTCOME_COLOURS[name], [row[name] for row in counts])
        for name, label in OUTCOMES
    ]
    return {
        "id": chart_id,
        "svg": bar_chart(
            chart_id=chart_id,
            title=title,
            description=(
                "Decisions per period, stacked by outcome; the table below gives the same figures."
            ),
            categories=labels,
            series=series,
            stacked=True,
        ),
        "legend": legend(series),
        "columns": [*(label for _, label in OUTCOMES), "Total"],
        "rows": [
            (label, [row[name] for name, _ in OUTCOMES] + [sum(row.values())])
            for label, row in zip(labels, counts, strict=True)
        ],
    }


def _since(moment: datetime | None, now: datetime) -> str:
    return "" if moment is None else wait_text(now - moment)


def activity_context(figures: ActivityFigures) -> dict:
    """The template's context: each chart's SVG and legend, and the tables' rows."""
    period = figures.period
    periods = figures.periods
    labels = [period_label(period=period, start=p.start) for p in periods]
    word = PERIOD_WORDS[period]
    queue = figures.queue
    return {
        "period": period,
        "periods": [(key, words) for key, (_, _, words) in PERIODS.items()],
        "period_heading": HEADINGS[period],
        "decision_charts": [
            {
                "kind": kind,
                "caption": caption,
                **_decision_chart(
                    kind=kind,
                    title=f"{caption} per {word}",
                    labels=labels,
                    counts=[getattr(p, kind) for p in periods],
                ),
            }
            for kind, caption in (
                ("automatic", "Automatic decisions"),
                ("human", "Moderators' decisions"),
            )
        ],
        "wait_charts": [
            {
                "kind": kind,
                "caption": caption,
                **_wait_chart(
                    kind=kind,
                    title=f"{caption}, per {word}",
                    labels=labels,
                    waits=[getattr(p, kind) for p in periods],
                    counted=counted,
                ),
            }
            for kind, caption, counted in (
                ("held", "How long held comments waited for a moderator", "Decided"),
                ("reports", "How long reports waited for their resolution", "Resolved"),
            )
        ],
        "queue": queue,
        "held_waiting": _since(queue.held_since, figures.now),
        "reports_waiting": _since(queue.reports_since, figures.now),
        "time_zone": figures.time_zone,
        "counted_at": timezone.localtime(figures.now),
        "csv_url": f"{reverse('moderation_activity')}?period={period}&format=csv",
    }


CSV_HEADER = [
    "period_start",
    *(f"automatic_{name}" for name, _ in OUTCOMES),
    *(f"human_{name}" for name, _ in OUTCOMES),
    "held_decided",
    "held_median_minutes",
    "held_p90_minutes",
    "held_over_a_day",
    "reports_resolved",
    "reports_median_minutes",
    "reports_p90_minutes",
    "reports_over_a_day",
]


def csv_row(p: PeriodFigures) -> list[str | int]:
    """One period's figures as a CSV row (``CSV_HEADER``'s columns; waits in minutes)."""
    return [
        p.start.isoformat(),
        *(p.automatic[name] for name, _ in OUTCOMES),
        *(p.human[name] for name, _ in OUTCOMES),
        p.held.count,
        _minutes(p.held.median),
        _minutes(p.held.p90),
        p.held.over_day,
        p.reports.count,
        _minutes(p.reports.median),
        _minutes(p.reports.p90),
        p.reports.over_day,
    ]


def _csv(figures: ActivityFigures) -> HttpResponse:
    stamp = timezone.localtime(figures.now).date().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="moderation-activity-{figures.period}-{stamp}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for p in figures.periods:
        writer.writerow(csv_row(p))
    return response


@require_GET
@moderator_required
def activity_view(request):
    """The activity screen for ``?period=day|week|month`` (day when none), or its CSV with
    ``format=csv``; an unknown period or format is a 400 that says what to choose."""
    chosen = request.GET.get("format", "")
    try:
        period = period_clean(request.GET.get("period"))
        if chosen not in ("", "html", "csv"):
            raise InvalidInput(f"Unknown format {chosen[:20]!r}: choose html or csv.")
    except ModerationError as error:
        return render(
            request,
            "moderation/admin/activity.html",
            {
                "page_title": "Moderation activity",
                "error": error.message,
                "periods": [(key, words) for key, (_, _, words) in PERIODS.items()],
            },
            status=400,
        )
    figures = activity_figures_cached(period=period)
    if chosen == "csv":
        return _csv(figures)
    return render(
        request,
        "moderation/admin/activity.html",
        {"page_title": "Moderation activity", **activity_context(figures)},
    )
