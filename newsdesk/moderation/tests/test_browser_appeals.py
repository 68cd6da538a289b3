"""Issue 22, item 7 end to end, in Debian's chromium against the served demo (gunicorn and
the worker, mail through a real SMTP server), at 1280 and 390 pixels: a reader whose comment
is held sees why on it, appeals from "Your comments", a moderator reverses the decision in
the admin's Appeals queue, and the reader sees the outcome, gets one e-mail, and the comment
is published for everyone."""

import json
import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.support.servers import RunningSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HUMAN_PAUSE_MS = 3500  # the gate holds forms sent faster than a person types
PASSWORD = "a long appeals pass 42"
WHY = "The link is the council's own page with the figures, not an advertisement."


@pytest.fixture(scope="module")
def site():
    # Its own site: posts and sign-ins from 127.0.0.1 at both widths, apart from other tests.
    served = RunningSite(
        extra_env={"MODERATION_POSTING_RATE_LIMIT": "100", "DISCUSSION_POSTS_PER_IP": "100"}
    ).start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def article_url(site) -> str:
    output = site.shell(
        "import json; from newsdesk.demo.discussion import lead_story_find; "
        "print(json.dumps(lead_story_find().url))"
    )
    return site.url + json.loads(output.strip().splitlines()[-1])


def _account(site, *, moderator: bool) -> tuple[str, str]:
    name = f"{'mod' if moderator else 'reader'}-{uuid.uuid4().hex[:6]}"
    email = f"{name}@example.org"
    site.shell(
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Group; "
        "from allauth.account.models import EmailAddress; "
        f"u = get_user_model().objects.create_user({name!r}, {email!r}, {PASSWORD!r}); "
        f"EmailAddress.objects.create(user=u, email={email!r}, verified=True, primary=True); "
        + ("u.groups.add(Group.objects.get(name='Moderators'))" if moderator else "")
    )
    return name, email


def _status(site, comment_id: int) -> str:
    output = site.shell(
        "from newsdesk.discussion.models import Comment; "
        f"print(Comment.objects.get(pk={comment_id}).status)"
    )
    return output.strip().splitlines()[-1]


def _mail_to(site, email: str, *, wait: float = 30) -> list[str]:
    deadline = time.monotonic() + wait
    while True:
        found = [m for m in site.sent_mail() if f"To: {email}" in m and "Your appeal" in m]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_held_comment_is_explained_appealed_and_reversed(site, article_url, browser, width):
    reader_email = _account(site, moderator=False)[1]
    moderator_name = _account(site, moderator=True)[0]
    contexts = [browser.new_context(viewport={"width": width, "height": 900}) for _ in range(3)]
    reader, moderator, stranger = (context.new_page() for context in contexts)
    try:
        # The reader signs in and posts a comment with a link: held, and told why.
        reader.goto(site.url + "/accounts/login/")
        reader.locator("#id_login").fill(reader_email)
        reader.locator("#id_password").fill(PASSWORD)
        reader.locator("main form button[type=submit]").click()
        reader.wait_for_url(lambda address: "/accounts/login/" not in address)
        text = f"The council's figures, line by line: https://council-{uuid.uuid4().hex[:6]}.example.org/budget"
        reader.goto(article_url)
        form = reader.locator("#comment-form")
        form.locator("textarea").fill(text)
        reader.wait_for_timeout(HUMAN_PAUSE_MS)
        form.locator("button[type=submit]").click()
        item = reader.locator("li.comment", has=reader.locator(".comment__body", has_text=text))
        item.wait_for()
        comment_id = int(item.get_attribute("data-comment-id"))
        assert _status(site, comment_id) == "held"
        reason = item.locator("[data-role=moderation-reason]")
        expect(reason).to_contain_text("Why:")
        assert not any(ch.isdigit() for ch in reason.inner_text())  # never a score
        # Another reader does not see the comment, nor why.
        stranger.goto(article_url + "?sort=newest")
        assert stranger.locator(f"#c{comment_id}").count() == 0
        assert "moderation-reason" not in stranger.content()

        # The reader follows "Appeal" to "Your comments" and appeals once.
        item.locator("[data-role=appeal-link]").click()
        reader.wait_for_url(f"**/accounts/comments/#comment-{comment_id}")
        row = reader.locator(f"#comment-{comment_id}")
        expect(row.locator("[data-role=reason]")).to_contain_text("Why:")
        row.locator("textarea[name=message]").fill(WHY)
        row.get_by_role("button", name="Send my appeal").click()
        row = reader.locator(f"#comment-{comment_id}")
        expect(row.locator("[data-role=appeal-state]")).to_have_attribute("data-state", "pending")
        assert row.locator("[data-role=appeal-form]").count() == 0

        # A moderator finds it in the Appeals queue and reverses the decision with a note.
        moderator.goto(site.url + "/admin/login/")
        moderator.fill("input[name=username]", moderator_name)
        moderator.fill("input[name=password]", PASSWORD)
        moderator.locator("form button[type=submit]").first.click()
        moderator.wait_for_url("**/admin/")
        moderator.goto(site.url + "/admin/moderation/appeals/")
        appeal = moderator.locator("[data-appeal-id]", has_text=WHY[:40])
        appeal.wait_for()
        appeal.locator("input[name=note]").fill("Fair: a source, not an advert.")
        appeal.locator("button[data-role=reverse]").click()
        moderator.wait_for_load_state()
        assert moderator.locator("[data-appeal-id]", has_text=WHY[:40]).count() == 0
        assert _status(site, comment_id) == "published"

        # The reader sees the outcome on their page and by one e-mail; everyone sees the comment.
        reader.goto(site.url + "/accounts/comments/")
        row = reader.locator(f"#comment-{comment_id}")
        expect(row.locator("[data-role=appeal-state]")).to_have_attribute("data-state", "reversed")
        expect(row).to_contain_text("Fair: a source, not an advert.")
        expect(row.locator("[data-role=status]")).to_have_text("Published")
        mails = _mail_to(site, reader_email)
        assert len(mails) == 1 and "reversed" in mails[0]
        # A new reader (the first one's browser may keep its copy for PAGECACHE_BROWSER_MAX_AGE).
        contexts.append(browser.new_context(viewport={"width": width, "height": 900}))
        newcomer = contexts[-1].new_page()
        newcomer.goto(article_url + "?sort=newest")  # the thread's first page holds it
        expect(newcomer.locator(f"#c{comment_id} .comment__body")).to_contain_text("line by line")
    finally:
        for context in contexts:
            context.close()
