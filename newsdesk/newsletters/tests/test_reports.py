"""The newsletters' reports in the admin (issue 21, item 6): per send, sent, delivered,
bounced, complaints, unsubscribes and clicks; per list, subscribed and unsubscribed readers
per week for 26 weeks in the site's time zone, drawn as SVG beside a table of the same
figures; a fixed number of queries whatever the number of sends or subscribers; staff only."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from newsdesk.newsletters.models import (
    ConsentSource,
    LinkClick,
    Send,
    SendRecord,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)
from newsdesk.newsletters.models_sending import RecordStatus, SendStatus
from newsdesk.newsletters.selectors_reports import list_growth, sends_figures, week_starts
from newsdesk.newsletters.tests import issue_factories

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 10, 5, 7, tzinfo=UTC)  # a Monday
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)  # a Wednesday
_numbers = iter(range(1, 100_000))


def person(email=None):
    email = email or f"reader{next(_numbers)}@example.org"
    return Subscriber.objects.create(email=email, token=f"t-{email}")


def subscription(one, slug="daily", *, confirmed=T0, left=None, status=None):
    status = status or (SubscriptionStatus.UNSUBSCRIBED if left else SubscriptionStatus.SUBSCRIBED)
    return Subscription.objects.create(
        subscriber=one,
        newsletter=issue_factories.newsletter(slug),
        status=status,
        consent_at=(confirmed or T0) - timedelta(minutes=5),
        consent_source=ConsentSource.FOOTER,
        confirmed_at=confirmed,
        unsubscribed_at=left,
    )


def send(at, people, *, slug="daily", status=RecordStatus.SENT, **marks):
    issue = issue_factories.issue(list_slug=slug)
    one = Send.objects.create(
        issue=issue,
        newsletter=issue.newsletter,
        status=SendStatus.SENT,
        scheduled_at=at,
        started_at=at,
        finished_at=at + timedelta(minutes=3),
        subject=issue.title,
    )
    for who in people:
        SendRecord.objects.create(
            send=one,
            subscriber=who,
            email=who.email,
            status=marks.get(who.email, {}).get("status", status),
            sent_at=at
            if marks.get(who.email, {}).get("status", status) == RecordStatus.SENT
            else None,
            **{k: v for k, v in marks.get(who.email, {}).items() if k != "status"},
        )
    return one


def test_a_sends_figures_count_each_outcome_and_each_unsubscribe_once():
    a, b, c, d, e = (person(f"{n}@example.org") for n in "abcde")
    for one in (a, b, c, d):
        subscription(one, confirmed=T0 - timedelta(days=30))
    first = send(
        T0,
        [a, b, c, d, e],
        **{
            "a@example.org": {"delivered_at": T0 + timedelta(minutes=1)},
            "b@example.org": {"bounced_at": T0 + timedelta(minutes=1)},
            "c@example.org": {
                "delivered_at": T0,
                "complained_at": T0 + timedelta(hours=1),
                "unsubscribed_at": T0 + timedelta(hours=1),
            },
            "d@example.org": {"status": RecordStatus.FAILED},
            "e@example.org": {"status": RecordStatus.SKIPPED},
        },
    )
    second = send(T0 + timedelta(days=7), [a, b, c])
    # a leaves between the two mails: the first send's. b leaves after the second: the second's.
    Subscription.objects.filter(subscriber=a).update(
        status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=T0 + timedelta(days=2)
    )
    Subscription.objects.filter(subscriber=b).update(
        status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=T0 + timedelta(days=8)
    )
    LinkClick.objects.create(send=first, url="https://news.example.org/a/", count=7)
    LinkClick.objects.create(send=first, url="https://news.example.org/b/", count=3)

    figures = sends_figures(send_ids=[first.pk, second.pk])

    one = figures[first.pk]
    assert (one.recipients, one.sent, one.failed, one.skipped, one.pending) == (5, 3, 1, 1, 0)
    assert (one.delivered, one.bounced, one.complaints) == (2, 1, 1)
    assert one.unsubscribes == 2  # a (left before the next mail) and c (the provider said so)
    assert one.clicks == 10
    assert one.rate(one.delivered) == "66.7 %"
    two = figures[second.pk]
    assert (two.sent, two.unsubscribes, two.clicks) == (3, 1, 0)


def test_a_list_grows_week_by_week_in_the_sites_time_zone():
    with override_settings(TIME_ZONE="Europe/Amsterdam"):
        starts = week_starts(now=NOW, tz=__import__("zoneinfo").ZoneInfo("Europe/Amsterdam"))
        assert len(starts) == 26 and starts[-1] == date(2026, 11, 23) and starts[0].weekday() == 0
        # Before the 26 weeks: 3 confirmed, 1 of whom left before them too.
        early = datetime(2026, 1, 10, tzinfo=UTC)
        for _ in range(3):
            subscription(person(), confirmed=early)
        Subscription.objects.filter(pk=Subscription.objects.first().pk).update(
            status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=early + timedelta(days=1)
        )
        # Sunday 23:30 UTC is Monday 00:30 in Amsterdam: the week of 23 November.
        subscription(person(), confirmed=datetime(2026, 11, 22, 23, 30, tzinfo=UTC))
        subscription(
            person(),
            confirmed=datetime(2026, 11, 17, 9, tzinfo=UTC),
            left=datetime(2026, 11, 24, 9, tzinfo=UTC),
        )
        subscription(person(), confirmed=datetime(2026, 11, 18, 9, tzinfo=UTC))
        # Waiting for confirmation, or another list: not counted.
        subscription(person(), confirmed=None, status=SubscriptionStatus.PENDING)
        subscription(person(), "weekly", confirmed=datetime(2026, 11, 18, 9, tzinfo=UTC))

        growth = list_growth(newsletter=issue_factories.newsletter("daily"), now=NOW)

    assert growth.time_zone == "Europe/Amsterdam"
    assert len(growth.weeks) == 26
    by_week = {week.start: week for week in growth.weeks}
    assert (by_week[date(2026, 11, 16)].subscribed, by_week[date(2026, 11, 16)].unsubscribed) == (
        2,
        0,
    )
    last = by_week[date(2026, 11, 23)]
    assert (last.subscribed, last.unsubscribed, last.net, last.total) == (1, 1, 0, 4)
    assert growth.weeks[0].total == 2  # the two still there from before
    assert (growth.subscribed, growth.unsubscribed) == (3, 1)
    assert all(week.subscribed == week.unsubscribed == 0 for week in growth.weeks[:-2])


# --- the admin's pages ------------------------------------------------------------------------
@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_superuser(
        "chief", "chief@example.org", "a long pass 42"
    )
    client = Client()
    client.force_login(user)
    return client


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), response


def test_the_reports_take_a_fixed_number_of_queries(staff):
    people = [person() for _ in range(3)]
    for one in people:
        subscription(one, confirmed=NOW - timedelta(days=20))
    first = send(NOW - timedelta(days=3), people)
    small_index, _ = _queries(staff, "/admin/newsletters/reports/")
    small_send, _ = _queries(staff, f"/admin/newsletters/reports/sends/{first.pk}/")
    small_list, _ = _queries(staff, f"/admin/newsletters/reports/lists/{first.newsletter.pk}/")

    more = [person() for _ in range(12)]
    for n, one in enumerate(more):
        subscription(
            one,
            confirmed=NOW - timedelta(weeks=n + 1),
            left=NOW - timedelta(days=n) if n % 3 == 0 else None,
        )
    subscription(person(), "weekly")
    for n in range(4):
        send(NOW - timedelta(days=10 + n), more, slug="weekly" if n % 2 else "daily")
    big = send(NOW - timedelta(days=1), more + people)
    for n in range(5):
        LinkClick.objects.create(send=big, url=f"https://news.example.org/{n}/", count=n + 1)

    assert _queries(staff, "/admin/newsletters/reports/")[0] == small_index
    assert _queries(staff, f"/admin/newsletters/reports/sends/{big.pk}/")[0] == small_send
    assert (
        _queries(staff, f"/admin/newsletters/reports/lists/{first.newsletter.pk}/")[0] == small_list
    )


def test_the_send_report_shows_its_figures_and_links(staff):
    a, b = person(), person()
    one = send(
        T0,
        [a, b],
        **{a.email: {"delivered_at": T0, "bounced_at": None}, b.email: {"bounced_at": T0}},
    )
    LinkClick.objects.create(send=one, url="https://news.example.org/river/", count=4)
    html = staff.get(f"/admin/newsletters/reports/sends/{one.pk}/").content.decode()
    table = html.split('data-table="send-figures"')[1].split("</table>")[0]
    cells = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table))
    assert cells["Handed over"] == "2"
    assert cells["Delivered"] == "1"
    assert cells["Bounced"] == "1"
    assert cells["Link clicks"] == "4"
    assert "https://news.example.org/river/" in html
    index = staff.get("/admin/newsletters/reports/").content.decode()
    assert f'data-send="{one.pk}"' in index
    assert staff.get("/admin/newsletters/reports/sends/999999/").status_code == 404


def test_the_list_report_draws_the_weeks_and_tables_the_same_figures(staff):
    daily = issue_factories.newsletter("daily")
    subscription(person(), confirmed=datetime(2026, 11, 18, 9, tzinfo=UTC))
    subscription(
        person(),
        confirmed=datetime(2026, 11, 17, 9, tzinfo=UTC),
        left=datetime(2026, 11, 24, 9, tzinfo=UTC),
    )
    growth = list_growth(newsletter=daily)
    html = staff.get(f"/admin/newsletters/reports/lists/{daily.pk}/").content.decode()
    assert '<svg class="activity-chart" id="chart-growth"' in html
    assert 'role="img"' in html and '<title id="chart-growth-title">' in html
    table = html.split('data-table="growth"')[1].split("</table>")[0]
    rows = re.findall(
        r'<tr data-week="([\d-]+)"><th scope="row">[^<]+</th>'
        r"<td>(\d+)</td><td>(\d+)</td><td>(-?\d+)</td><td>(\d+)</td></tr>",
        table,
    )
    assert len(rows) == 26
    assert [(int(s), int(u), int(t)) for _, s, u, _, t in rows] == [
        (week.subscribed, week.unsubscribed, week.total) for week in growth.weeks
    ]
    assert f"/admin/newsletters/export/{daily.pk}/?format=mailchimp&amp;status=unsubscribed" in html


def test_the_reports_are_for_staff_with_the_subscribers_permission(django_user_model):
    daily = issue_factories.newsletter("daily")
    reader = django_user_model.objects.create_user("reader", "reader@example.org", "a long pass 42")
    client = Client()
    client.force_login(reader)
    for url in ("/admin/newsletters/reports/", f"/admin/newsletters/reports/lists/{daily.pk}/"):
        assert client.get(url).status_code in {302, 403}
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_the_demo_history_fills_the_reports_once(staff):
    import io

    from newsdesk.demo import newsletter_history
    from tests.support import factories

    factories.home_page()
    newsletter_history.load(stdout=io.StringIO())
    counts = (Subscription.objects.count(), SendRecord.objects.count(), Send.objects.count())
    newsletter_history.load(stdout=io.StringIO())
    assert (
        Subscription.objects.count(),
        SendRecord.objects.count(),
        Send.objects.count(),
    ) == counts
    assert counts[0] == sum(readers for _, readers, _ in newsletter_history.LISTS.values())
    daily = issue_factories.newsletter("daily")
    growth = list_growth(newsletter=daily)
    assert growth.subscribed > 100 and growth.unsubscribed > 5
    (send,) = Send.objects.all()
    figures = sends_figures(send_ids=[send.pk])[send.pk]
    assert figures.sent == send.recipients_count > 50
    assert figures.delivered + figures.bounced == figures.sent
    assert figures.bounced > 0 and figures.complaints > 0
    assert figures.unsubscribes > 0 and figures.clicks == sum(newsletter_history.LINKS.values())
    assert f'data-send="{send.pk}"' in staff.get("/admin/newsletters/reports/").content.decode()
