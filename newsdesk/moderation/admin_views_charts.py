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
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
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
PERIOD_WORDS = {
    "day": pgettext_lazy("period", "day"),
    "week": pgettext_lazy("period", "week"),
    "month": pgettext_lazy("period", "month"),
}
HEADINGS = {
    "day": pgettext_lazy("period", "Day"),
    "week": gettext_lazy("Week of"),
    "month": pgettext_lazy("period", "Month"),
}


def period_label(*, period: str, start: date) -> str:
    """How a period is named on the axis and in the tables: "3 Nov", "3 Nov" (the week's
    Monday), "Nov 2026"."""
    if period == "month":
        return date_format(start, "M Y")
    return date_format(start, "j M")


def wait_text(value: timedelta | None) -> str:
    """A wait in words a moderator reads at a glance: "45 min", "3 h 20 min", "2 d 4 h";
    "none" when nothing waited."""
    if value is None:
        return _("none")
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return _("%(seconds)s s") % {"seconds": int(value.total_seconds())}
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        if minutes:
            return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
        return _("%(hours)s h") % {"hours": hours}
    days, hours = divmod(hours, 24)
    if hours:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    return _("%(days)s d") % {"days": days}


def _minutes(value: timedelta | None) -> str:
    return "" if value is None else f"{value.total_seconds() / 60:.1f}"


def _wait_chart(
    *, kind: str, title: str, labels: list[str], waits: list[Waits], counted: str
) -> dict:
    chart_id = f"chart-{kind}"
    longest = max((w.p90 or timedelta()) for w in waits) if waits else timedelta()
    # Hours read best, unless every wait is short enough that they would all look like 0.
    in_minutes = longest < timedelta(hours=2)
    unit, scale = (_("minutes"), 60) if in_minutes else (_("hours"), 3600)

    def scaled(value: timedelta | None) -> float:
        return round(value.total_seconds() / scale, 1) if value is not None else 0.0

    series = [
        Series(_("Median"), MEDIAN_COLOUR, [scaled(w.median) for w in waits]),
        Series(_("90th percentile"), P90_COLOUR, [scaled(w.p90) for w in waits]),
    ]
    return {
        "id": chart_id,
        "svg": bar_chart(
            chart_id=chart_id,
            title=title,
            description=_(
                "Median and 90th percentile wait in %(unit)s per period; the table below "
                "gives the same figures."
            )
            % {"unit": unit},
            categories=labels,
            series=series,
            stacked=False,
            unit=unit,
        ),
        "legend": legend(series),
        "columns": [counted, _("Median"), _("90th percentile"), _("Waited over a day")],
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
        Series(str(label), OUTCOME_COLOURS[name], [row[name] for row in counts])
        for name, label in OUTCOMES
    ]
    return {
        "id": chart_id,
        "svg": bar_chart(
            chart_id=chart_id,
            title=title,
            description=_(
                "Decisions per period, stacked by outcome; the table below gives the same figures."
            ),
            categories=labels,
            series=series,
            stacked=True,
        ),
        "legend": legend(series),
        "columns": [*(label for _name, label in OUTCOMES), _("Total")],
        "rows": [
            (label, [row[name] for name, _label in OUTCOMES] + [sum(row.values())])
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
        "period_word": word,
        "periods": [(key, words) for key, (_trunc, _count, words) in PERIODS.items()],
        "period_heading": HEADINGS[period],
        "decision_charts": [
            {
                "kind": kind,
                "caption": caption,
                **_decision_chart(
                    kind=kind,
                    title=_("%(caption)s per %(period)s") % {"caption": caption, "period": word},
                    labels=labels,
                    counts=[getattr(p, kind) for p in periods],
                ),
            }
            for kind, caption in (
                ("automatic", _("Automatic decisions")),
                ("human", _("Moderators' decisions")),
            )
        ],
        "wait_charts": [
            {
                "kind": kind,
                "caption": caption,
                **_wait_chart(
                    kind=kind,
                    title=_("%(caption)s, per %(period)s") % {"caption": caption, "period": word},
                    labels=labels,
                    waits=[getattr(p, kind) for p in periods],
                    counted=counted,
                ),
            }
            for kind, caption, counted in (
                ("held", _("How long held comments waited for a moderator"), _("Decided")),
                ("reports", _("How long reports waited for their resolution"), _("Resolved")),
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
            raise InvalidInput(
                _("Unknown format %(value)r: choose html or csv.") % {"value": chosen[:20]}
            )
    except ModerationError as error:
        return render(
            request,
            "moderation/admin/activity.html",
            {
                "page_title": _("Moderation activity"),
                "error": error.message,
                "periods": [(key, words) for key, (_trunc, _count, words) in PERIODS.items()],
            },
            status=400,
        )
    figures = activity_figures_cached(period=period)
    if chosen == "csv":
        return _csv(figures)
    return render(
        request,
        "moderation/admin/activity.html",
        {"page_title": _("Moderation activity"), **activity_context(figures)},
    )
