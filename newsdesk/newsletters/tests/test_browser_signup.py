"""A reader signs up from an article's box, receives the one confirmation e-mail through the
site's real SMTP server (sent by the worker), confirms it with the button, receives the next
issue of the daily the newsroom sends, leaves that list with a mail client's one-click POST
to the issue's own ``List-Unsubscribe`` address, and the other list from the preferences
page: in Debian's chromium against the served demo, at 1280 and 390 px. (The editor's half,
writing, previewing, testing and scheduling an issue in the admin, is test_browser_issue.)

Its own site, so that no other test's sign-ups count against this one's client address.
"""

import re
import time
import urllib.parse
import urllib.request
import uuid
from email import message_from_string, policy

import pytest

from tests.support.servers import RunningSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CONFIRM = re.compile(r"https?://[^\s/]+(/newsletter/confirm/\S+/)")


@pytest.fixture(scope="module")
def site():
    served = RunningSite(extra_env={"NEWSLETTER_SIGNUPS_PER_IP": "100"}).start()
    yield served
    served.stop()


def _article_path(site: RunningSite) -> str:
    output = site.shell(
        "from newsdesk.demo.discussion import lead_story_find; print(lead_story_find().url)"
    )
    return output.strip().splitlines()[-1]


def _mails_to(site: RunningSite, address: str) -> list:
    found = []
    for raw in site.sent_mail():
        message = message_from_string(raw, policy=policy.default)
        if address in str(message["To"]):
            found.append(message)
    return found


def _wait_for_mail(
    site: RunningSite, address: str, *, subject: str = "", timeout: float = 90
) -> object:
    """The first e-mail to ``address`` (whose subject is ``subject``, when given)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mails = [m for m in _mails_to(site, address) if subject in str(m["Subject"])]
        if mails:
            return mails[0]
        time.sleep(0.5)
    raise AssertionError(f"no e-mail {subject!r} reached {address} in {timeout} s")


def _issue_send(site: RunningSite, *, list_slug: str) -> str:
    """Send the list's latest published issue to all its subscribers now, as the admin's
    "Schedule" screen does; returns its subject."""
    output = site.shell(
        "from newsdesk.newsletters.models import NewsletterIssuePage; "
        "from newsdesk.newsletters.services.sending import send_schedule; "
        "issue = NewsletterIssuePage.objects.live().filter("
        f"newsletter__slug='{list_slug}').order_by('-first_published_at').first(); "
        "send_schedule(issue=issue, segment='all', at=None, user=None); print(issue.title)"
    )
    return output.strip().splitlines()[-1]


def _statuses(site: RunningSite, address: str) -> dict[str, str]:
    output = site.shell(
        "from newsdesk.newsletters.models import Subscription; "
        f"rows = Subscription.objects.filter(subscriber__email='{address}'); "
        "print(';'.join(f'{r.newsletter.slug}={r.status}' for r in rows))"
    )
    line = output.strip().splitlines()[-1] if output.strip() else ""
    return dict(part.split("=") for part in line.split(";") if part)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_reader_signs_up_confirms_and_leaves(browser, site, width):
    address = f"reader-{uuid.uuid4().hex[:8]}@example.org"
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(site.url + _article_path(site))
        box = page.locator('section[data-part="newsletter-signup"][data-source="article"]')
        box.scroll_into_view_if_needed()
        box.get_by_label("The Daily").check()
        box.get_by_label("Breaking news").check()
        box.get_by_label("Your e-mail address").fill(address)
        box.get_by_label("Your first name (optional)").fill("Rhea")
        box.get_by_role("button", name="Sign up").click()
        status = box.locator('[data-role="status"]')
        status.wait_for(state="visible")
        assert "Check your inbox" in status.inner_text()
        assert _statuses(site, address) == {"daily": "pending", "breaking": "pending"}

        message = _wait_for_mail(site, address)
        assert "The Daily" in message.get_body(preferencelist=("plain",)).get_content()
        assert message.get_body(preferencelist=("html",)) is not None
        link = CONFIRM.search(message.get_body(preferencelist=("plain",)).get_content())
        assert link, "the confirmation e-mail carries its link"

        page.goto(site.url + link.group(1))
        assert _statuses(site, address) == {"daily": "pending", "breaking": "pending"}
        page.get_by_role("button", name="Yes, send me the newsletters").click()
        page.locator('[data-part="confirmed"]').wait_for()
        assert _statuses(site, address) == {"daily": "subscribed", "breaking": "subscribed"}
        assert len(_mails_to(site, address)) == 1  # one e-mail for the whole sign-up

        # The newsroom sends the daily's latest issue to its list; the worker hands it over.
        subject = _issue_send(site, list_slug="daily")
        issue = _wait_for_mail(site, address, subject=subject)
        assert "Rhea" in issue.get_body(preferencelist=("plain",)).get_content()
        assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = re.fullmatch(r"<(\S+)>", str(issue["List-Unsubscribe"]).strip()).group(1)

        # A mail client's one-click unsubscribe (RFC 8058): a bare POST to the header's
        # address, no cookie, no CSRF token.
        one_click = urllib.request.Request(
            unsubscribe, data=urllib.parse.urlencode({"List-Unsubscribe": "One-Click"}).encode()
        )
        with urllib.request.urlopen(one_click, timeout=30) as response:
            assert response.status == 200
        assert _statuses(site, address) == {"daily": "unsubscribed", "breaking": "subscribed"}

        # The preferences page, from the confirmation page's link: untick breaking news, save.
        page.locator('[data-part="preferences-link"]').click()
        page.locator('[data-part="preferences"]').wait_for()
        breaking = page.get_by_label("Breaking news")
        assert breaking.is_checked()
        assert not page.get_by_label("The Daily").is_checked()
        breaking.uncheck()
        page.get_by_role("button", name="Save my choices").click()
        page.get_by_text("Your newsletter choices are saved.").wait_for()
        assert not page.get_by_label("Breaking news").is_checked()
        assert _statuses(site, address) == {"daily": "unsubscribed", "breaking": "unsubscribed"}
        assert errors == []
    finally:
        context.close()
