"""Issue 22, item 6 end to end, in Debian's chromium against the served demo, at 1280 and
390 pixels: a moderator works the watch-list queue by keyboard. A watched commenter's held
comment and their published one are in the "Watched" tab; the moderator reads the list of
shortcuts (?, Escape), opens the commenter's history (h), writes a note (n), rejects the held
comment (r) and stops watching the commenter (w); the queue's markup passes axe-core."""

import json
import uuid

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.support.axe import blocking, violations_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "a long watch pass 42"
SPAM = "Cheap watches and pills, order now at https://deals-{tag}.example.xyz"
PLAIN = "The weir figures in the second table match the operators' own log ({tag})."


def _shell_json(site, code: str):
    return json.loads(site.shell(code).strip().splitlines()[-1])


def _moderator(site) -> str:
    username = f"mod-{uuid.uuid4().hex[:6]}"
    site.shell(
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Group; "
        f"u = get_user_model().objects.create_user({username!r}, '{username}@example.org', "
        f"{PASSWORD!r}); u.groups.add(Group.objects.get(name='Moderators'))"
    )
    return username


def _watched_commenter(site, tag: str, octet: int) -> dict:
    """An account with a held comment and a published one under the lead story, watched."""
    return _shell_json(
        site,
        "import json; from django.contrib.auth import get_user_model; "
        "from newsdesk.demo.discussion import lead_story_find; "
        "from newsdesk.discussion.readers import Reader; "
        "from newsdesk.discussion.services import CommentDraft, comment_create, "
        "comment_status_set; "
        "from newsdesk.moderation.models import WatchEntry; "
        f"u = get_user_model().objects.create_user('watched-{tag}', 'w-{tag}@example.org'); "
        f"r = Reader(user=u, ip_address='198.18.{octet}.4'); a = lead_story_find(); "
        f"s, p = {SPAM.format(tag=tag)!r}, {PLAIN.format(tag=tag)!r}; "
        "held = comment_create(article=a, reader=r, draft=CommentDraft(body=s)); "
        "pub = comment_create(article=a, reader=r, draft=CommentDraft(body=p)); "
        "pub = pub if pub.status == 'published' else "
        "comment_status_set(comment=pub, status='published', reason='test'); "
        "WatchEntry.objects.create(kind='commenter', commenter_key=f'account:{u.pk}', user=u); "
        "print(json.dumps({'held': held.pk, 'held_status': held.status, 'published': pub.pk, "
        "'user': u.pk}))",
    )


def _status(site, comment_id: int) -> str:
    return _shell_json(
        site,
        "import json; from newsdesk.discussion.models import Comment; "
        f"print(json.dumps(Comment.objects.get(pk={comment_id}).status))",
    )


def _go_to(page, comment_id: int) -> None:
    """Press j (from the top: k first) until the comment is the current one."""
    for _ in range(60):
        if page.locator(f"#q{comment_id}.is-current").count():
            return
        page.keyboard.press("j")
    raise AssertionError(f"comment {comment_id} never became current")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_moderator_works_the_watch_list_queue_by_keyboard(browser, running_site, width):
    tag = uuid.uuid4().hex[:6]
    facts = _watched_commenter(running_site, tag, 40 + (width % 7))
    assert facts["held_status"] == "held"
    held, published = facts["held"], facts["published"]
    username = _moderator(running_site)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(running_site.url + "/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url("**/admin/")
        page.goto(running_site.url + "/admin/moderation/")
        page.locator("[data-tab=watched]").click()
        page.wait_for_url("**status=watched**")
        expect(page.locator(f"#q{held}")).to_be_visible()
        expect(page.locator(f"#q{published}")).to_be_attached()
        assert "Watched" in page.locator(f"#q{held} [data-dossier]").inner_text()

        # ? lists every shortcut in a dialog with a heading; Escape closes it.
        page.keyboard.press("?")
        dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
        expect(dialog).to_be_visible()
        expect(dialog.get_by_role("heading", name="Keyboard shortcuts")).to_be_visible()
        found = blocking(Axe().run(page, context="#queue-shortcuts").response["violations"])
        assert not found, violations_text(found, where=f"shortcuts at {width}px")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()

        # h opens the held comment's commenter history: their two comments.
        _go_to(page, held)
        history = page.locator(f"#q{held} [data-history]")
        expect(history).not_to_have_attribute("open", "")
        page.keyboard.press("h")
        expect(history).to_have_attribute("open", "")
        expect(history).to_contain_text("Comments (2)")
        page.keyboard.press("h")
        expect(history).not_to_have_attribute("open", "")

        # n: a note on the commenter, sent from its button (Tab, Enter).
        page.keyboard.press("n")
        note_field = page.locator(f"#note-{held}")
        expect(note_field).to_be_focused()
        page.keyboard.type(f"Posts shop links under the lead story ({tag}).")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        expect(page.locator(f"#q{held} .moderation-notes")).to_contain_text(
            f"Posts shop links under the lead story ({tag})."
        )
        expect(page.locator(f"#q{published} .moderation-notes")).to_contain_text(username)

        # r rejects the held comment: it leaves the watched queue.
        _go_to(page, held)
        page.keyboard.press("r")
        page.locator(f"#q{held}").wait_for(state="detached")
        assert _status(running_site, held) == "rejected"

        # w on the published comment stops watching its author: it leaves the tab too.
        _go_to(page, published)
        page.keyboard.press("w")
        page.locator(f"#q{published}").wait_for(state="detached")
        expect(page.locator(".messages")).to_contain_text("No longer watching")
        watched = _shell_json(
            running_site,
            "import json; from newsdesk.moderation.models import WatchEntry; "
            f"print(json.dumps(WatchEntry.objects.filter(user_id={facts['user']}).count()))",
        )
        assert watched == 0

        found = blocking(Axe().run(page, context=".moderation-queue").response["violations"])
        assert not found, violations_text(found, where=f"watched queue at {width}px")
    finally:
        context.close()
