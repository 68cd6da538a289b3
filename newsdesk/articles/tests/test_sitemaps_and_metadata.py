"""Sitemaps, robots.txt and the metadata search engines and link previews read."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support import factories

pytestmark = pytest.mark.django_db
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "n": "http://www.google.com/schemas/sitemap-news/0.9",
}


def sitemap_locations(client, url) -> list[str]:
    root = ET.fromstring(client.get(url).content)
    return [loc.text for loc in root.findall(".//s:loc", SITEMAP_NS)]


def test_sitemap_lists_live_pages_tags_and_authors_but_not_copies(client, section):
    author = factories.make_author("Noor Haddad")
    own = factories.make_article(
        section=section, title="Own story", tags=["coast"], authors=[author]
    )
    canonical_copy = factories.make_article(
        section=section,
        title="Copy pointing home",
        outlet=factories.make_outlet(policy="canonical"),
        original_url="https://p.example/a",
    )
    indexable_copy = factories.make_article(
        section=section,
        title="Copy we may index",
        outlet=factories.make_outlet(policy="index"),
        original_url="https://p.example/b",
    )
    draft = factories.make_article(section=section, title="Draft", publish=False)

    locations = sitemap_locations(client, "/sitemap.xml")
    assert any(loc.endswith(own.url) for loc in locations)
    assert any(loc.endswith(indexable_copy.url) for loc in locations)
    assert not any(loc.endswith(canonical_copy.url) for loc in locations)
    assert not any(draft.slug in loc for loc in locations)
    assert any(loc.endswith("/tags/coast/") for loc in locations)
    assert any(loc.endswith(author.get_absolute_url()) for loc in locations)


def test_news_sitemap_has_only_the_last_48_hours(client, section):
    now = timezone.now()
    fresh = factories.make_article(
        section=section, title="Fresh & new", published_at=now - timedelta(hours=3)
    )
    factories.make_article(section=section, title="Stale", published_at=now - timedelta(hours=49))

    response = client.get("/news-sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    urls = root.findall("s:url", SITEMAP_NS)
    assert len(urls) == 1
    assert urls[0].find("s:loc", SITEMAP_NS).text.endswith(fresh.url)
    assert urls[0].find(".//n:title", SITEMAP_NS).text == "Fresh & new"
    assert urls[0].find(".//n:publication/n:name", SITEMAP_NS).text
    assert urls[0].find(".//n:language", SITEMAP_NS).text == "en"


def test_robots_txt_names_the_sitemaps(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Sitemap: http://testserver/news-sitemap.xml" in body


def jsonld_of(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def meta(html: str, key: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)


def test_article_has_news_article_jsonld_opengraph_and_twitter_tags(client, section):
    author = factories.make_author("Ravi Menon")
    article = factories.make_article(
        section=section,
        title="Grid upgrade approved",
        standfirst="The new lines open in May.",
        lead_image=factories.make_image(),
        authors=[author],
        tags=["energy"],
    )
    html = client.get(article.url).content.decode()
    data = jsonld_of(html)

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Grid upgrade approved"
    assert data["author"][0]["name"] == "Ravi Menon"
    assert data["datePublished"].startswith(str(article.first_published_at.year))
    assert data["image"][0].startswith("http://testserver/media/")
    assert data["articleSection"] == section.title
    assert "isBasedOn" not in data
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == ["Grid upgrade approved"]
    assert meta(html, "og:description") == ["The new lines open in May."]
    assert meta(html, "og:image")[0].startswith("http://testserver/media/")
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert meta(html, "article:tag") == ["energy"]
    assert re.search(r'<link rel="canonical" href="http://localhost/[^"]*grid-upgrade', html)


@pytest.mark.parametrize(
    ("policy", "canonical_to_original", "noindex"),
    [("canonical", True, False), ("noindex", False, True), ("index", False, False)],
)
def test_republished_article_follows_the_outlets_agreement(
    client, section, policy, canonical_to_original, noindex
):
    outlet = factories.make_outlet("Harbor Ledger", policy=policy)
    article = factories.make_article(
        section=section, outlet=outlet, original_url="https://partner.example/original"
    )
    html = client.get(article.url).content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)

    assert (canonical == "https://partner.example/original") is canonical_to_original
    assert ('content="noindex' in html) is noindex
    based_on = jsonld_of(html)["isBasedOn"]
    assert based_on["url"] == "https://partner.example/original"
    assert based_on["publisher"]["name"] == "Harbor Ledger"


def test_jsonld_cannot_be_closed_by_article_text(client, section):
    article = factories.make_article(section=section, title="</script><script>alert(1)</script>")
    html = client.get(article.url).content.decode()
    assert "</script><script>alert(1)" not in html
    assert jsonld_of(html)["headline"] == "</script><script>alert(1)</script>"
