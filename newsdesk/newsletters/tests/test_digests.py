"""The automatic digest (``digests.py``): its periods in the site's time zone, once per
period whoever runs it, its articles, draft or sent."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction

from newsdesk.articles.models import ArticlePage
from newsdesk.newsletters.digests import digest_assemble, digests_assemble, period_start
from newsdesk.newsletters.models import Cadence, DigestMode
from newsdesk.newsletters.models_issues import NewsletterIssuePage
from newsdesk.newsletters.models_sending import Send, SendStatus
from newsdesk.newsletters.tests import issue_factories
from tests.support import factories

pytestmark = pytest.mark.django_db


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _paris(settings):
    settings.TIME_ZONE = "Europe/Paris"


def _daily(**fields):
    fields = {"cadence": Cadence.DAILY, "send_hour": 7, "digest_mode": DigestMode.DRAFT, **fields}
    return issue_factories.newsletter("daily", **fields)


def _weekly(**fields):
    fields = {
        "cadence": Cadence.WEEKLY,
        "send_hour": 8,
        "send_weekday": 0,
        "digest_mode": DigestMode.DRAFT,
        **fields,
    }
    return issue_factories.newsletter("weekly", **fields)


def _published(section, title: str, at: datetime) -> ArticlePage:
    article = factories.make_article(section=section, title=title)
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=at)
    return article


def _picked_titles(issue: NewsletterIssuePage) -> list[str]:
    ids = [
        item["value"]
        for block in issue.body.raw_data
        if block["type"] == "articles"
        for item in block["value"]["articles"]
    ]
    titles = dict(ArticlePage.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [titles[pk] for pk in ids]


# --- periods ----------------------------------------------------------------------------------
def test_a_daily_period_begins_at_its_local_hour_winter_and_summer(db):
    daily = _daily()
    # Winter, Paris is UTC+1: 07:00 there is 06:00 UTC.
    assert period_start(newsletter=daily, now=utc(2026, 3, 10, 5, 59)) == utc(2026, 3, 9, 6)
    assert period_start(newsletter=daily, now=utc(2026, 3, 10, 6, 0)) == utc(2026, 3, 10, 6)
    # Summer, UTC+2: 05:00 UTC.
    assert period_start(newsletter=daily, now=utc(2026, 7, 10, 4, 59)) == utc(2026, 7, 9, 5)
    assert period_start(newsletter=daily, now=utc(2026, 7, 10, 5, 0)) == utc(2026, 7, 10, 5)
    # Just after local midnight it is still yesterday's period in UTC's evening.
    assert period_start(newsletter=daily, now=utc(2026, 3, 9, 23, 30)) == utc(2026, 3, 9, 6)


def test_a_weekly_period_begins_on_its_weekday(db):
    weekly = _weekly()  # Mondays at 08:00 Paris; 9 March 2026 is a Monday
    assert period_start(newsletter=weekly, now=utc(2026, 3, 9, 7, 0)) == utc(2026, 3, 9, 7)
    assert period_start(newsletter=weekly, now=utc(2026, 3, 9, 6, 59)) == utc(2026, 3, 2, 7)
    assert period_start(newsletter=weekly, now=utc(2026, 3, 15, 22, 0)) == utc(2026, 3, 9, 7)
    # Sunday 23:30 UTC is Monday 00:30 in Paris: still before the hour, last week's period.
    assert period_start(newsletter=weekly, now=utc(2026, 3, 15, 23, 30)) == utc(2026, 3, 9, 7)


def test_lists_without_a_digest_have_no_period(db):
    assert period_start(newsletter=_daily(send_hour=None), now=utc(2026, 3, 10, 12)) is None
    manual = issue_factories.newsletter("breaking", cadence=Cadence.MANUAL, send_hour=7)
    assert period_start(newsletter=manual, now=utc(2026, 3, 10, 12)) is None
    dayless = issue_factories.newsletter(
        "weekly-dayless", cadence=Cadence.WEEKLY, send_hour=8, send_weekday=None
    )
    assert period_start(newsletter=dayless, now=utc(2026, 3, 10, 12)) is None


# --- assembling -------------------------------------------------------------------------------
def test_a_draft_digest_picks_the_periods_articles_once(section):
    daily = _daily()
    issue_factories.archive_page()
    _published(section, "Too old", utc(2026, 3, 8, 12))
    _published(section, "Yesterday evening", utc(2026, 3, 9, 18))
    _published(section, "This morning", utc(2026, 3, 10, 5, 30))
    _published(section, "After the hour", utc(2026, 3, 10, 6, 30))

    outcome = digest_assemble(newsletter=daily, now=utc(2026, 3, 10, 6, 1))
    assert outcome.reason == "made"
    issue = NewsletterIssuePage.objects.get(pk=outcome.issue_id)
    assert issue.is_digest and not issue.live and issue.digest_key == "2026-03-10T06:00Z"
    assert _picked_titles(issue) == ["This morning", "Yesterday evening"]
    assert "Tuesday 10 March 2026" in issue.title
    assert not Send.objects.exists()

    # The next minute, a second worker, a restart: nothing more.
    assert digest_assemble(newsletter=daily, now=utc(2026, 3, 10, 6, 2)).reason == "exists"
    assert digests_assemble(now=utc(2026, 3, 10, 9)) == [type(outcome)("daily", issue.pk, "exists")]
    assert NewsletterIssuePage.objects.filter(is_digest=True).count() == 1

    # The next day's digest reaches back to this one's period start, not further.
    nxt = digest_assemble(newsletter=daily, now=utc(2026, 3, 11, 6, 0))
    assert _picked_titles(NewsletterIssuePage.objects.get(pk=nxt.issue_id)) == ["After the hour"]


def test_the_database_refuses_a_second_digest_of_one_period(section):
    daily = _daily()
    _published(section, "News", utc(2026, 3, 10, 5))
    issue_factories.archive_page()
    made = digest_assemble(newsletter=daily, now=utc(2026, 3, 10, 6))
    assert made.reason == "made"
    # Wagtail's validation says so before a write; the database says so to a racing writer.
    twin = issue_factories.issue(title="Twin", list_slug="daily", publish=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsletterIssuePage.objects.filter(pk=twin.pk).update(digest_key="2026-03-10T06:00Z")


def test_no_new_article_makes_no_issue(section):
    daily = _daily()
    issue_factories.archive_page()
    _published(section, "Long ago", utc(2026, 1, 2, 12))
    assert digest_assemble(newsletter=daily, now=utc(2026, 3, 10, 6)).reason == "no articles"
    assert not NewsletterIssuePage.objects.exists()


def test_a_sections_digest_takes_only_its_sections_articles(section):
    other = factories.make_section("Sport")
    daily = _daily(section=section)
    issue_factories.archive_page()
    _published(section, "World news", utc(2026, 3, 10, 5))
    _published(other, "A match", utc(2026, 3, 10, 5))
    outcome = digest_assemble(newsletter=daily, now=utc(2026, 3, 10, 6))
    assert _picked_titles(NewsletterIssuePage.objects.get(pk=outcome.issue_id)) == ["World news"]


def test_a_send_digest_is_published_and_scheduled_to_everyone(section):
    weekly = _weekly(digest_mode=DigestMode.SEND)
    issue_factories.archive_page()
    _published(section, "The week's story", utc(2026, 3, 5, 12))
    outcome = digest_assemble(newsletter=weekly, now=utc(2026, 3, 9, 7, 0))
    issue = NewsletterIssuePage.objects.get(pk=outcome.issue_id)
    assert issue.live
    send = Send.objects.get(issue=issue)
    assert send.segment == "all" and send.status in (
        SendStatus.SCHEDULED,
        SendStatus.SENDING,
        SendStatus.SENT,
    )
    assert digest_assemble(newsletter=weekly, now=utc(2026, 3, 9, 7, 5)).reason == "exists"
    assert Send.objects.count() == 1


def test_a_list_with_the_digest_off_makes_nothing(section):
    _daily(digest_mode=DigestMode.OFF)
    issue_factories.archive_page()
    _published(section, "News", utc(2026, 3, 10, 5))
    assert digests_assemble(now=utc(2026, 3, 10, 6)) == []
    assert not NewsletterIssuePage.objects.exists()
