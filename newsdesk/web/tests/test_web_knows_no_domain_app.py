"""web is the site's look: what the domain apps show in its pages comes through the slots.

``tests/site/test_layering.py`` sees imports, model labels and template tags; this also sees
what it cannot: a domain app's URL name reversed in web's Python (``reverse("articles:...")``),
a template or URL path of one written in a string, and the slots' HTML the apps fill.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.pagecache import fill, registry
from newsdesk.web.slots import late_slot_render

WEB = Path(settings.BASE_DIR) / "newsdesk" / "web"
DOMAIN_APPS = ("articles", "syndication", "funding", "discussion", "moderation", "accounts")
# "articles:search", 'articles/includes/...', "articles.NewsImage": a name of the app's own,
# written where a URL name, template or model is expected.
NAMED = re.compile(rf"""["'/]({"|".join(DOMAIN_APPS)})[:/.][A-Za-z_]""")


def web_mentions_of_domain_apps(root: Path = WEB) -> list[str]:
    found = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if path.suffix not in (".py", ".html", ".txt") or {"tests", "migrations"} & set(parts):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if NAMED.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_web_names_no_domain_apps_url_template_or_model():
    assert not web_mentions_of_domain_apps(), "\n".join(web_mentions_of_domain_apps())


def test_the_scan_finds_what_it_forbids(tmp_path):
    (tmp_path / "views.py").write_text("url = reverse('articles:sitemap')\n")
    (tmp_path / "page.html").write_text('<a href="{% url "funding:donate" %}">Give</a>\n')
    (tmp_path / "models.py").write_text('logo = ForeignKey("articles.NewsImage")\n')
    (tmp_path / "ok.py").write_text('"""Listings annotate articles: a comment count."""\n')
    assert [line.split(":")[0] for line in web_mentions_of_domain_apps(tmp_path)] == [
        "models.py",
        "page.html",
        "views.py",
    ]


def test_the_logo_is_wagtails_image_model():
    from wagtail.images import get_image_model

    from newsdesk.web.models import SiteIdentity

    field = SiteIdentity._meta.get_field("publisher_logo")
    assert field.related_model is get_image_model()


# --- what articles puts in the slots: the same HTML the base template had written out --------
def test_every_page_keeps_the_feeds_search_and_footer_links(client, article):
    html = client.get("/search/?q=<dry>").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="All articles (RSS)" '
        'href="/feeds/rss/">\n  <link rel="alternate" type="application/atom+xml" '
        'title="All articles (Atom)" href="/feeds/atom/">\n'
    ) in html
    assert (
        '<form class="masthead__search" action="/search/" method="get" role="search">\n'
        '        <label class="visually-hidden" for="masthead-q">Search</label>\n'
        '        <input id="masthead-q" type="search" name="q" placeholder="Search" '
        'value="&lt;dry&gt;">\n      </form>\n'
    ) in html
    assert ' · <a href="/feeds/rss/">RSS</a> · <a href="/feeds/atom/">Atom</a>' in html


def test_the_404_page_offers_the_search(client, db):
    html = client.get("/no/such/page/").content.decode()
    assert (
        '<p><a href="/">Go to the front page</a> or <a href="/search/">search the articles</a>.</p>'
    ) in html


def test_robots_txt_lines_in_order(client, db):
    assert client.get("/robots.txt").content.decode() == (
        "User-agent: *\nDisallow: /admin/\nDisallow: /django-admin/\nDisallow: /api/\n"
        "Disallow: /search/\n\nSitemap: http://testserver/sitemap.xml\n"
        "Sitemap: http://testserver/news-sitemap.xml\n"
    )


# --- the late slots: the page cache draws them with what web registered ----------------------
@pytest.fixture
def _fresh_rules():
    hooks.search_for_hooks()
    registry.registered_rules_reset()
    yield
    registry.registered_rules_reset()


@pytest.mark.django_db
@pytest.mark.usefixtures("_fresh_rules")
def test_web_registers_its_late_slot_renderer_and_layout_with_the_page_cache():
    assert late_slot_render in registry.registered_rules().late_slot_renderers
    assert registry.page_layout() == "web/base.html"
    request = RequestFactory().get("/")
    with hooks.register_temporarily(newsdesk_hooks.SLOT_PAGE_TOP, lambda context: "<bar>"):
        drawn = fill.late_slots_draw(request=request, names=("page_top",))
    # Drawn by the slots' renderer: a plain string is escaped, as in any slot.
    assert drawn["page_top"].endswith("&lt;bar&gt;"), drawn


@pytest.mark.django_db
@pytest.mark.usefixtures("_fresh_rules")
def test_without_web_the_page_cache_draws_no_late_slot_and_uses_its_plain_layout(monkeypatch):
    monkeypatch.setattr(registry.hooks, "get_hooks", lambda name: [])
    registry.registered_rules_reset()
    request = RequestFactory().get("/")
    assert fill.late_slots_draw(request=request, names=("page_top",)) == {"page_top": ""}
    assert registry.page_layout() == registry.PAGE_LAYOUT_DEFAULT
    html = render_to_string(
        "pagecache/refused_post.html", {"layout": registry.page_layout()}, request=request
    )
    assert "<h1>Not sent</h1>" in html and "masthead" not in html
