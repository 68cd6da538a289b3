"""The demo's footer pages: About, Contact, Privacy, Corrections and Moderation policy."""

import io
import re

from newsdesk.demo import pages
from newsdesk.web.models import InfoPage


def test_the_footer_pages_are_published_and_linked_from_every_page(demo_db, client):
    live = InfoPage.objects.live().filter(show_in_footer=True).order_by("path")
    assert [p.title for p in live] == [spec.title for spec in pages.PAGES]
    assert "Footer pages: 5 added" in demo_db.output

    front = client.get("/").content.decode()
    footer = re.search(r'<nav class="site-footer__nav".*?</nav>', front, re.S).group(0)
    for page in live:
        assert f'<a href="{page.url}">{page.title}</a>' in footer
        html = client.get(page.url).content.decode()
        assert f'<h1 class="info-page__title">{page.title}</h1>' in html


def test_a_reload_keeps_an_editors_changes_and_adds_nothing(demo_db):
    about = InfoPage.objects.get(slug="about")
    about.title = "About The Lantern"
    about.save_revision().publish()

    output = io.StringIO()
    pages.load(stdout=output)

    assert "0 added, 5 already there" in output.getvalue()
    assert InfoPage.objects.get(slug="about").title == "About The Lantern"
    assert InfoPage.objects.count() == 5
