"""The moderators' activity screen (issue 22, item 6; Coral #4532): decisions by outcome,
automatic and human, and queue times per day, week or month in the site's time zone (DST
included), drawn as SVG with a table of the same figures, a CSV of them, a fixed number of
queries whatever the range, and only for moderators."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.moderation.admin_views_charts import CSV_HEADER, wait_text
from newsdesk.moderation.errors import InvalidInput
from newsdesk.moderation.models import Decision, DecisionAction, Report
from newsdesk.moderation.selectors_charts import (
    OUTCOMES,
    Waits,
    activity_figures,
    period_starts,
)
from newsdesk.web.charts import nice_top

from .conftest import guest_reader, post, user_in

pytestmark = pytest.mark.django_db
URL = "/admin/moderation/activity/"
AMSTERDAM = "Europe/Amsterdam"
HELD, PUB, REJ = CommentStatus.HELD, CommentStatus.PUBLISHED, CommentStatus.REJECTED
# 2026's clocks in Amsterdam: forward at 01:00 UTC on 29 March, back at 01:00 UTC on 25 October.
NOW = datetime(2026, 4, 8, 10, tzinfo=UTC)  # a Wednesday; the 30 days start on 10 March


def _at(comment, action, when, *, actor=None, previous="", new=""):
    decision = Decision.objects.create(
        comment=comment, action=action, actor=actor, previous_status=previous, new_status=new
    )
    Decision.objects.filter(pk=decision.pk).update(created_at=when)
    return decision


@pytest.fixture
def comments(article):
    """A comment posted through the services, its siblings, and an empty audit log."""
    first = post(article, guest_reader(), "The council's figures do not add up, as I read them.")
    others = [
        Comment.objects.create(
            thread=first.thread,
            body_source=f"Remark {n}",
            body_html=f"<p>Remark {n}</p>",
            created_at=NOW - timedelta(days=60),
            status=PUB,
        )
        for n in range(12)
    ]
    Decision.objects.all().delete()
    Report.objects.all().delete()
    return [first, *others]


def _by_start(figures):
    return {p.start: p for p in figures.periods}


@override_settings(TIME_ZONE=AMSTERDAM)
def test_decisions_by_local_day_across_the_spring_dst_change(comments, moderator):
    c = comments[0]
    # 28 March 23:30 UTC is 00:30 on 29 March in Amsterdam (CET, +1).
    _at(c, DecisionAction.PUBLISHED, datetime(2026, 3, 28, 23, 30, tzinfo=UTC), new=PUB)
    # 29 March was 23 hours long: 22:15 UTC is already 00:15 on 30 March (CEST, +2).
    _at(c, DecisionAction.HELD, datetime(2026, 3, 29, 22, 15, tzinfo=UTC), new=HELD)
    _at(c, DecisionAction.HELD, datetime(2026, 3, 29, 21, 45, tzinfo=UTC), new=HELD)
    _at(
        c,
        DecisionAction.APPROVED,
        datetime(2026, 3, 29, 23, 0, tzinfo=UTC),
        actor=moderator,
        previous=HELD,
        new=PUB,
    )
    # An editors' pick is no moderation decision; a decision before the 30 days is not shown.
    _at(c, "picked", datetime(2026, 3, 29, 12, tzinfo=UTC), actor=moderator)
    _at(c, DecisionAction.PUBLISHED, datetime(2026, 3, 9, 22, 59, tzinfo=UTC), new=PUB)
    _at(c, DecisionAction.PUBLISHED, datetime(2026, 3, 9, 23, 0, tzinfo=UTC), new=PUB)

    figures = activity_figures(period="day", now=NOW)

    days = _by_start(figures)
    assert len(figures.periods) == 30
    assert figures.periods[0].start == date(2026, 3, 10)
    assert figures.periods[-1].start == date(2026, 4, 8)
    assert days[date(2026, 3, 29)].automatic["published"] == 1
    assert days[date(2026, 3, 29)].automatic["held"] == 1  # 21:45 UTC: 23:45 CEST
    assert days[date(2026, 3, 30)].automatic["held"] == 1
    assert days[date(2026, 3, 30)].human["published"] == 1
    assert days[date(2026, 3, 29)].human_total == 0  # the pick is left out
    # 9 March 23:00 UTC is midnight on the 10th, the first day shown; 22:59 is before it.
    assert days[date(2026, 3, 10)].automatic["published"] == 1
    # Every other day is there, with zeros.
    assert days[date(2026, 3, 20)].automatic == dict.fromkeys(days[date(2026, 3, 20)].automatic, 0)
    assert sum(p.automatic_total + p.human_total for p in figures.periods) == 5


@override_settings(TIME_ZONE=AMSTERDAM)
def test_weeks_start_on_local_mondays_and_months_on_local_first_days(comments, moderator):
    c = comments[0]
    # Sunday 29 March 22:15 UTC is Monday 30 March in Amsterdam: the next week.
    _at(c, DecisionAction.REJECTED_AUTO, datetime(2026, 3, 29, 22, 15, tzinfo=UTC), new=REJ)
    _at(c, DecisionAction.REJECTED_AUTO, datetime(2026, 3, 29, 21, 0, tzinfo=UTC), new=REJ)
    # 31 October 23:30 UTC is 1 November in Amsterdam (after the autumn change, CET).
    _at(c, DecisionAction.SPAM, datetime(2026, 10, 31, 23, 30, tzinfo=UTC), actor=moderator)
    _at(c, DecisionAction.SPAM, datetime(2026, 10, 31, 22, 30, tzinfo=UTC), actor=moderator)

    weeks = _by_start(activity_figures(period="week", now=NOW))
    assert len(weeks) == 12
    assert min(weeks) == date(2026, 1, 19) and max(weeks) == date(2026, 4, 6)
    assert all(start.weekday() == 0 for start in weeks)
    assert weeks[date(2026, 3, 23)].automatic["rejected"] == 1
    assert weeks[date(2026, 3, 30)].automatic["rejected"] == 1

    months = _by_start(activity_figures(period="month", now=datetime(2026, 11, 5, tzinfo=UTC)))
    assert len(months) == 12
    assert min(months) == date(2025, 12, 1) and max(months) == date(2026, 11, 1)
    assert months[date(2026, 11, 1)].human["spam"] == 1
    assert months[date(2026, 10, 1)].human["spam"] == 1
    assert months[date(2026, 3, 1)].automatic["rejected"] == 2


def test_outcomes_group_the_audit_log(comments, moderator):
    c, day = comments[0], datetime(2026, 4, 7, 12, tzinfo=UTC)
    expected = {
        (DecisionAction.PUBLISHED, None, "", PUB): ("automatic", "published"),
        (DecisionAction.REPORT_HID, None, PUB, HELD): ("automatic", "held"),
        (DecisionAction.SHADOWED, None, "", PUB): ("automatic", "banned"),
        (DecisionAction.REJECTED, moderator, HELD, REJ): ("human", "rejected"),
        (DecisionAction.REJECTED, moderator, PUB, REJ): ("human", "removed"),
        (DecisionAction.SPAM, moderator, PUB, CommentStatus.SPAM): ("human", "removed"),
        (DecisionAction.BANNED, moderator, HELD, REJ): ("human", "banned"),
        (DecisionAction.UNDO, moderator, REJ, PUB): ("human", "restored"),
        (DecisionAction.APPEAL_REVERSED, moderator, REJ, PUB): ("human", "restored"),
        (DecisionAction.APPEAL_UPHELD, moderator, REJ, REJ): ("human", "upheld"),
    }
    for action, actor, previous, new in expected:
        _at(c, action, day, actor=actor, previous=previous, new=new)

    shown = _by_start(activity_figures(period="day", now=NOW))[date(2026, 4, 7)]

    assert shown.automatic == {
        **dict.fromkeys(shown.automatic, 0),
        "published": 1,
        "held": 1,
        "banned": 1,
    }
    assert shown.human == {
        **dict.fromkeys(shown.human, 0),
        "rejected": 1,
        "removed": 2,
        "banned": 1,
        "restored": 2,
        "upheld": 1,
    }
    assert set(shown.human) == {name for name, _ in OUTCOMES}


def _held_then_decided(comment, *, held_at, waited, moderator, action=DecisionAction.APPROVED):
    _at(comment, DecisionAction.HELD, held_at, new=HELD)
    new = PUB if action == DecisionAction.APPROVED else REJ
    _at(comment, action, held_at + waited, actor=moderator, previous=HELD, new=new)


@override_settings(TIME_ZONE=AMSTERDAM)
def test_queue_times_median_90th_percentile_and_long_waits(comments, moderator):
    # Ten comments decided on 7 April (local), having waited 1 to 9 hours and 30 hours.
    decided = datetime(2026, 4, 7, 20, tzinfo=UTC)  # 22:00 in Amsterdam
    waits = [timedelta(hours=h) for h in (9, 1, 30, 2, 8, 3, 7, 4, 6, 5)]
    for comment, waited in zip(comments, waits, strict=False):
        _held_then_decided(comment, held_at=decided - waited, waited=waited, moderator=moderator)
    # The same comment held twice: the second wait runs from the second hold (45 minutes),
    # decided at 00:30 local on 8 April, so in the next day.
    again = comments[10]
    _held_then_decided(
        again,
        held_at=datetime(2026, 4, 6, 8, tzinfo=UTC),
        waited=timedelta(hours=1),
        moderator=moderator,
    )
    _held_then_decided(
        again,
        held_at=datetime(2026, 4, 7, 21, 45, tzinfo=UTC),
        waited=timedelta(minutes=45),
        moderator=moderator,
        action=DecisionAction.REJECTED,
    )
    # Not a wait for a moderator: the gate's own publication, a pick on a held comment.
    _at(comments[11], DecisionAction.PUBLISHED, decided, new=PUB)
    _at(comments[11], "picked", decided, actor=moderator, previous=HELD, new=HELD)

    days = _by_start(activity_figures(period="day", now=NOW))

    # Nearest rank: the 5th and the 9th of the ten waits, sorted.
    assert days[date(2026, 4, 7)].held == Waits(
        count=10, median=timedelta(hours=5), p90=timedelta(hours=9), over_day=1
    )
    assert days[date(2026, 4, 8)].held == Waits(
        count=1, median=timedelta(minutes=45), p90=timedelta(minutes=45), over_day=0
    )
    assert days[date(2026, 4, 6)].held == Waits(
        count=1, median=timedelta(hours=1), p90=timedelta(hours=1), over_day=0
    )
    assert days[date(2026, 4, 5)].held == Waits()  # an empty day: no wait, zero counted


@override_settings(TIME_ZONE=AMSTERDAM)
def test_report_resolution_times_by_the_day_they_were_resolved(comments):
    resolved = datetime(2026, 4, 2, 21, 30, tzinfo=UTC)  # 23:30 on 2 April in Amsterdam
    for n, hours in enumerate((1, 2, 50)):
        report = Report.objects.create(
            comment=comments[n], reporter_key=f"guest:{n}", reason="spam"
        )
        Report.objects.filter(pk=report.pk).update(
            created_at=resolved - timedelta(hours=hours), resolved_at=resolved
        )
    late = Report.objects.create(comment=comments[5], reporter_key="guest:late", reason="abuse")
    Report.objects.filter(pk=late.pk).update(
        created_at=resolved,
        resolved_at=resolved + timedelta(minutes=40),  # 3 April, local
    )

    days = _by_start(activity_figures(period="day", now=NOW))

    assert days[date(2026, 4, 2)].reports == Waits(
        count=3, median=timedelta(hours=2), p90=timedelta(hours=50), over_day=1
    )
    assert days[date(2026, 4, 3)].reports.count == 1
    assert days[date(2026, 4, 3)].reports.median == timedelta(minutes=40)


def test_the_queue_now_its_size_and_oldest_wait(comments, moderator):
    now = datetime(2026, 4, 8, 10, tzinfo=UTC)
    held_long, held_recent = comments[1], comments[2]
    Comment.objects.filter(pk__in=[held_long.pk, held_recent.pk]).update(status=HELD)
    # Posted 60 days ago, held (after reports) three days ago: it waits since the hold.
    _at(held_long, DecisionAction.REPORT_HID, now - timedelta(days=3), new=HELD)
    _at(held_recent, DecisionAction.HELD, now - timedelta(hours=2), new=HELD)
    Report.objects.create(comment=comments[3], reporter_key="guest:a", reason="spam")
    Report.objects.filter(comment=comments[3]).update(created_at=now - timedelta(hours=5))
    Report.objects.create(
        comment=comments[4], reporter_key="guest:b", reason="spam", resolved_at=now
    )

    queue = activity_figures(period="day", now=now).queue

    assert queue.held == Comment.objects.filter(status=HELD).count()
    assert queue.held_since is not None and queue.held_since <= now - timedelta(days=3)
    assert queue.reports == 1
    assert queue.reports_since == now - timedelta(hours=5)


def test_unknown_period_is_refused():
    with pytest.raises(InvalidInput):
        activity_figures(period="fortnight")


@override_settings(TIME_ZONE=AMSTERDAM)
@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_a_fixed_number_of_queries_whatever_the_range_or_the_data(comments, moderator, period):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            activity_figures(period=period, now=NOW)
        return len(captured)

    empty = queries()
    start = NOW - timedelta(days=300)
    for n in range(40):
        when = start + timedelta(days=n * 7, hours=n)
        _held_then_decided(
            comments[n % 12], held_at=when, waited=timedelta(hours=n + 1), moderator=moderator
        )
        report = Report.objects.create(
            comment=comments[n % 12], reporter_key=f"k{n}", reason="spam"
        )
        Report.objects.filter(pk=report.pk).update(
            created_at=when, resolved_at=when + timedelta(hours=n)
        )

    assert empty == 5
    assert queries() == 5


def test_period_starts_in_the_site_time_zone():
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(AMSTERDAM)
    # 31 December 23:30 UTC is already New Year's Day in Amsterdam.
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert period_starts(period="day", now=late, tz=tz)[-1] == date(2027, 1, 1)
    assert period_starts(period="month", now=late, tz=tz)[0] == date(2026, 2, 1)
    assert period_starts(period="week", now=late, tz=tz)[-1] == date(2026, 12, 28)


def test_waits_and_axis_in_words():
    assert wait_text(None) == "none"
    assert wait_text(timedelta(seconds=20)) == "20 s"
    assert wait_text(timedelta(minutes=45)) == "45 min"
    assert wait_text(timedelta(hours=3, minutes=20)) == "3 h 20 min"
    assert wait_text(timedelta(days=2, hours=4)) == "2 d 4 h"
    assert nice_top(0) == 4
    assert nice_top(7) == 8
    assert nice_top(33) == 40
    assert nice_top(101) == 200


# --- the screen -------------------------------------------------------------------------------
@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


def _table(html: str, kind: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*data-table="{kind}".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr data-period-row[^>]*>(.*?)</tr>", table, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_the_screen_draws_each_chart_with_its_name_and_table(comments, moderator, moderator_client):
    from django.utils import timezone

    today = timezone.now()
    c = comments[0]
    for _ in range(3):
        _at(c, DecisionAction.PUBLISHED, today, new=PUB)
    _at(c, DecisionAction.REJECTED, today, actor=moderator, previous=PUB, new=REJ)

    response = moderator_client.get(URL, {"period": "week"})

    assert response.status_code == 200
    html = response.content.decode()
    for chart in ("chart-automatic", "chart-human", "chart-held", "chart-reports"):
        assert re.search(
            rf'<svg[^>]*id="{chart}"[^>]*role="img"[^>]*'
            rf'aria-labelledby="{chart}-title {chart}-desc"',
            html,
        )
        assert f'<title id="{chart}-title">' in html
    assert '<title id="chart-automatic-title">Automatic decisions per week</title>' in html
    assert 'aria-current="page">Weeks</a>' in html
    # The page's own title heads it (Wagtail's header takes a context's "heading" for it).
    h1 = re.search(r'<h1[^>]*id="header-title"[^>]*>(.*?)</h1>', html, re.S)
    assert h1 and "Moderation activity" in h1.group(1)
    automatic = _table(html, "automatic")
    assert len(automatic) == 12
    assert automatic[-1][1] == "3" and automatic[-1][-1] == "3"  # published, total this week
    human = _table(html, "human")
    removed_column = 1 + [name for name, _ in OUTCOMES].index("removed")
    assert human[-1][removed_column] == "1"
    assert all(row[-1] == "0" for row in automatic[:-1])  # empty weeks as zeros


def test_the_csv_has_the_same_figures(comments, moderator, moderator_client):
    from django.utils import timezone

    _at(comments[0], DecisionAction.HELD, timezone.now(), new=HELD)

    response = moderator_client.get(URL, {"period": "month", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == CSV_HEADER
    assert len(rows) == 13
    last = dict(zip(CSV_HEADER, rows[-1], strict=True))
    assert last["automatic_held"] == "1"
    assert last["period_start"] == timezone.localdate().replace(day=1).isoformat()


@pytest.mark.parametrize("query", [{"period": "fortnight"}, {"format": "xlsx"}])
def test_bad_choices_get_a_clear_400(moderator_client, query):
    response = moderator_client.get(URL, query)
    assert response.status_code == 400
    assert b"choose" in response.content
    assert b'class="activity-chart"' not in response.content


def test_only_moderators_see_it(db, client):
    editor = user_in("Editors", "eddie")
    client.force_login(editor)
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 405


def test_the_screen_costs_the_same_queries_for_every_range(comments, moderator, moderator_client):
    def queries(period: str) -> int:
        cache.clear()  # the figures are cached a few minutes: count what counting them costs
        with CaptureQueriesContext(connection) as captured:
            assert moderator_client.get(URL, {"period": period}).status_code == 200
        return len(captured)

    baseline = queries("day")
    for n in range(30):
        _held_then_decided(
            comments[n % 12],
            held_at=NOW - timedelta(days=n * 9),
            waited=timedelta(hours=n + 1),
            moderator=moderator,
        )
    assert queries("day") == baseline
    assert queries("week") == baseline
    assert queries("month") == baseline


def test_the_demo_history_fills_the_charts_once(comments):
    from io import StringIO

    from newsdesk.demo import moderation_activity

    moderation_activity.load(stdout=StringIO())
    counts = (Decision.objects.count(), Report.objects.count())
    moderation_activity.load(stdout=StringIO())

    assert (Decision.objects.count(), Report.objects.count()) == counts
    months = activity_figures(period="month").periods
    assert all(p.automatic_total > 0 and p.human_total > 0 for p in months)
    assert sum(p.held.count for p in months) > 100
    assert all(c.status == PUB for c in Comment.objects.filter(pk__in=[c.pk for c in comments]))


def test_the_figures_are_counted_once_for_a_few_minutes(comments, moderator_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert moderator_client.get(URL, {"period": "month"}).status_code == 200
        return len(captured)

    first = queries()
    assert queries() == first - 5  # the five queries of the figures, answered by the cache
    assert moderator_client.get(URL, {"period": "month", "format": "csv"}).status_code == 200
