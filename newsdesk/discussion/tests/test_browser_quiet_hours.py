"""Quiet hours and slow mode in Debian's chromium against the served demo, at 1280 and 390 px.

A moderator sets quiet hours in Wagtail's admin (a schedule spanning the present moment, in
the site's time zone); a reader, in a browser of their own, finds the article's form replaced
by the notice naming when comments reopen, and a post sent anyway is refused; the moderator
moves the schedule away from now and the reader's page has its form again. Then the moderator
turns slow mode on from the article's page, and the reader's second comment in a row is
refused with the seconds left, nothing written.
"""

import json
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.support.servers import RunningSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "a late shift 2031"
HUMAN_PAUSE_MS = 3500  # the gate holds forms sent faster than a person types


@pytest.fixture(scope="module")
def site():
    # Its own site: the reader posts from 127.0.0.1, whose per-address limits the shared
    # site's other tests may have used up; and its own clock's zone, named here.
    served = RunningSite(
        extra_env={
            "MODERATION_POSTING_RATE_LIMIT": "100",
            "DISCUSSION_POSTS_PER_IP": "100",
            "TIME_ZONE": "UTC",
        }
    ).start()
    yield served
    served.stop()


@pytest.fixture(autouse=True)
def _no_schedule_left(site):
    """A test that stops half-way leaves no quiet hours to close the next test's pages."""
    yield
    site.shell(
        "from newsdesk.discussion.models import QuietHours; "
        "from newsdesk.pagecache import SITE_TAG, pages_invalidate; "
        "[schedule.delete() for schedule in QuietHours.objects.all()]; "
        "pages_invalidate(tags=[SITE_TAG], settle=True)"
    )


def _setup(site, username: str, index: int) -> dict:
    """A moderator (Wagtail's Moderators group) who signs in, and an article of the demo
    without slow mode (each run its own, ``index``)."""
    out = site.shell(
        "import json; from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Group; "
        "from newsdesk.articles.models import ArticlePage; "
        "from newsdesk.demo.quiet_hours import SLOW_STORY_SLUG; "
        f"m = get_user_model().objects.create_user('{username}', '{username}@example.org', "
        f"'{PASSWORD}', first_name='Night desk'); "
        "m.groups.add(Group.objects.get(name='Moderators')); "
        "a = ArticlePage.objects.live().exclude(slug=SLOW_STORY_SLUG).order_by('-pk')"
        f"[{index}]; "
        "print(json.dumps({'url': a.url, 'id': a.pk}))"
    )
    return json.loads(out.strip().splitlines()[-1])


