"""End to end, in Debian's chromium against the served demo (gunicorn + the worker + the
page cache): an anonymous reader posts a comment from an article page served from the cache
(which carries no CSRF token: the script fetches one), and a signed-in reader served the same
cached page sees their own comment's edit button (filled in by the script from /mine)."""

import json

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
]
HUMAN_PAUSE_MS = 3500  # the moderation gate holds forms sent faster than a person types


def _prepare(running_site) -> dict:
    """A reader with a verified address and a comment of theirs on the lead story."""
    output = running_site.shell(
        "import json\n"
        "from allauth.account.models import EmailAddress\n"
        "from django.contrib.auth import get_user_model\n"
        "from newsdesk.demo.discussion import lead_story_find\n"
        "from newsdesk.discussion.readers import Reader\n"
        "from newsdesk.discussion.services import CommentDraft, comment_create\n"
        "user, _ = get_user_model().objects.get_or_create(\n"
        "    username='pat_cached', defaults={'email': 'pat.cached@example.org'})\n"
        "user.set_password('a cached page keeper 7'); user.save()\n"
        "EmailAddress.objects.update_or_create(user=user, email=user.email,\n"
        "    defaults={'verified': True, 'primary': True})\n"
        "story = lead_story_find()\n"
        "reader = Reader(user=user, ip_address='192.0.2.77')\n"
        "comment = comment_create(article=story, reader=reader,\n"
        "    draft=CommentDraft(body='Pat: the gauges at the weir were read twice a day.'))\n"
        "print(json.dumps({'url': story.url, 'comment': comment.pk}))\n"
    )
    return json.loads(output.strip().splitlines()[-1])


def test_anonymous_posts_from_the_cached_page_and_signed_in_sees_their_edit_button(
    running_site, browser
):
    facts = _prepare(running_site)
    article_url = running_site.url + facts["url"] + "?sort=newest"
    errors: list[str] = []

    anonymous_context = browser.new_context()
    anonymous = anonymous_context.new_page()
    anonymous.on("pageerror", lambda error: errors.append(str(error)))
    anonymous.goto(article_url)  # renders and stores the page
    served = anonymous.goto(article_url)
    assert served.headers["x-page-cache"] == "hit"
    assert "public" in served.headers["cache-control"]
    assert 'name="csrfmiddlewaretoken" value=""' in served.text()  # no token in the copy
    form = anonymous.locator("#comment-form")
    # The script filled the form's token in from /csrf/.
    expect(form.locator("input[name=csrfmiddlewaretoken]")).not_to_have_value("")
    anonymous.locator("#comment-form-name").fill("Quill")
    form.locator("textarea").fill("Quill: the weir keeper's logbook is in the county archive.")
    anonymous.wait_for_timeout(HUMAN_PAUSE_MS)
    form.locator("button[type=submit]").click()
    posted = anonymous.locator("li.comment", has_text="Quill: the weir keeper's logbook")
    expect(posted).to_have_count(1)
    expect(anonymous.locator("[data-role=notice]")).to_be_visible()
    assert "Pat: the gauges" in anonymous.content()
    assert anonymous.locator(f"#c{facts['comment']} a[data-js=edit]").count() == 0

    member_context = browser.new_context()
    member = member_context.new_page()
    member.on("pageerror", lambda error: errors.append(str(error)))
    member.goto(running_site.url + "/accounts/login/")
    member.locator("#id_login").fill("pat.cached@example.org")
    member.locator("#id_password").fill("a cached page keeper 7")
    member.locator("main form button[type=submit]").click()
    member.wait_for_load_state()
    # Quill now has the guest cookie (their own held comments): a new reader stores the copy
    # again after Quill's comment outdated it.
    newcomer_context = browser.new_context()
    assert newcomer_context.new_page().goto(article_url).headers["x-page-cache"] in ("hit", "miss")
    newcomer_context.close()
    answer = member.goto(article_url)
    assert answer.headers["x-page-cache"] == "hit-personal"
    assert "private" in answer.headers["cache-control"]
    expect(member.locator("[data-part=account]")).to_contain_text("Signed in as pat_cached")
    expect(member.locator("#comment-form")).to_contain_text("Commenting as pat_cached")
    edit = member.locator(f"#c{facts['comment']} > .comment__item a[data-js=edit]")
    expect(edit).to_be_visible()
    assert "pat.cached@example.org" not in member.content()
    anonymous_context.close()
    member_context.close()
    assert not errors, errors
