"""No e-mail address ever reaches a public page, feed or API response.

Readers (one whose username is an e-mail address), guests who gave an address for reply
e-mails, a guest who typed an address as their name, subscribers and donors with wall names
all take part; then every public page is fetched as an anonymous visitor and searched for
each address. The names that should show are checked too, so the pages really show them.
"""

import re

import pytest
from django.test import Client

from newsdesk.accounts.tests import helpers as h
from tests.support.factories import make_article, make_author

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "maya.reads@example.org",
    "quinn@example.net",
    "wren.guest@example.com",
    "otto.guest@example.com",
    "subscriber.sam@example.org",
    "ivy.donor@example.org",
    "monthly.mo@example.org",
]


@pytest.fixture
def seeded(section):
    author = make_author("Rosa Field")
    article = make_article(
        section=section,
        title="Reservoirs at record lows",
        body_text="The reservoirs of the plain hold a fifth of their usual water.",
        tags=["drought"],
        authors=[author],
    )
    maya = h.make_reader("maya_reads", email="maya.reads@example.org")
    quinn = h.make_reader("quinn@example.net", email="quinn@example.net")
    first = h.post(article, h.reader_of(maya), "Maya: the plain has seen this before, in 1976.")
    h.post(article, h.reader_of(quinn), "Quinn: and rationing followed.", parent=first)
    wren = h.post(
        article,
        h.guest_reader(),
        "Wren: our well dropped a metre.",
        name="Wren",
        email="wren.guest@example.com",
        parent=first,
    )
    h.post(article, h.guest_reader(), "Otto: same here.", name="otto.guest@example.com")
    h.subscribe(wren, email="subscriber.sam@example.org")
    campaign = h.make_campaign()
    h.give(campaign, email="ivy.donor@example.org", name="Ivy Q.", message="For the water desk")
    h.monthly_gift(campaign, email="monthly.mo@example.org", name="Mo")
    return {"article": article, "section": section, "author": author}


def _public_urls(client, seeded) -> list[str]:
    article, section, author = seeded["article"], seeded["section"], seeded["author"]
    urls = [
        "/",
        section.url,
        article.url,
        f"{article.url}?sort=newest",
        "/tags/drought/",
        f"/authors/{author.slug}/",
        "/search/?q=reservoirs",
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/{section.slug}/rss/",
        f"/feeds/{section.slug}/atom/",
        "/news-sitemap.xml",
        "/sitemap.xml",
        "/donate/",
        "/donate/wall/",
        f"/api/threads/{article.pk}",
        "/api/openapi.json",
        "/api/docs",
    ]
    index = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", index)
    urls += [re.sub(r"^https?://[^/]+", "", location) for location in locations]
    return urls


def test_no_public_page_feed_or_api_response_shows_an_email_address(seeded):
    client = Client()
    urls = _public_urls(client, seeded)
    assert len(urls) > 18  # the sitemap index named its sitemaps

    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
        for address in ADDRESSES:
            assert address not in pages[url].lower(), f"{address} in {url}"

    thread = pages[seeded["article"].url]
    for shown in ("maya_reads", "quinn", "Wren", "otto", "and rationing followed"):
        assert shown in thread
    api = pages[f"/api/threads/{seeded['article'].pk}"]
    assert "maya_reads" in api and '"quinn"' in api
    assert "Ivy Q." in pages["/donate/wall/"] and "For the water desk" in pages["/donate/wall/"]
    assert "Reservoirs at record lows" in pages["/feeds/rss/"]


def test_cached_copies_show_no_address_either(seeded):
    client = Client()
    article_url = seeded["article"].url
    first = client.get(article_url)
    second = client.get(article_url)

    assert first.status_code == second.status_code == 200
    for address in ADDRESSES:
        assert address not in second.content.decode().lower()
