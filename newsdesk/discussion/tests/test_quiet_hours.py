"""Quiet hours: schedules close a discussion to new comments and replies (everyone's, staff
included) and reopen it; what readers are told; the API's refusal; what stays allowed; and
the worker's duty that outdates the shared pages at each opening and closing."""

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from newsdesk.discussion.models import Comment, QuietHours
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors_schedule import quiet_spell_get
from newsdesk.discussion.services.comments import comment_create
from newsdesk.discussion.services.quiet_hours import (
    CommentsQuiet,
    quiet_hours_transitions_announce,
)
from newsdesk.discussion.services.votes import comment_vote
from newsdesk.discussion.tests.helpers import guest, member, post
from newsdesk.discussion.tests.test_picks import moderator
from tests.support.factories import make_article, make_section

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def _nights(**fields) -> QuietHours:
    """22:00 to 07:00, starting Mondays only unless told."""
    days = {name: False for name in ("tuesday", "wednesday", "thursday", "friday")}
    days |= {"saturday": False, "sunday": False}
    values = {"name": "Nights", "starts_at": time(22), "ends_at": time(7), **days, **fields}
    return QuietHours.objects.create(**values)


def _around_now(**fields) -> QuietHours:
    """A schedule whose quiet period spans the real now, every day (site time zone)."""
    local = timezone.localtime()
    start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (local + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    return QuietHours.objects.create(name="Now", starts_at=start, ends_at=end, **fields)


@override_settings(TIME_ZONE="Europe/Berlin")
def test_a_span_over_midnight_closes_from_its_start_day_to_the_next_morning(article):
    _nights()
    monday = _at(2026, 12, 7, 23)  # a Monday
    assert monday.weekday() == 0
    spell = quiet_spell_get(article=article, now=monday)
    assert spell is not None
    assert spell.reopens_at == _at(2026, 12, 8, 7).astimezone(UTC)
    assert spell.notice == "Comments are closed for the night; they reopen at 07:00."
    assert quiet_spell_get(article=article, now=_at(2026, 12, 8, 6, 59)) is not None
    # Open before it starts, from the reopening on, and on a night it does not start.
    assert quiet_spell_get(article=article, now=_at(2026, 12, 7, 21, 59)) is None
    assert quiet_spell_get(article=article, now=_at(2026, 12, 8, 7)) is None
    assert quiet_spell_get(article=article, now=_at(2026, 12, 8, 23)) is None


@override_settings(TIME_ZONE="Europe/Berlin")
def test_times_are_the_sites_wall_clock_across_a_change_of_daylight_saving(article):
    # Sunday 29 March 2026: Berlin's clocks go from 02:00 to 03:00.
    _nights(monday=False, saturday=True)
    spell = quiet_spell_get(article=article, now=_at(2026, 3, 28, 23))
    assert spell is not None
    assert spell.reopens_at == _at(2026, 3, 29, 7).astimezone(UTC)
    assert spell.reopens_at.hour == 5  # 07:00 summer time is 05:00 UTC


@override_settings(TIME_ZONE="Europe/Berlin")
def test_the_message_the_newsroom_wrote_is_shown_with_the_reopening_time(article):
    _nights(message="The desk is asleep.")
    spell = quiet_spell_get(article=article, now=_at(2026, 12, 7, 22, 30))
    assert spell.notice == "The desk is asleep. Comments reopen at 07:00."


@override_settings(TIME_ZONE="Europe/Berlin")
def test_periods_that_follow_one_another_reopen_at_the_end_of_the_last(article):
    _nights(ends_at=time(2))
    QuietHours.objects.create(name="Early", starts_at=time(2), ends_at=time(6, 30))
    spell = quiet_spell_get(article=article, now=_at(2026, 12, 7, 23))
    assert spell.reopens_at == _at(2026, 12, 8, 6, 30).astimezone(UTC)


@override_settings(TIME_ZONE="Europe/Berlin")
def test_a_reopening_a_day_or_more_away_names_its_day(article):
    # The whole weekend: from Friday 18:00 to Monday 08:00 through three periods.
    days = {name: False for name in ("monday", "tuesday", "wednesday", "thursday")}
    QuietHours.objects.create(name="Weekend", starts_at=time(18), ends_at=time(0), **days)
    QuietHours.objects.create(
        name="Weekend mornings", starts_at=time(0), ends_at=time(8), **days | {"friday": False}
    )
    QuietHours.objects.create(
        name="Weekend days",
        starts_at=time(8),
        ends_at=time(18),
        **days | {"friday": False},
    )
    QuietHours.objects.filter(name="Weekend mornings").update(monday=True)
    spell = quiet_spell_get(article=article, now=_at(2026, 12, 11, 19))  # a Friday
    assert spell is not None
    assert spell.reopens_at == _at(2026, 12, 14, 8).astimezone(UTC)
    assert spell.notice.endswith("they reopen on Monday at 08:00.")


@override_settings(TIME_ZONE="Europe/Berlin")
def test_a_section_schedule_closes_that_sections_articles_only(article):
    other_section = make_section(title="Sport")
    other = make_article(section=other_section, title="A match report")
    _nights(section=other_section)
    monday_night = _at(2026, 12, 7, 23)
    assert quiet_spell_get(article=other, now=monday_night) is not None
    assert quiet_spell_get(article=article, now=monday_night) is None


@override_settings(TIME_ZONE="Europe/Berlin")
def test_a_disabled_schedule_closes_nothing(article):
    _nights(enabled=False)
    assert quiet_spell_get(article=article, now=_at(2026, 12, 7, 23)) is None


def test_during_quiet_hours_nobody_posts_staff_included_and_nothing_is_written(article):
    top = post(article, guest(), "Posted before the night.")
    _around_now()
    editor = Reader(user=moderator("night-editor"), ip_address="10.99.0.1")
    for reader, parent in ((guest(), None), (member("owl"), top), (editor, None)):
        with pytest.raises(CommentsQuiet) as refused:
            post(article, reader, "Still awake?", parent=parent)
        assert refused.value.status_code == 403
        assert "they reopen at" in refused.value.message
    assert list(Comment.objects.values_list("body_source", flat=True)) == [
        "Posted before the night."
    ]


def test_votes_and_the_authors_edits_go_on_during_quiet_hours(article):
    from newsdesk.discussion.services.edits import comment_edit

    author = guest()
    comment = post(article, author, "A comment from the evening.")
    _around_now()
    voted = comment_vote(comment_id=comment.pk, reader=guest(), value=1)
    assert voted.upvotes == 1
    edited = comment_edit(comment_id=comment.pk, reader=author, body="Fixed a typo.")
    assert edited.body_source == "Fixed a typo."


def test_the_api_refuses_with_403_naming_when_comments_reopen(article):
    schedule = _around_now()
    client = Client()
    answer = client.post(
        f"/api/threads/{article.pk}/comments",
        data=json.dumps({"body": "Anyone there?", "name": "Nightowl"}),
        content_type="application/json",
    )
    assert answer.status_code == 403
    reopening = schedule.ends_at.strftime("%H:%M")
    assert answer.json() == {
        "detail": f"Comments are closed for the night; they reopen at {reopening}."
    }
    assert not Comment.objects.exists()
    thread = client.get(f"/api/threads/{article.pk}").json()
    assert thread["is_open"] is False
    assert thread["quiet_notice"].endswith(f"they reopen at {reopening}.")
    assert thread["reopens_at"]


def test_the_page_shows_the_notice_instead_of_the_form_and_no_reply_links(client, article):
    post(article, guest(), "An evening comment.")
    _around_now(message="The newsroom is closed.")
    html = client.get(article.url).content.decode()
    assert 'data-role="quiet"' in html and "The newsroom is closed. Comments reopen at" in html
    assert 'data-js="comment-form"' not in html
    assert 'data-js="reply"' not in html


def test_the_no_script_form_is_refused_with_the_notice(article):
    _around_now()
    client = Client(enforce_csrf_checks=False)
    answer = client.post(
        f"/discussion/articles/{article.pk}/comments/",
        {"body": "Posted without script.", "name": "Plain"},
    )
    assert answer.status_code == 403
    assert "Comments are closed for the night" in answer.content.decode()
    assert not Comment.objects.exists()


def test_the_site_is_open_again_outside_the_schedule(client, article):
    schedule = _around_now()
    assert quiet_spell_get(article=article) is not None
    local = timezone.localtime()
    schedule.starts_at = (local + timedelta(hours=2)).time()
    schedule.ends_at = (local + timedelta(hours=3)).time()
    schedule.save()  # a save makes every process read the schedules again
    assert quiet_spell_get(article=article) is None
    assert post(article, guest(), "Morning!").pk


def test_the_worker_outdates_the_shared_page_when_quiet_hours_begin(client, article, settings):
    settings.PAGECACHE_CLOCK_MARGIN = 0  # one process renders and changes
    local = timezone.localtime()
    schedule = QuietHours.objects.create(
        name="Later",
        starts_at=(local + timedelta(hours=2)).time(),
        ends_at=(local + timedelta(hours=3)).time(),
    )
    quiet_hours_transitions_announce()  # remembers: nothing quiet now
    first = client.get(article.url)
    assert 'data-js="comment-form"' in first.content.decode()
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    # The period now covers this moment (as the clock reaching 22:00 would do).
    schedule.starts_at = (local - timedelta(hours=1)).time()
    schedule.save()
    stale = client.get(article.url)
    assert stale["X-Page-Cache"] == "hit"  # the shared copy does not know by itself
    assert quiet_hours_transitions_announce() >= 1
    fresh = client.get(article.url)
    assert fresh["X-Page-Cache"] != "hit"
    assert 'data-role="quiet"' in fresh.content.decode()
    # And when it ends, the form is back.
    schedule.enabled = False
    schedule.save()
    assert quiet_hours_transitions_announce() >= 1
    assert 'data-js="comment-form"' in client.get(article.url).content.decode()


def test_nothing_is_announced_while_no_period_begins_or_ends(article):
    _around_now()
    quiet_hours_transitions_announce()
    assert quiet_hours_transitions_announce() == 0


def test_a_schedule_must_differ_in_start_and_end_and_name_a_day():
    from django.core.exceptions import ValidationError

    no_days = {name: False for name in QuietHours().__dict__ if name.endswith("day")}
    schedule = QuietHours(name="Broken", starts_at=time(7), ends_at=time(7), **no_days)
    with pytest.raises(ValidationError) as invalid:
        schedule.full_clean()
    assert {"ends_at", "monday"} <= set(invalid.value.message_dict)


def test_asking_costs_no_query_once_the_schedules_are_read(article, django_assert_num_queries):
    _around_now()
    quiet_spell_get(article=article)
    with django_assert_num_queries(0):
        assert quiet_spell_get(article=article) is not None


def test_a_post_refused_for_quiet_hours_costs_a_query_at_most(
    article, django_assert_max_num_queries
):
    _around_now()
    client = Client()
    client.get(f"/api/threads/{article.pk}")  # warms this process's copies
    # At most posting's read of the thread (kept per process, ``selectors_posting``); the
    # schedules cost none.
    with django_assert_max_num_queries(1):
        answer = client.post(
            f"/api/threads/{article.pk}/comments",
            data=json.dumps({"body": "Anyone?", "name": "Owl"}),
            content_type="application/json",
        )
    assert answer.status_code == 403


def test_the_comment_create_gate_is_for_readers_not_the_sites_own_content(article):
    from newsdesk.discussion.services import CommentDraft

    _around_now()
    comment = comment_create(
        article=article,
        reader=guest(),
        draft=CommentDraft(body="Loaded by the demo.", guest_name="Demo"),
        source="demo",
        source_id="quiet-1",
    )
    assert comment.pk


def test_the_demo_has_a_disabled_sample_schedule_and_a_slow_mode_story(client):
    import io

    from newsdesk.demo import quiet_hours as demo
    from newsdesk.discussion.models import Thread

    story = make_article(title="Rents rise fastest", slug=demo.SLOW_STORY_SLUG)
    for _ in range(2):  # loading again adds nothing
        demo.load(stdout=io.StringIO())
    sample = QuietHours.objects.get()
    assert sample.name == demo.SAMPLE_NAME and not sample.enabled
    assert Thread.objects.get(article=story).slow_mode_seconds == 30
    html = client.get(story.url).content.decode()
    assert 'data-js="comment-form"' in html  # the demo stays open at any hour
    assert "Slow mode: one comment every 30 seconds." in html


def test_a_moderator_sets_quiet_hours_in_wagtails_admin_and_the_pages_follow_at_once(
    client, article, settings
):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    settings.PAGECACHE_CLOCK_MARGIN = 0  # one process renders and changes
    desk = get_user_model().objects.create_user("night-desk", "nd@example.org", "a long pass 42")
    desk.groups.add(Group.objects.get(name="Moderators"))
    reader = Client()
    assert 'data-js="comment-form"' in reader.get(article.url).content.decode()
    client.force_login(desk)
    add = "/admin/snippets/discussion/quiethours/add/"
    assert client.get(add).status_code == 200
    local = timezone.localtime()
    days = {day: "on" for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
    form = {
        "name": "Tonight",
        "section": "",
        **days,
        "saturday": "on",
        "sunday": "on",
        "starts_at": (local - timedelta(hours=1)).strftime("%H:%M"),
        "ends_at": (local + timedelta(hours=1)).strftime("%H:%M"),
        "message": "",
        "enabled": "on",
    }
    saved = client.post(add, form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert QuietHours.objects.get().name == "Tonight"
    html = reader.get(article.url).content.decode()
    assert "Comments are closed for the night; they reopen at" in html
    # A reader without an editor's permission gets no form of quiet hours.
    plain = Client()
    plain.force_login(get_user_model().objects.create_user("plain", "p@example.org", "x"))
    assert plain.get(add).status_code in (302, 403)


def test_a_page_rendered_from_another_processs_old_schedules_is_not_kept(client, article, settings):
    """A moderator saves quiet hours in one web process; another, whose copy of the
    schedules is younger than ``PROCESS_CACHE_CHECK_SECONDS``, renders the article with the
    form before it reads them again. That rendering must not become the shared page: it
    would show the form (or, the other way round, the notice) until the next change."""
    from django.core.cache import cache

    from newsdesk.core.processcache import GENERATION_KEY
    from newsdesk.discussion.selectors_schedule import QUIET_HOURS_GENERATION
    from newsdesk.pagecache.wagtail_hooks import snippet_changed

    settings.PAGECACHE_CLOCK_MARGIN = 0  # one machine's clock
    settings.PROCESS_CACHE_CHECK_SECONDS = 60  # this process keeps its copy meanwhile
    reader = Client()
    assert 'data-js="comment-form"' in reader.get(article.url).content.decode()
    assert quiet_spell_get(article=article) is None  # this process's copy: no schedule
    # The other process's save: the row, the shared token, the admin's hook. This process
    # hears no signal (``bulk_create`` sends none) and keeps its copy.
    local = timezone.localtime()
    QuietHours.objects.bulk_create(
        [
            QuietHours(
                name="Tonight",
                starts_at=(local - timedelta(hours=1)).time(),
                ends_at=(local + timedelta(hours=1)).time(),
            )
        ]
    )
    cache.set(GENERATION_KEY.format(QUIET_HOURS_GENERATION), "the other process's token")
    snippet_changed(None, QuietHours.objects.get())
    lagging = reader.get(article.url)
    assert 'data-js="comment-form"' in lagging.content.decode()  # the old copy, as designed
    # The next reader is not served that rendering from the cache.
    assert reader.get(article.url)["X-Page-Cache"] != "hit"
    # Once this process has read the schedules again, the page has the notice and is kept.
    settings.PROCESS_CACHE_CHECK_SECONDS = 0
    assert 'data-role="quiet"' in reader.get(article.url).content.decode()


def test_quiet_hours_and_slow_mode_add_no_query_to_an_article_page(
    client, article, settings, django_assert_max_num_queries
):
    from newsdesk.discussion.services.slow_mode import thread_slow_mode_set

    settings.PAGECACHE_ENABLED = False  # the cost of a miss (a hit costs none)
    post(article, guest(), "A comment, so the thread exists.")
    client.get(article.url)
    with django_assert_max_num_queries(1000) as plain:
        client.get(article.url)
    # Counted now: the next request empties the connection's log of queries.
    plain_count = len(plain)
    assert plain_count > 0
    _around_now()
    thread_slow_mode_set(thread=article.discussion_thread, seconds=30, actor=None)
    client.get(article.url)  # this process reads the schedules once
    with django_assert_max_num_queries(plain_count):
        html = client.get(article.url).content.decode()
    assert 'data-role="quiet"' in html
