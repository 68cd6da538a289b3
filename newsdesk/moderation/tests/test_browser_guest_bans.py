"""End to end, in Debian's chromium against the served demo, at a desktop's and a phone's
width: a moderator opens the queue's "Reported" tab (its count is what it lists), then bans
a guest from their held comment by all that identifies them; the guest's next comment and
vote with the same key are refused, the bans page shows what the ban matches, and the
moderator lifts it."""

import json
import secrets
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PASSWORD = "a long moderator pass 42"


def _setup(running_site) -> dict:
    """A guest's held comment (with a key, an e-mail address and an address of a network
    no other test uses) and a published comment with a reader's open report."""
    key = secrets.token_urlsafe(24)
    octet = secrets.randbelow(250) + 1
    mark = uuid.uuid4().hex[:8]
    output = running_site.shell(
        "import json; "
        "from newsdesk.demo.discussion import lead_story_find; "
        "from newsdesk.discussion.models import Comment; "
        "from newsdesk.discussion.readers import Reader, guest_key_new; "
        "from newsdesk.discussion.services import CommentDraft, comment_create; "
        "from newsdesk.moderation.models import Report; "
        "article = lead_story_find(); "
        f"guest = Reader(guest_key={key!r}, ip_address='100.70.{octet}.9'); "
        "held = comment_create(article=article, reader=guest, draft=CommentDraft("
        f"body='Cheap watches and pills {mark}, order now at https://deals-{mark}.xyz', "
        f"guest_name='Deal {mark}', guest_email='deals-{mark}@example.org')); "
        "other = Reader(guest_key=guest_key_new(), ip_address='100.71.1.9'); "
        "plain = comment_create(article=article, reader=other, draft=CommentDraft("
        f"body='The bridge figures {mark} look right to me.', guest_name='Calm {mark}')); "
        "Comment.objects.filter(pk=plain.pk).update(status='published'); "
        "Report.objects.create(comment_id=plain.pk, reporter_key='guest:' + guest_key_new(), "
        "reason='off_topic', text='not about the river'); "
        "print(json.dumps({'held': held.pk, 'status': held.status, 'reported': plain.pk, "
        "'article': article.pk, 'url': article.url}))"
    )
    facts = json.loads(output.strip().splitlines()[-1])
    return {**facts, "key": key, "network": f"100.70.{octet}.0/24", "mark": mark}


def _moderator_signs_in(running_site, page) -> None:
    username = f"mod-{uuid.uuid4().hex[:6]}"
    running_site.shell(
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.auth.models import Group; "
        f"u = get_user_model().objects.create_user({username!r}, '{username}@example.org', "
        f"{PASSWORD!r}); u.groups.add(Group.objects.get(name='Moderators'))"
    )
    page.goto(running_site.url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")


def _ban_row(running_site, comment_id: int) -> dict:
    output = running_site.shell(
        "import json; from newsdesk.moderation.models import Decision; "
        f"d = Decision.objects.filter(comment_id={comment_id}, action='banned').first(); "
        "b = d.ban if d else None; "
        "print(json.dumps(b and {'pk': b.pk, 'kind': b.kind, 'key': b.guest_key_hash, "
        "'email': b.email, 'network': b.network, 'reason': b.reason, "
        "'expires': bool(b.expires_at), 'lifted': bool(b.lifted_at), "
        "'status': d.comment.status}))"
    )
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.parametrize("width", [1280, 390])
def test_a_moderator_works_the_reported_tab_and_bans_a_guest(browser, running_site, width):
    facts = _setup(running_site)
    assert facts["status"] == "held"
    context = browser.new_context(viewport={"width": width, "height": 900})
    guest = browser.new_context()  # the banned guest's own requests, without the session
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        _moderator_signs_in(running_site, page)
        page.goto(running_site.url + "/admin/moderation/")

        # The Reported tab lists the reported comment; its count is what it lists.
        page.locator("[data-tab=reported]").click()
        page.wait_for_url("**status=reported**")
        expect(page.locator("[data-tab=reported]")).to_have_attribute("aria-current", "page")
        row = page.locator(f"#q{facts['reported']}")
        expect(row).to_be_visible()
        expect(row).to_contain_text("not about the river")
        count = page.locator("[data-tab=reported] [data-tab-count]").inner_text()
        assert count == f"({page.locator('.moderation-item').count()})"

        # The guest's held comment: "Ban author" offers all it carries, checked.
        page.locator("[data-tab=held]").click()
        page.wait_for_url("**status=held**")
        item = page.locator(f"#q{facts['held']}")
        item.locator("summary", has_text="Ban author").click()
        choices = item.locator(f"input[name=ban_with_{facts['held']}]")
        expect(choices).to_have_count(3)
        for index in range(3):
            expect(choices.nth(index)).to_be_checked()
        expect(item).to_contain_text(f"network {facts['network']}")
        item.get_by_label("For").select_option("7")
        item.get_by_label("Reason").fill(f"sales pitches {facts['mark']}")
        item.get_by_role("button", name="Ban", exact=True).click()
        item.wait_for(state="detached")
        expect(page.locator(".messages")).to_contain_text("Banned the author of 1 comment")

        ban = _ban_row(running_site, facts["held"])
        assert ban["kind"] == "guest" and ban["status"] == "rejected"
        assert ban["key"] and ban["email"] == f"deals-{facts['mark']}@example.org"
        assert ban["network"] == facts["network"] and ban["expires"]

        # The same guest (their key, from another address) is refused: comment and vote.
        posted = guest.request.post(
            f"{running_site.url}/api/threads/{facts['article']}/comments",
            data={"body": f"Still here {facts['mark']}, reading the figures.", "name": "Deal"},
            headers={"X-Guest-Token": facts["key"]},
        )
        assert posted.status == 201 and posted.json()["comment"] is None
        assert "not published" in posted.json()["message"]
        vote = guest.request.post(
            f"{running_site.url}/api/comments/{facts['reported']}/votes",
            data={"value": 1},
            headers={"X-Guest-Token": facts["key"]},
        )
        assert vote.status == 403 and "banned" in vote.text()

        # The bans page shows what the ban matches; lifting it works.
        page.goto(running_site.url + "/admin/moderation/bans/")
        ban_row = page.locator(f"tr[data-ban-id='{ban['pk']}']")
        for name in ("key", "email", "network"):
            expect(ban_row.locator(f"[data-matches={name}]")).to_be_visible()
        expect(ban_row).to_contain_text(facts["network"])
        ban_row.get_by_role("button", name="Lift").click()
        expect(page.locator(f"tr[data-ban-id='{ban['pk']}']")).to_contain_text("lifted")
        assert _ban_row(running_site, facts["held"])["lifted"]
    finally:
        guest.close()
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
