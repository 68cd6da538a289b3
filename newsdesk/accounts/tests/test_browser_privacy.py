"""End to end, in Debian's chromium against the served demo (gunicorn + the worker): a
reader signs in, comments, downloads their data, erases their account, and their comment
then shows the neutral name to everyone."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
HUMAN_PAUSE_MS = 3500  # the comment gate holds forms sent faster than a person types
EMAIL = "lena.privacy@example.org"
PASSWORD = "a quiet reservoir 2031"
BODY = "Lena: the gauges upstream read lower every week."


def _reader_and_article(running_site) -> str:
    """A signed-up reader with a verified address, and the lead story's address."""
    output = running_site.shell(
        "from allauth.account.models import EmailAddress; "
        "from django.contrib.auth import get_user_model; "
        "from newsdesk.demo.discussion import lead_story_find; "
        f"u = get_user_model().objects.create_user('lena_reads', '{EMAIL}', '{PASSWORD}'); "
        f"EmailAddress.objects.create(user=u, email='{EMAIL}', verified=True, primary=True); "
        "print(lead_story_find().url)"
    )
    return output.strip().splitlines()[-1]


def test_reader_downloads_their_data_and_erases_their_account(running_site, browser):
    article_url = running_site.url + _reader_and_article(running_site)
    errors = []
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(running_site.url + "/accounts/login/")
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(article_url)
    form = page.locator("#comment-form")
    expect(form).to_contain_text("Commenting as")
    form.locator("textarea").fill(BODY)
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    form.locator("button[type=submit]").click()
    mine = page.locator("li.comment", has=page.locator(".comment__body", has_text=BODY)).last
    expect(mine).to_contain_text("lena_reads")
    comment_id = mine.get_attribute("data-comment-id")

    page.goto(running_site.url + "/accounts/email/")
    page.locator("[data-part=privacy-link]").click()
    page.wait_for_url(re.compile(r".*/accounts/privacy/$"))
    with page.expect_download() as download:
        page.locator("[data-part=export]").click()
    document = json.loads(Path(download.value.path()).read_text())
    assert document["account"]["username"] == "lena_reads"
    assert [c["body"] for c in document["comments"]] == [BODY]
    assert document["account"]["emails"][0]["address"] == EMAIL

    page.locator("[data-part=erase-link]").click()
    page.locator("#id_password").fill("not my password")
    page.locator("form.privacy__erase-form button[type=submit]").click()
    expect(page.locator("[data-part=password-error]")).to_have_text("That is not your password.")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.privacy__erase-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/privacy/erased/$"))
    expect(page.locator("[data-part=erased]")).to_contain_text("Your account is erased")

    reader = browser.new_context().new_page()
    reader.goto(article_url)
    erased = reader.locator(f"li.comment[data-comment-id='{comment_id}']")
    expect(erased).to_contain_text("Former reader")
    expect(erased).to_contain_text(BODY)
    assert "lena_reads" not in reader.content() and EMAIL not in reader.content()
    page.goto(running_site.url + "/accounts/privacy/")
    assert "/accounts/login/" in page.url  # signed out
    reader.context.close()
    context.close()
    assert not errors, errors
