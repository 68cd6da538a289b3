"""Bar charts drawn on the server as inline SVG, for the admin's screens of figures (the
moderators' activity, the newsletters' reports): no script, no library, no CDN. Each chart is
an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``; the page puts
the same figures in a table beside it, which is what screen readers and tests read (the bars
are drawing only).

Bars are stacked (one bar per category, a segment per series) or grouped (a bar per series,
side by side); the value axis starts at 0 and ends at a round number, with four gridlines;
category labels are thinned so that they do not overlap on a phone's width.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# The drawing's own coordinates; the SVG scales to its box's width (viewBox).
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 12, 44
TICKS = 4
MAX_LABELS = 8  # category labels written under the axis, at most (all are in the table)


@dataclass(frozen=True)
class Series:
    """One series: its name (legend and tooltips), its colour and a value per category."""

    label: str
    colour: str
    values: Sequence[float]


def nice_top(value: float) -> float:
    """The axis' top: the smallest 1, 2, 2.5 or 5 times a power of ten, times ``TICKS``,
    that is at least ``value`` (1 for an empty chart, so that zeros still draw an axis)."""
    if value <= 0:
        return float(TICKS)
    raw = value / TICKS
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step * TICKS >= value:
            return step * TICKS
    return 10 * power * TICKS  # unreachable: factor 10 always fits


def _c(value: float) -> str:
    """A coordinate as written in the SVG (format_html takes strings)."""
    return f"{value:.1f}"


def _number(value: float) -> str:
    """A value as people read it, in the active language (2.5 in English, 2,5 in French)."""
    return number_format(value, decimal_pos=0 if float(value).is_integer() else 1)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool,
    unit: str = "",
) -> SafeString:
    """The SVG of a bar chart of ``series`` over ``categories``, with ``title`` as its
    accessible name and ``description``; ``unit`` follows the values in tooltips and the
    axis' label. Every category has its place, zeros included."""
    count = max(len(categories), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_w / count
    if stacked:
        highest = max((sum(s.values[i] for s in series) for i in range(len(categories))), default=0)
    else:
        highest = max((v for s in series for v in s.values), default=0)
    top = nice_top(highest)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    parts: list[SafeString] = [
        format_html(
            '<svg class="activity-chart" id="{}" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="{}-title {}-desc" preserveAspectRatio="xMidYMid meet">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
            chart_id,
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
            chart_id,
            title,
            chart_id,
            description,
        )
    ]
    for tick in range(TICKS + 1):  # gridlines and the value axis' labels
        value = top * tick / TICKS
        parts.append(
            format_html(
                '<line class="activity-chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="activity-chart__tick" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                _c(y(value)),
                _c(y(value)),
                LEFT - 6,
                _c(y(value) + 4),
                _number(value),
            )
        )
    if unit:
        parts.append(
            format_html(
                '<text class="activity-chart__unit" x="12" y="{}" '
                'transform="rotate(-90 12 {})" text-anchor="middle">{}</text>',
                _c(TOP + plot_h / 2),
                _c(TOP + plot_h / 2),
                unit,
            )
        )
    every = max(1, math.ceil(len(categories) / MAX_LABELS))
    for index, category in enumerate(categories):
        x0 = LEFT + band * index
        if stacked:
            width, base = band * 0.7, 0.0
            for one in series:
                value = one.values[index]
                if value:
                    parts.append(
                        _bar(
                            x0 + band * 0.15,
                            y(base + value),
                            width,
                            y(base),
                            one,
                            category,
                            value,
                            unit,
                        )
                    )
                base += value
        else:
            width = band * 0.8 / max(len(series), 1)
            for position, one in enumerate(series):
                value = one.values[index]
                if value:
                    parts.append(
                        _bar(
                            x0 + band * 0.1 + width * position,
                            y(value),
                            width,
                            y(0),
                            one,
                            category,
                            value,
                            unit,
                        )
                    )
        # The last category is always labelled: it is the current period.
        if (len(categories) - 1 - index) % every == 0:
            parts.append(
                format_html(
                    '<text class="activity-chart__label" x="{}" y="{}" '
                    'text-anchor="middle">{}</text>',
                    _c(x0 + band / 2),
                    HEIGHT - BOTTOM + 18,
                    category,
                )
            )
    parts.append(
        format_html(
            '<line class="activity-chart__axis" x1="{}" x2="{}" y1="{}" y2="{}"/>',
            LEFT,
            WIDTH - RIGHT,
            _c(y(0)),
            _c(y(0)),
        )
    )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # every part was built by format_html


def _bar(
    x: float,
    top: float,
    width: float,
    bottom: float,
    one: Series,
    category: str,
    value: float,
    unit: str,
) -> SafeString:
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}{}</title></rect>',
        _c(x),
        _c(top),
        _c(width),
        _c(max(bottom - top, 0.0)),
        one.colour,
        category,
        one.label,
        _number(value),
        f" {unit}" if unit else "",
    )


def legend(series: Sequence[Series]) -> SafeString:
    """The chart's key, as a list: a swatch and each series' name."""
    items = format_html_join(
        "",
        '<li><span class="activity-legend__swatch" style="background:{}" aria-hidden="true">'
        "</span>{}</li>",
        ((one.colour, one.label) for one in series),
    )
    return format_html('<ul class="activity-legend">{}</ul>', items)