def _context(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def _admin_sign_in(page, site, username: str) -> None:
    page.goto(site.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.url + "/admin/")


def _save(page, name: str) -> None:
    """Save the schedule being edited; the admin's list of schedules, naming it, follows (a
    form sent back with an error would also name it, in its title: it fails here)."""
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_url(re.compile(r"/admin/snippets/discussion/quiethours/(\?.*)?$"))
    expect(page.get_by_role("link", name=name).first).to_be_visible()


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _times_set(page, start: datetime, end: datetime) -> None:
    page.get_by_role("textbox", name="Starts at").fill(_clock(start))
    page.get_by_role("textbox", name="Ends at").fill(_clock(end))


@pytest.mark.parametrize("width", [1280, 390])
def test_a_moderator_sets_quiet_hours_and_a_reader_finds_comments_closed_then_open(
    site, browser, width
):
    world = _setup(site, f"night_{width}", 0 if width == 1280 else 1)
    staff, staff_page, staff_errors = _context(browser, width)
    reader, reader_page, reader_errors = _context(browser, width)

    reader_page.goto(site.url + world["url"])
    expect(reader_page.locator('#discussion form[data-js="comment-form"]')).to_be_visible()

    # The moderator adds a schedule from the admin's menu: every day, an hour either side
    # of now (the site's time zone is UTC here).
    _admin_sign_in(staff_page, site, f"night_{width}")
    staff_page.goto(site.url + "/admin/snippets/discussion/quiethours/")
    staff_page.get_by_role("link", name="Add quiet hours").first.click()
    now = datetime.now(UTC)
    start, end = now - timedelta(hours=1), now + timedelta(hours=1)
    staff_page.get_by_role("textbox", name="Name").fill(f"Tonight at {width}")
    expect(staff_page.get_by_role("checkbox", name="Monday")).to_be_checked()
    expect(staff_page.get_by_role("checkbox", name="Enabled")).to_be_checked()
    _times_set(staff_page, start, end)
    _save(staff_page, f"Tonight at {width}")

    # The reader's page now has the notice instead of the form.
    reader_page.reload()
    notice = reader_page.locator('#discussion [data-role="quiet"]')
    expect(notice).to_have_text(f"Comments are closed for the night; they reopen at {_clock(end)}.")
    expect(reader_page.locator('#discussion form[data-js="comment-form"]')).to_have_count(0)
    expect(reader_page.locator('#discussion [data-js="reply"]')).to_have_count(0)
    # A post sent anyway (a page opened before, a program) is refused, naming the reopening.
    refused = reader_page.evaluate(
        """async (id) => {
            const token = await (await fetch('/csrf/')).json();
            const answer = await fetch('/api/threads/' + id + '/comments', {
                method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': token.token},
                body: JSON.stringify({body: 'Is anyone awake?', name: 'Owl'})});
            return {status: answer.status, body: await answer.json()};
        }""",
        world["id"],
    )
    assert refused["status"] == 403, refused
    assert refused["body"]["detail"].endswith(f"they reopen at {_clock(end)}.")

    # The moderator moves the quiet hours away from now: the reader's form is back.
    staff_page.get_by_role("link", name=f"Tonight at {width}").first.click()
    _times_set(staff_page, now + timedelta(hours=2), now + timedelta(hours=3))
    _save(staff_page, f"Tonight at {width}")
    # Saving outdates the shared page until every web process has read the schedules again
    # (PROCESS_CACHE_CHECK_SECONDS): a reader may get the closed page for that long.
    deadline = time.monotonic() + 30
    while True:
        reader_page.reload()
        if not reader_page.locator('#discussion [data-role="quiet"]').count():
            break
        assert time.monotonic() < deadline, "the reader's page stayed closed"
        reader_page.wait_for_timeout(2000)
    expect(reader_page.locator('#discussion form[data-js="comment-form"]')).to_be_visible()

    assert staff_errors == [] and reader_errors == []
    staff.close()
    reader.close()


def _sign_in(page, site, username: str) -> None:
    page.goto(site.url + "/accounts/login/")
    page.locator("#id_login").fill(f"{username}@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_moderator_turns_slow_mode_on_and_a_readers_second_comment_waits(site, browser, width):
    world = _setup(site, f"slow_{width}", 2 if width == 1280 else 3)
    site.shell(
        "from allauth.account.models import EmailAddress; "
        "from django.contrib.auth import get_user_model; "
        f"m = get_user_model().objects.get(username='slow_{width}'); "
        f"EmailAddress.objects.create(user=m, email='slow_{width}@example.org', "
        "verified=True, primary=True)"
    )
    staff, staff_page, staff_errors = _context(browser, width)
    reader, reader_page, reader_errors = _context(browser, width)

    _sign_in(staff_page, site, f"slow_{width}")
    staff_page.goto(site.url + world["url"])
    control = staff_page.locator('[data-role="slow-mode-control"]')
    expect(control).to_be_visible()
    control.get_by_label("Slow mode (staff):").select_option("30")
    control.get_by_role("button", name="Set slow mode").click()
    expect(control.locator('[data-role="slow-mode-status"]')).to_have_text("Slow mode is on.")

    reader_page.goto(site.url + world["url"])
    form = reader_page.locator('#discussion form[data-js="comment-form"]')
    expect(form.locator('[data-role="slow-mode"]')).to_have_text(
        "Slow mode: one comment every 30 seconds."
    )
    expect(reader_page.locator('[data-role="slow-mode-control"]')).to_have_count(0)
    form.get_by_label("Name").fill(f"Quick reader {width}")
    form.locator("textarea").fill(f"At {width} pixels: the rail link raised my rent too.")
    reader_page.wait_for_timeout(HUMAN_PAUSE_MS)
    form.get_by_role("button", name="Post comment").click()
    mine = reader_page.locator("#discussion .comment__body", has_text="raised my rent too")
    expect(mine).to_be_visible()
    form.locator("textarea").fill(f"At {width} pixels: and my neighbour's, twice over.")
    form.get_by_role("button", name="Post comment").click()
    error = form.locator('[data-role="error"]')
    expect(error).to_contain_text("Slow mode is on in this discussion")
    expect(error).to_contain_text("you can post again in")
    expect(reader_page.locator("#discussion .comment__body", has_text="twice over")).to_have_count(
        0
    )

    assert staff_errors == [] and reader_errors == []
    staff.close()
    reader.close()
