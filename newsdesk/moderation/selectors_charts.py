"""Reads for the moderators' activity screen (issue 22, item 6; Coral #4532): decisions per
day, week or month, by outcome, automatic and human; how long held comments waited for a
moderator and reports for their resolution; and how old the queue is now.

Period boundaries are the site's ``TIME_ZONE`` (the database truncates in it, on SQLite and
PostgreSQL alike), so a day is a local day, 23 or 25 hours long across a DST change. Every
figure is a fixed number of queries (``activity_figures``: five) whatever the range.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from newsdesk.discussion.selectors import CommentStatus
from newsdesk.discussion.selectors_staff import comments_for_staff
from newsdesk.moderation.errors import InvalidInput
from newsdesk.moderation.models import STAFF_MARKS, Decision, DecisionAction, Report

# The moderator's choice: how each period is truncated and how many of them are shown.
PERIODS: dict[str, tuple[type[TruncDay] | type[TruncWeek] | type[TruncMonth], int, Any]] = {
    "day": (TruncDay, 30, gettext_lazy("Days")),
    "week": (TruncWeek, 12, gettext_lazy("Weeks")),
    "month": (TruncMonth, 12, gettext_lazy("Months")),
}
DEFAULT_PERIOD = "day"
# The moderators' promise the screen measures: a comment held longer than this waited long.
LONG_WAIT = timedelta(days=1)
# Rows read from the database at a time while the percentiles are picked (see ``_waits``).
WAITS_CHUNK = 2000
# How long the screen's figures are kept in the shared cache: a year of a busy site's log
# (126,000 decisions) takes seconds to group on SQLite, and a moderator switching between
# days, weeks and months, or downloading the CSV, should not pay it each time.
ACTIVITY_CACHE_SECONDS = 300
ACTIVITY_CACHE_KEY = "moderation:activity:v1"

# The audit log's actions, grouped into what a moderator reads on the chart (in its order).
# A rejection of a comment that was published is a removal, as on the transparency page.
OUTCOMES: list[tuple[str, Any]] = [
    ("published", gettext_lazy("Published or approved")),
    ("held", pgettext_lazy("comments", "Held")),
    ("rejected", pgettext_lazy("comments", "Rejected")),
    ("spam", pgettext_lazy("noun", "Spam")),
    ("removed", gettext_lazy("Removed (was published)")),
    ("banned", gettext_lazy("Banned or shadowed")),
    ("restored", gettext_lazy("Restored or undone")),
    ("upheld", gettext_lazy("Upheld on appeal")),
]
_TAKEN_OUT = (DecisionAction.REJECTED, DecisionAction.SPAM, DecisionAction.BANNED)
_OUTCOME_ACTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("published", (DecisionAction.PUBLISHED, DecisionAction.APPROVED)),
    ("held", (DecisionAction.HELD, DecisionAction.REPORT_HID)),
    ("rejected", (DecisionAction.REJECTED_AUTO, DecisionAction.REJECTED)),
    ("spam", (DecisionAction.SPAM,)),
    ("banned", (DecisionAction.BANNED, DecisionAction.SHADOWED)),
    (
        "restored",
        (DecisionAction.UNDO, DecisionAction.APPEAL_REVERSED, DecisionAction.UNBANNED),
    ),
    ("upheld", (DecisionAction.APPEAL_UPHELD,)),
]
_NAMES = [name for name, _ in OUTCOMES]


def _outcome() -> Case:
    """The outcome group of a decision; "" for what is no moderation decision (editors'
    picks and answers marked, ``STAFF_MARKS``), which the screen leaves out."""
    removed = When(
        Q(action__in=_TAKEN_OUT, previous_status=CommentStatus.PUBLISHED)
        & Q(new_status__in=[CommentStatus.REJECTED, CommentStatus.SPAM]),
        then=Value("removed"),
    )
    return Case(
        removed,
        *(When(action__in=actions, then=Value(name)) for name, actions in _OUTCOME_ACTIONS),
        default=Value(""),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Waits:
    """How long the things finished in one period had waited: how many, the median and the
    90th percentile (nearest rank: a wait one of them really had; None when none), and how
    many waited longer than ``LONG_WAIT``."""

    count: int = 0
    median: timedelta | None = None
    p90: timedelta | None = None
    over_day: int = 0


@dataclass
class PeriodFigures:
    """One period (``start``: its first local day): decisions by outcome, automatic and by
    moderators (every outcome present, 0 when none), and the waits that ended in it."""

    start: date
    automatic: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_NAMES, 0))
    human: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_NAMES, 0))
    held: Waits = Waits()
    reports: Waits = Waits()

    @property
    def automatic_total(self) -> int:
        return sum(self.automatic.values())

    @property
    def human_total(self) -> int:
        return sum(self.human.values())


@dataclass(frozen=True)
class QueueNow:
    """The queue as it stands: comments held and open reports, each with the time the
    oldest has waited since (None when there is none)."""

    held: int
    held_since: datetime | None
    reports: int
    reports_since: datetime | None


@dataclass(frozen=True)
class ActivityFigures:
    """What the activity screen shows for ``period`` ("day", "week", "month"): ``periods``
    oldest first, every one of them present (empty ones as zeros), and the queue now."""

    period: str
    periods: list[PeriodFigures]
    queue: QueueNow
    now: datetime
    time_zone: str


def period_clean(value: str | None) -> str:
    """The period named by a moderator's ``value``: "day" when none is given; raises
    ``InvalidInput`` for anything else than "day", "week" or "month"."""
    if value in (None, ""):
        return DEFAULT_PERIOD
    if value not in PERIODS:
        raise InvalidInput(
            _("Unknown period %(value)r: choose day, week or month.") % {"value": value[:20]},
            field="period",
        )
    return value


def period_starts(*, period: str, now: datetime, tz: tzinfo) -> list[date]:
    """The first local day of each of the ``period``'s periods up to the one holding
    ``now``, oldest first (30 days, 12 weeks from a Monday, or 12 months)."""
    _, count, _ = PERIODS[period]
    today = timezone.localtime(now, tz).date()
    if period == "day":
        return [today - timedelta(days=back) for back in range(count - 1, -1, -1)]
    if period == "week":
        monday = today - timedelta(days=today.weekday())
        return [monday - timedelta(weeks=back) for back in range(count - 1, -1, -1)]
    starts = []
    year, month = today.year, today.month
    for _ in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _local_day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _waits(rows: Iterable[tuple[Any, timedelta, int]]) -> dict[date, Waits]:
    """Each period's ``Waits`` from rows ``(period, wait, count of the period's rows)``
    sorted by period, then wait. The rows are streamed and only the two ranks wanted are
    kept, so memory stays one chunk of rows however many there are."""
    found: dict[date, Waits] = {}
    key: date | None = None
    seen = over = 0
    median = p90 = None
    for period, waited, total in rows:
        day = _local_day(period)
        if day != key:
            key, seen, over, median, p90 = day, 0, 0, None, None
        seen += 1
        if seen == (total + 1) // 2:  # nearest rank: ceil(n / 2)
            median = waited
        if seen == (9 * total + 9) // 10:  # ceil(0.9 n)
            p90 = waited
        if waited > LONG_WAIT:
            over += 1
        found[day] = Waits(count=total, median=median, p90=p90, over_day=over)
    return found


def _held_since() -> Subquery:
    """When the comment of the outer row was last held before the outer decision."""
    holds = (
        Decision.objects.filter(
            comment_id=OuterRef("comment_id"),
            new_status=CommentStatus.HELD,
            created_at__lte=OuterRef("created_at"),
        )
        .exclude(pk=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return Subquery(holds, output_field=DateTimeField())


def held_waits_query(*, period: str, since: datetime, tz: tzinfo) -> QuerySet:
    """``(period, wait, count in its period)`` of each moderator's decision since ``since``
    that took a held comment out of the queue (approved, rejected, spam, its author banned):
    the wait runs from the comment's last hold (the gate's, after reports, or an undo back
    to held) to that decision. Sorted by period, then wait. One query."""
    trunc, _, _ = PERIODS[period]
    return (
        Decision.objects.filter(
            created_at__gte=since,
            actor__isnull=False,
            comment__isnull=False,
            previous_status=CommentStatus.HELD,
        )
        .exclude(new_status=CommentStatus.HELD)
        .exclude(action__in=[*STAFF_MARKS, DecisionAction.UNDO])
        .annotate(held_at=_held_since())
        .filter(held_at__isnull=False)
        .annotate(
            period=trunc("created_at", tzinfo=tz),
            waited=ExpressionWrapper(F("created_at") - F("held_at"), output_field=DurationField()),
        )
        .annotate(total=Window(Count("pk"), partition_by=[F("period")]))
        .order_by("period", "waited", "pk")
        .values_list("period", "waited", "total")
    )


def report_waits_query(*, period: str, since: datetime, tz: tzinfo) -> QuerySet:
    """``(period, wait, count in its period)`` of each report resolved since ``since``, by
    the period of its resolution: the wait is from the report to its resolution. One
    query."""
    trunc, _, _ = PERIODS[period]
    return (
        Report.objects.filter(resolved_at__gte=since)
        .annotate(
            period=trunc("resolved_at", tzinfo=tz),
            waited=ExpressionWrapper(
                F("resolved_at") - F("created_at"), output_field=DurationField()
            ),
        )
        .annotate(total=Window(Count("pk"), partition_by=[F("period")]))
        .order_by("period", "waited", "pk")
        .values_list("period", "waited", "total")
    )


def queue_now() -> QueueNow:
    """The comments held now (and since when the longest-held one is: its last hold, or
    its posting when the log has none) and the open reports (the oldest one's time). Two
    queries."""
    last_hold = (
        Decision.objects.filter(comment_id=OuterRef("pk"), new_status=CommentStatus.HELD)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    held = (
        comments_for_staff(status=CommentStatus.HELD)
        .annotate(
            held_at=Coalesce(Subquery(last_hold, output_field=DateTimeField()), F("created_at"))
        )
        .aggregate(count=Count("pk"), since=Min("held_at"))
    )
    reports = Report.objects.filter(resolved_at__isnull=True).aggregate(
        count=Count("pk"), since=Min("created_at")
    )
    return QueueNow(
        held=held["count"],
        held_since=held["since"],
        reports=reports["count"],
        reports_since=reports["since"],
    )


def activity_figures(*, period: str, now: datetime | None = None) -> ActivityFigures:
    """The activity screen's figures for ``period`` ("day": the last 30 days, "week": 12
    weeks, "month": 12 months, each ending with the one holding ``now``), in the site's
    time zone. Decisions are counted when made, undone ones too (the work was done; the
    undo counts as "restored"); a moderator's account deleted since leaves its decisions
    counted as automatic (the log keeps no actor). Five queries, whatever the period and
    however many decisions; ``InvalidInput`` for an unknown period."""
    period = period_clean(period)
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    starts = period_starts(period=period, now=now, tz=tz)
    since = datetime.combine(starts[0], time(), tzinfo=tz)
    figures = {start: PeriodFigures(start=start) for start in starts}
    trunc, _, _ = PERIODS[period]

    decisions = (
        Decision.objects.filter(created_at__gte=since)
        .annotate(
            period=trunc("created_at", tzinfo=tz),
            outcome=_outcome(),
            human=ExpressionWrapper(Q(actor__isnull=False), output_field=BooleanField()),
        )
        .exclude(outcome="")
        .order_by()
        .values("period", "outcome", "human")
        .annotate(count=Count("pk"))
    )
    for row in decisions:
        shown = figures.get(_local_day(row["period"]))
        if shown is not None:
            counts = shown.human if row["human"] else shown.automatic
            counts[row["outcome"]] += row["count"]

    held_rows = held_waits_query(period=period, since=since, tz=tz)
    for start, waits in _waits(held_rows.iterator(chunk_size=WAITS_CHUNK)).items():
        if start in figures:
            figures[start].held = waits
    report_rows = report_waits_query(period=period, since=since, tz=tz)
    for start, waits in _waits(report_rows.iterator(chunk_size=WAITS_CHUNK)).items():
        if start in figures:
            figures[start].reports = waits

    return ActivityFigures(
        period=period,
        periods=[figures[start] for start in starts],
        queue=queue_now(),
        now=now,
        time_zone=str(tz),
    )


def activity_figures_cached(*, period: str) -> ActivityFigures:
    """``activity_figures`` for ``period`` now, kept ``ACTIVITY_CACHE_SECONDS`` in the shared
    cache (its ``now`` says when they were counted); ``InvalidInput`` for an unknown
    period."""
    period = period_clean(period)
    key = f"{ACTIVITY_CACHE_KEY}:{period}"
    figures = cache.get(key)
    if figures is None:
        figures = activity_figures(period=period)
        cache.set(key, figures, ACTIVITY_CACHE_SECONDS)
    return figures
