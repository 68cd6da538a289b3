"""A signed-in reader in good standing who answers at once is published, in the browser, at
both widths the site is checked at; a guest who posts as fast is held, told so, and not as a
bot (issue 23, item 6: speed and rate are evidence weighed with the rest, never a verdict).

No pause before sending: the form goes at once. A page comes from the page cache with the
time it was rendered in its form, which may be minutes old; the test puts a time signed just
now in the form (as a freshly rendered page carries), so the post is well inside
``MODERATION_MIN_SECONDS_TO_SUBMIT`` whatever the cache held.
"""

import json
import secrets
import time

import pytest
from playwright.sync_api import expect

from tests.support.servers import RunningSite

pytestmark = pytest.mark.browser

PASSWORD = "a quick reply by the quay 31"
WIDTHS = [
    pytest.param({"width": 1280, "height": 800}, id="1280"),
    pytest.param({"width": 390, "height": 844}, id="390"),
]


@pytest.fixture(scope="module")
def running_site():
    # Its own site: every browser test posts from 127.0.0.1, and by this module's turn the
    # shared site's per-address posting limit (a 429, nothing stored) may be reached. The
    # network's moderation limit is raised too, so only the speed of the post is weighed.
    served = RunningSite(
        extra_env={
            "DISCUSSION_POSTS_PER_IP": "1000",
            "MODERATION_NETWORK_POSTING_RATE_LIMIT": "1000",
        }
    ).start()
    yield served
    served.stop()


def _reader(running_site) -> tuple[str, str]:
    """A reader with a verified address and a published comment (in good standing, not yet
    trusted), and the lead story's path."""
    email = f"quick.{secrets.token_hex(4)}@example.org"
    output = running_site.shell(
        "import json; from allauth.account.models import EmailAddress; "
        "from django.contrib.auth import get_user_model; "
        "from newsdesk.demo.discussion import lead_story_find; "
        f"u = get_user_model().objects.create_user('q{secrets.token_hex(4)}', '{email}', "
        f"'{PASSWORD}'); "
        f"EmailAddress.objects.create(user=u, email='{email}', verified=True, primary=True); "
        "print(json.dumps({'url': lead_story_find().url}))"
    )
    return email, json.loads(output.strip().splitlines()[-1])["url"]


def _post_at_once(page, running_site, body: str) -> None:
    form = page.locator("#comment-form")
    form.locator("textarea").fill(body)
    output = running_site.shell(
        "from newsdesk.discussion.forms import form_started_token; print(form_started_token())"
    )
    fresh = output.strip().splitlines()[-1]
    started = form.locator("input[name=started]")
    started.evaluate("(input, value) => { input.value = value; }", fresh)
    form.locator("button[type=submit]").click()


def _status_of(running_site, body: str, *, timeout: float = 30) -> dict:
    """The stored comment's status and reason, once the post has reached the database."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = running_site.shell(
            "import json; from newsdesk.discussion.models import Comment; "
            "from newsdesk.moderation.models import Decision; "
            f"c = Comment.objects.filter(body_source={body!r}).order_by('-pk').first(); "
            "logged = Decision.objects.filter(comment=c) if c else []; "
            "why = ' '.join(r for d in logged for r in d.reasons); "
            "print(json.dumps(c and {'status': c.status, 'reason': why or c.status_reason}))"
        )
        found = json.loads(output.strip().splitlines()[-1])
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"the comment {body!r} was never stored")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_reader_in_good_standing_who_answers_at_once_is_published(
    running_site, browser, viewport
):
    email, path = _reader(running_site)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(running_site.url + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda address: "/accounts/login/" not in address)

    page.goto(running_site.url + path)
    body = f"Quick reply {viewport['width']}: the gauge readings were posted this morning."
    _post_at_once(page, running_site, body)
    stored = _status_of(running_site, body)
    assert stored["status"] == "published", stored["reason"]
    assert "after it was served" in stored["reason"], "the post was a fast one"
    page.goto(running_site.url + path)
    posted = page.locator("li.comment", has=page.locator(".comment__body", has_text=body))
    expect(posted).to_have_count(1)
    expect(posted.locator('[data-role="pending"]')).to_have_count(0)
    context.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_guest_who_posts_as_fast_is_held_and_not_as_a_bot(running_site, browser, viewport):
    _, path = _reader(running_site)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(running_site.url + path)
    page.locator("#comment-form-name").fill("Swift")
    body = f"Fast guest {viewport['width']}: the gauge readings were posted this morning."
    _post_at_once(page, running_site, body)
    stored = _status_of(running_site, body)
    assert stored["status"] == "held", stored["reason"]
    assert not stored["reason"].startswith("held (severe)"), stored["reason"]
    assert "after it was served" in stored["reason"]
    context.close()
