"""Reads of the quiet hours (``models_schedule.QuietHours``): whether an article's discussion
is quiet at a given moment, until when, and what readers are told.

Every post and every rendering of a discussion asks, so the enabled schedules are kept per
process (``core/processcache.py``) under their own generation, which any save or deletion of
a schedule bumps (``DiscussionConfig.ready``): asking costs no query. Times are compared in
UTC, built from the schedule's wall-clock times in the site's ``TIME_ZONE`` on the day they
fall, so a quiet period keeps its wall-clock hours across a change of daylight saving time.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsdesk.core.processcache import generation_bump, process_cached
from newsdesk.discussion.models_schedule import QuietHours

if TYPE_CHECKING:
    from newsdesk.articles.models import ArticlePage

QUIET_HOURS_GENERATION = "discussion-quiet-hours"
DEFAULT_NOTICE = gettext_lazy("Comments are closed for the night")
# Quiet periods that follow one another (22:00-02:00, then 02:00-07:00) are one: the reopening
# time is followed through at most this many of them.
CHAIN_MAX = 14


def quiet_hours_changed(sender: object = None, **kwargs: object) -> None:
    """A schedule was saved or deleted: every process reads the schedules afresh."""
    generation_bump(generation=QUIET_HOURS_GENERATION)


@dataclass(frozen=True)
class Schedule:
    """An enabled schedule as posting and pages need it (plain values)."""

    id: int
    name: str
    # The section's tree path ("" for the whole site): an article under it has a path that
    # begins with it, so no query finds an article's section.
    section_path: str
    section_id: int | None
    weekdays: frozenset[int]
    starts_at: time
    ends_at: time
    message: str

    def applies_to(self, article_path: str) -> bool:
        return not self.section_path or article_path.startswith(self.section_path)

    def span_at(self, moment: datetime) -> tuple[datetime, datetime] | None:
        """The quiet period (start, end, in UTC) of this schedule that ``moment`` falls in,
        or None. A period starts on one of ``weekdays`` and may end the next day."""
        zone = timezone.get_current_timezone()
        local_day = moment.astimezone(zone).date()
        for back in (0, 1):
            day = local_day - timedelta(days=back)
            if day.weekday() not in self.weekdays:
                continue
            start, end = self._span_of(day, zone)
            if start <= moment < end:
                return start, end
        return None

    def _span_of(self, day: date, zone: tzinfo) -> tuple[datetime, datetime]:
        end_day = day if self.ends_at > self.starts_at else day + timedelta(days=1)
        start = datetime.combine(day, self.starts_at, tzinfo=zone).astimezone(UTC)
        end = datetime.combine(end_day, self.ends_at, tzinfo=zone).astimezone(UTC)
        return start, end


@dataclass(frozen=True)
class QuietSpell:
    """An article's discussion is quiet now: until ``reopens_at`` (UTC), with ``notice`` for
    readers (the schedule's message, or the default, and when comments reopen)."""

    schedule_id: int
    reopens_at: datetime
    notice: str


def _schedules_load() -> tuple[Schedule, ...]:
    rows = QuietHours.objects.filter(enabled=True).select_related("section")
    return tuple(
        Schedule(
            id=row.pk,
            name=row.name,
            section_path=row.section.path if row.section is not None else "",
            section_id=row.section_id,
            weekdays=frozenset(row.weekdays),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            message=row.message.strip(),
        )
        for row in rows
        if row.starts_at != row.ends_at
    )


def schedules_enabled() -> tuple[Schedule, ...]:
    """The enabled schedules, from this process's copy (a query when it has none)."""
    return process_cached(generation=QUIET_HOURS_GENERATION, key="enabled", load=_schedules_load)


def _reopening(*, reopens_at: datetime, now: datetime) -> tuple[str, str]:
    """When comments reopen, in the site's time zone: the day's name ("" when it is less
    than a day away) and the time ("07:00")."""
    zone = timezone.get_current_timezone()
    local = reopens_at.astimezone(zone)
    clock = date_format(local, "TIME_FORMAT")
    if reopens_at - now < timedelta(hours=24) and local.date() <= (
        now.astimezone(zone).date() + timedelta(days=1)
    ):
        return "", clock
    return str(WEEKDAYS[local.weekday()]), clock


def reopening_words(*, reopens_at: datetime, now: datetime) -> str:
    """When comments reopen, as readers read it: "07:00", or "on Monday at 07:00" when that
    is a day or more away, in the site's time zone."""
    day, clock = _reopening(reopens_at=reopens_at, now=now)
    if not day:
        return clock
    return _("on %(day)s at %(time)s") % {"day": day, "time": clock}


def quiet_spell_get(*, article: "ArticlePage", now: datetime | None = None) -> QuietSpell | None:
    """The quiet period ``article``'s discussion is in at ``now`` (default: now), or None.

    Of the enabled schedules for the whole site or the article's section, the first (by name)
    that covers ``now`` gives the message; the reopening time is the end of the latest of
    them, followed through periods that begin as one ends. No query (``schedules_enabled``).
    """
    now = now or timezone.now()
    path = getattr(article, "path", "") or ""
    schedules = [s for s in schedules_enabled() if s.applies_to(path)]
    if not schedules:
        return None
    spans = [(s, s.span_at(now)) for s in schedules]
    active = [(s, span) for s, span in spans if span is not None]
    if not active:
        return None
    reopens_at = max(span[1] for _schedule, span in active)
    for _step in range(CHAIN_MAX):
        later = [span[1] for s in schedules if (span := s.span_at(reopens_at)) is not None]
        if not later:
            break
        reopens_at = max(later)
    first = active[0][0]
    day, clock = _reopening(reopens_at=reopens_at, now=now)
    words = {"message": first.message, "day": day, "time": clock}
    if first.message and day:
        notice = _("%(message)s Comments reopen on %(day)s at %(time)s.") % words
    elif first.message:
        notice = _("%(message)s Comments reopen at %(time)s.") % words
    elif day:
        notice = _("Comments are closed for the night; they reopen on %(day)s at %(time)s.") % words
    else:
        notice = _("Comments are closed for the night; they reopen at %(time)s.") % words
    return QuietSpell(schedule_id=first.id, reopens_at=reopens_at, notice=notice)


def schedules_active_ids(*, now: datetime | None = None) -> frozenset[int]:
    """The ids of the enabled schedules in a quiet period at ``now`` (any scope)."""
    now = now or timezone.now()
    return frozenset(s.id for s in schedules_enabled() if s.span_at(now) is not None)


def schedules_by_id() -> dict[int, Schedule]:
    """The enabled schedules by id (this process's copy)."""
    return {s.id: s for s in schedules_enabled()}
