"""The frame every page shares: the footer's links to the site's own pages (editable
information pages), the favicon, and what they cost."""

import re

import pytest
from django.contrib.staticfiles import finders
from wagtail.models import PageViewRestriction

from newsdesk.articles.models import HomePage
from newsdesk.web.context_processors import footer_pages_get
from newsdesk.web.models import InfoPage
from tests.support import factories

pytestmark = pytest.mark.django_db


def info_page(home, title: str, *, body: str = "<p>Who we are.</p>", **fields) -> InfoPage:
    page = InfoPage(title=title, body=body, **fields)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def footer_links(html: str) -> list[tuple[str, str]]:
    match = re.search(r'<nav class="site-footer__nav".*?</nav>', html, re.S)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', match.group(0)) if match else []


def test_footer_links_every_live_public_page_chosen_for_it_in_tree_order(client, home):
    about = info_page(home, "About us")
    info_page(home, "Old notice", show_in_footer=False)
    contact = info_page(home, "Contact")
    draft = info_page(home, "Draft page")
    draft.unpublish()
    private = info_page(home, "Staff handbook")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    for path in ("/", "/search/?q=dams", "/no/such/page/"):
        html = client.get(path).content.decode()
        assert footer_links(html) == [(about.url, "About us"), (contact.url, "Contact")], path


def test_an_info_page_shows_its_title_and_body_in_the_sites_layout(client, home):
    page = info_page(home, "Moderation policy", body="<h2>What we remove</h2><p>Threats.</p>")

    html = client.get(page.url).content.decode()

    assert '<h1 class="info-page__title">Moderation policy</h1>' in html
    assert "<h2>What we remove</h2><p>Threats.</p>" in html
    assert 'class="masthead"' in html and 'class="site-footer"' in html


def test_editors_can_add_info_pages_under_the_front_page_only(home):
    assert InfoPage in HomePage.allowed_subpage_models()
    assert InfoPage.allowed_subpage_models() == []
    assert InfoPage.can_create_at(home)


def test_a_published_info_page_joins_the_footer_of_cached_pages_at_once(client, home, settings):
    settings.PAGECACHE_ENABLED = True
    settings.PAGECACHE_CLOCK_MARGIN = 0  # one machine: a page rendered just now is reusable
    first = client.get("/")
    assert first.status_code == 200 and footer_links(first.content.decode()) == []
    assert client.get("/")["X-Page-Cache"] == "hit"

    about = info_page(home, "About us")

    assert footer_links(client.get("/").content.decode()) == [(about.url, "About us")]
    about.title = "About The Lantern"
    about.save_revision().publish()
    assert footer_links(client.get("/").content.decode()) == [(about.url, "About The Lantern")]
    about.unpublish()
    assert footer_links(client.get("/").content.decode()) == []


def test_the_footer_costs_no_query_once_read(client, home, django_assert_num_queries):
    """Kept per process, so it adds nothing to any page's query budget."""
    info_page(home, "About us")
    info_page(home, "Contact")
    footer_pages_get(root_page_id=home.pk)
    with django_assert_num_queries(0):
        pages = footer_pages_get(root_page_id=home.pk)
    assert [p.title for p in pages] == ["About us", "Contact"]


def test_favicon_ico_is_served_at_the_root_and_kept(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert "max-age=86400" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_every_page_names_its_icons_and_they_exist(client, article):
    html = client.get(article.url).content.decode()

    svg = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert svg and svg.group(1).endswith("web/favicon.svg")
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html
    for name in ("web/favicon.svg", "web/favicon.ico", "web/apple-touch-icon.png"):
        assert finders.find(name), name
    with open(finders.find("web/favicon.svg")) as svg_file:
        assert svg_file.read().startswith("<svg")


def test_info_pages_stay_out_of_the_sections_menu(client, home):
    info_page(home, "About us")
    factories.make_section("World", home=home)

    html = client.get("/").content.decode()

    nav = re.search(r'<nav class="sections-nav".*?</nav>', html, re.S).group(0)
    assert ">World<" in nav and "About us" not in nav
