"""An editor previews an article in Wagtail's side panel, in Debian's chromium against the
served demo: the panel frames the page (same origin), and the public page still refuses to
be framed by anyone."""

import json
import uuid

import pytest

pytestmark = pytest.mark.browser
PASSWORD = "a long editor pass 42"


def _editor_and_article(running_site) -> dict:
    username = f"editor-{uuid.uuid4().hex[:6]}"
    output = running_site.shell(
        "import json\n"
        "from django.contrib.auth import get_user_model\n"
        "from newsdesk.articles.models import ArticlePage\n"
        f"get_user_model().objects.create_superuser({username!r}, "
        f"'{username}@example.org', {PASSWORD!r})\n"
        "article = ArticlePage.objects.live().first()\n"
        "print(json.dumps({'id': article.pk, 'title': article.title, 'url': article.url}))\n"
    )
    return {"username": username, **json.loads(output.strip().splitlines()[-1])}


def test_the_preview_panel_shows_the_article_and_the_public_page_stays_unframable(
    running_site, page
):
    facts = _editor_and_article(running_site)
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(running_site.url + "/admin/login/")
    page.fill("input[name=username]", facts["username"])
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")

    page.goto(running_site.url + f"/admin/pages/{facts['id']}/edit/")
    page.locator("[data-side-panel-toggle='preview']").first.click()
    preview = page.frame_locator("iframe[src*='/edit/preview/']").first
    preview.locator("h1").wait_for(timeout=20_000)
    assert preview.locator("h1").inner_text().strip() == facts["title"]
    assert not [text for text in refused if "frame-ancestors" in text], refused

    # The public page itself, framed by another origin's page, is refused.
    response = page.request.get(running_site.url + facts["url"])
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
