"""End to end, in Debian's chromium against the served demo (gunicorn + the worker): a
moderator signs in and works the queue (approve with the keyboard, reject, shadow-ban an
author by e-mail) and the public page follows; the shadow-banned guest still sees their
comment, a fresh reader does not; a reader cannot report a comment twice."""

import json
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
HUMAN_PAUSE_MS = 3500
PASSWORD = "a long moderator pass 42"


def _facts(running_site) -> dict:
    output = running_site.shell(
        "import json; from newsdesk.demo.discussion import lead_story_find; "
        "from newsdesk.discussion.models import Comment; "
        "ids = dict(Comment.objects.filter(source='demo').values_list('source_id', 'pk')); "
        "print(json.dumps({'url': lead_story_find().url, 'ids': ids}))"
    )
    return json.loads(output.strip().splitlines()[-1])


def _moderator(running_site) -> str:
    username = f"mod-{uuid.uuid4().hex[:6]}"
    running_site.shell(
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Group; "
        f"u = get_user_model().objects.create_user({username!r}, '{username}@example.org', "
        f"{PASSWORD!r}); u.groups.add(Group.objects.get(name='Moderators'))"
    )
    return username


def _status(running_site, comment_id: int) -> str:
    output = running_site.shell(
        "from newsdesk.discussion.models import Comment; "
        f"c = Comment.objects.get(pk={comment_id}); print(c.status, c.is_shadowed)"
    )
    return output.strip().splitlines()[-1]


def test_a_moderator_works_the_queue_and_readers_see_the_result(browser, running_site):
    facts = _facts(running_site)
    article_url = running_site.url + facts["url"]
    ids = facts["ids"]
    contexts = [browser.new_context() for _ in range(3)]
    guest, moderator, stranger = (context.new_page() for context in contexts)
    try:
        # A guest posts a sales pitch with their e-mail address: it is held for review.
        pitch = f"Cheap watches and pills, order now at https://deals-{uuid.uuid4().hex[:6]}.xyz"
        guest.goto(article_url)
        form = guest.locator("#comment-form")
        form.locator("textarea").fill(pitch)
        form.locator("input[name=name]").fill("Deal Finder")
        form.locator("input[name=email]").fill("dealfinder@example.org")
        guest.wait_for_timeout(HUMAN_PAUSE_MS)
        form.locator("button[type=submit]").click()
        pitch_item = guest.locator(
            "li.comment", has=guest.locator(".comment__body", has_text=pitch)
        )
        pitch_item.wait_for()
        pitch_id = int(pitch_item.get_attribute("data-comment-id"))
        assert _status(running_site, pitch_id) == "held False"

        # The moderator signs in and finds the demo's held comments with their reasons.
        username = _moderator(running_site)
        moderator.goto(running_site.url + "/admin/login/")
        moderator.fill("input[name=username]", username)
        moderator.fill("input[name=password]", PASSWORD)
        moderator.locator("form button[type=submit]").first.click()
        moderator.wait_for_url("**/admin/")
        assert "held comment" in moderator.locator("[data-moderation-summary]").inner_text()
        moderator.goto(running_site.url + "/admin/moderation/")
        for key in ("hate", "abuse", "spam"):
            assert moderator.locator(f"#q{ids[key]}").count() == 1, key
        assert "identity-based hate" in moderator.locator(f"#q{ids['hate']}").inner_text()

        # Approve the abusive one with the keyboard (click its row, press a).
        moderator.locator(f"#q{ids['abuse']} .moderation-item__meta").click()
        moderator.keyboard.press("a")
        moderator.wait_for_load_state()
        moderator.locator(f"#q{ids['abuse']}").wait_for(state="detached")
        # Reject the hateful one with its button.
        moderator.locator(f"#q{ids['hate']} button[data-key=r]").click()
        moderator.locator(f"#q{ids['hate']}").wait_for(state="detached")
        # Shadow-ban the pitch's author by e-mail.
        moderator.select_option("select[name=ban_kind]", "email")
        moderator.check("input[name=shadow]")
        moderator.check(f"#q{pitch_id} input[name=comment]")
        moderator.locator("button[name=action][value=ban]").click()
        moderator.locator(f"#q{pitch_id}").wait_for(state="detached")
        assert _status(running_site, ids["abuse"]) == "published False"
        assert _status(running_site, ids["hate"]) == "rejected False"
        assert _status(running_site, pitch_id) == "published True"
        moderator.goto(running_site.url + f"/admin/moderation/log/?actor={username}")
        assert moderator.locator("[data-decision-id]").count() == 3

        # The public page follows: the approved comment shows, the rejected one does not; the
        # shadow-banned guest still sees their comment, a fresh reader does not.
        stranger.goto(article_url)
        assert stranger.locator(f"#c{ids['abuse']} .comment__body").count() == 1
        assert stranger.locator(f"#c{ids['hate']} .comment__body").count() == 0
        assert stranger.locator(f"#c{pitch_id}").count() == 0
        guest.goto(article_url)
        assert guest.locator(f"#c{pitch_id} .comment__body").inner_text().startswith("Cheap")

        # A reader reports a comment once; the second time they are told so.
        target = ids["aubrel"]
        stranger.locator(f"#c{target} > .comment__item a[data-js=report]").click()
        report_form = stranger.locator(f"#c{target} > .comment__item [data-role=report-form]")
        report_form.locator("select[name=reason]").select_option("off_topic")
        report_form.locator("button[type=submit]").click()
        status = report_form.locator("[data-role=report-status]")
        status.wait_for()
        expect(status).to_contain_text("Thank you")
        stranger.reload()
        stranger.locator(f"#c{target} > .comment__item a[data-js=report]").click()
        report_form = stranger.locator(f"#c{target} > .comment__item [data-role=report-form]")
        report_form.locator("button[type=submit]").click()
        status = report_form.locator("[data-role=report-status]")
        expect(status).to_contain_text("already reported")
    finally:
        for context in contexts:
            context.close()
