"""An issue rendered as e-mail (``rendering.py``) and as its web page, and the archive."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.newsletters.rendering import (
    NAME,
    PREFERENCES_URL,
    UNSUBSCRIBE_URL,
    issue_render,
    issue_render_for,
    rich_text_as_text,
)
from newsdesk.newsletters.tests import issue_factories
from tests.support import factories

pytestmark = pytest.mark.django_db


def _picks(section, count: int, *, images: bool = True):
    return [
        factories.make_article(
            section=section,
            title=f"Story {n} about the river",
            standfirst=f"What happened to the river, part {n}.",
            lead_image=factories.make_image(f"Picture {n}") if images else None,
        )
        for n in range(count)
    ]


def test_the_mail_carries_the_picks_placeholders_and_the_ask(section):
    articles = _picks(section, 2)
    issue = issue_factories.issue(
        title="The river edition", articles=articles, preheader="Two stories about water"
    )
    rendered = issue_render(issue=issue)

    assert rendered.subject == "The river edition"
    assert rendered.preheader == "Two stories about water"
    for part in (rendered.html, rendered.text):
        assert UNSUBSCRIBE_URL in part and PREFERENCES_URL in part and NAME in part
    # A table layout 600 pixels wide, styles inlined (no class left to a <style> rule).
    assert 'width="600"' in rendered.html
    assert 'role="presentation"' in rendered.html
    assert re.search(r'<h1 class="title" style="[^"]*font-size: 28px', rendered.html)
    # Absolute addresses: each story, its picture (a JPEG rendition 560 wide), the donate page.
    for article in articles:
        assert f'href="http://127.0.0.1:8000{article.url}"' in rendered.html
        assert article.title in rendered.html and article.standfirst in rendered.html
    images = re.findall(r'<img [^>]*src="([^"]+)"[^>]*>', rendered.html)
    assert len(images) == 2
    assert all(src.startswith("http://127.0.0.1:8000/") and ".jpg" in src for src in images)
    assert all('alt="Picture' in tag for tag in re.findall(r"<img [^>]*>", rendered.html))
    assert 'width="560"' in rendered.html
    assert 'href="http://127.0.0.1:8000/donate/"' in rendered.html
    assert "Give now" in rendered.html
    assert "Two stories about water" in rendered.html  # the preheader, hidden in the body


def test_the_text_part_is_written_as_text(section):
    articles = _picks(section, 2, images=False)
    issue = issue_factories.issue(
        articles=articles, intro='<p>Hello <a href="https://example.org/x">there</a>.</p>'
    )
    text = issue_render(issue=issue).text

    assert "<" not in text.replace("<http", "")
    assert "Hello there (https://example.org/x)." in text
    for article in articles:
        block = f"{section.title.upper()}: {article.title}\n{article.standfirst}\n"
        assert block + f"http://127.0.0.1:8000{article.url}" in text
    assert "Give now: http://127.0.0.1:8000/donate/" in text
    assert f"Unsubscribe from Daily: {UNSUBSCRIBE_URL}" in text


def test_per_recipient_parts_are_filled_in_and_escaped_in_html(section):
    issue = issue_factories.issue(articles=_picks(section, 1, images=False))
    rendered = issue_render(issue=issue)
    html, text = issue_render_for(
        rendered=rendered,
        name="Ann <Lee>",
        unsubscribe_url="https://news.example/u/t0k/daily/?a=1&b=2",
        preferences_url="https://news.example/p/t0k/",
    )
    assert "{{" not in html and "{{" not in text
    assert 'href="https://news.example/u/t0k/daily/?a=1&amp;b=2"' in html
    assert "Dear Ann &lt;Lee&gt;," in html
    assert "Dear Ann <Lee>," in text
    assert "https://news.example/u/t0k/daily/?a=1&b=2" in text
    nameless, _ = issue_render_for(
        rendered=rendered, name="", unsubscribe_url="u", preferences_url="p"
    )
    assert "Dear reader," in nameless


def test_a_pick_no_longer_live_is_left_out(section):
    kept, withdrawn = _picks(section, 2, images=False)
    issue = issue_factories.issue(articles=[kept, withdrawn])
    withdrawn.unpublish()
    rendered = issue_render(issue=issue)
    assert kept.title in rendered.html
    assert withdrawn.title not in rendered.html and withdrawn.title not in rendered.text


def test_rendering_costs_the_same_queries_whatever_the_number_of_picks(section):
    few = issue_factories.issue(articles=_picks(section, 1))
    many = issue_factories.issue(articles=_picks(section, 6))
    # Renditions are made the first time a picture is used; what is counted is a send's
    # rendering once they exist.
    issue_render(issue=few)
    issue_render(issue=many)
    counts = []
    for issue in (few, many):
        with CaptureQueriesContext(connection) as queries:
            issue_render(issue=issue)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10


def test_rich_text_as_text_lays_out_lists_and_links():
    text = rich_text_as_text(
        '<p>One <b>bold</b> line.</p><ul><li>first</li><li><a href="/x/">second</a></li></ul>'
    )
    assert text == "One bold line.\n\n- first\n- second (http://127.0.0.1:8000/x/)"


# --- the web: the issue's page and the archive ------------------------------------------------
def test_the_issue_page_shows_the_picks_and_the_ask(client, section):
    articles = _picks(section, 2)
    issue = issue_factories.issue(
        title="The river edition", articles=articles, intro="<p>Good morning.</p>"
    )
    response = client.get(issue.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1" in page and "The river edition" in page and "Good morning." in page
    for article in articles:
        assert f'href="{article.url}"' in page
        assert article.title in page and article.standfirst in page
    assert page.count('class="card__image"') == 2
    assert 'href="/donate/"' in page and "Give now" in page
    assert "<main" in page  # the site's frame


def test_the_issue_page_is_cached_and_outdated_when_republished(client, section, settings):
    settings.PAGECACHE_CLOCK_MARGIN = 0  # the page is rendered right after its publication
    issue = issue_factories.issue(articles=_picks(section, 1, images=False))
    assert client.get(issue.url)["X-Page-Cache"] != "hit"
    assert client.get(issue.url)["X-Page-Cache"] == "hit"
    issue.title = "A corrected subject"
    issue.save_revision().publish()
    response = client.get(issue.url)
    assert response["X-Page-Cache"] != "hit"
    assert "A corrected subject" in response.content.decode()


def test_the_archive_lists_published_issues_newest_first_and_pages(client, section, settings):
    settings.PAGECACHE_ENABLED = False
    older = issue_factories.issue(title="Older issue")
    newer = issue_factories.issue(title="Newer issue", list_slug="weekly")
    issue_factories.issue(title="A draft issue", publish=False)
    archive = issue_factories.archive_page()
    page = client.get(archive.url).content.decode()
    assert page.index("Newer issue") < page.index("Older issue")
    assert "A draft issue" not in page
    assert f'href="{newer.url}"' in page and f'href="{older.url}"' in page
    assert "Daily" in page and "Weekly" in page  # the lists readers may join
    # The sign-up box once, in the page's content (the footer leaves its own out here).
    assert page.count('action="/newsletter/subscribe/"') == 1
    assert page.index('action="/newsletter/subscribe/"') < page.index("Past issues")

    archive.issues_per_page = 1
    type(archive).issues_per_page = 1
    try:
        second = client.get(archive.url + "?page=2").content.decode()
    finally:
        type(archive).issues_per_page = 20
    assert "Older issue" in second and "Newer issue" not in second
    assert 'rel="prev"' in second


@pytest.mark.parametrize("size", [2, 12])
def test_query_budgets_of_the_archive_and_an_issue(
    client, section, settings, size, django_assert_max_num_queries
):
    settings.PAGECACHE_ENABLED = False
    articles = _picks(section, size)
    issues = [issue_factories.issue(articles=articles) for _ in range(size)]
    archive = issue_factories.archive_page()
    for url in (archive.url, issues[0].url):
        client.get(url)  # renditions and settings rows are made on the first visit
    with django_assert_max_num_queries(12):
        assert client.get(archive.url).status_code == 200
    # The same budget at both sizes: Wagtail's routing (a query per level), the picks with
    # their relations, the comment counts, the campaign's pitch, the frame.
    with django_assert_max_num_queries(20):
        assert client.get(issues[0].url).status_code == 200


def test_the_footer_names_the_newsroom_and_its_address(section, settings):
    from newsdesk.web.models import SiteIdentity

    settings.NEWSLETTER_POSTAL_ADDRESS = "12 Quay Street\\nRivertown RT1 2AB"
    identity = SiteIdentity.load()
    identity.publisher_name = "The Lantern Cooperative"
    identity.save()
    rendered = issue_render(issue=issue_factories.issue(articles=_picks(section, 1, images=False)))
    assert "The Lantern Cooperative<br>12 Quay Street<br>Rivertown RT1 2AB" in rendered.html
    assert "The Lantern Cooperative\n12 Quay Street\nRivertown RT1 2AB" in rendered.text
