"""RSS and Atom feeds, read with feedparser as a feed reader would."""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_articles(section):
    image = factories.make_image(caption="Harbour at night")
    author = factories.make_author("Lena Brandt")
    now = timezone.now()
    lead = factories.make_article(
        section=section,
        title="Harbour strike ends",
        standfirst="Dockers vote to return.",
        body=[
            ("paragraph", '<p>The vote was close. <a href="/world/">More world news</a></p>'),
            ("image", {"image": image, "caption": "", "alignment": "full"}),
        ],
        lead_image=image,
        authors=[author],
        tags=["labour", "ports"],
        published_at=now - timedelta(hours=1),
    )
    older = factories.make_article(
        section=section, title="Older story", published_at=now - timedelta(days=2)
    )
    return lead, older


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_site_feed_has_full_text_authors_tags_and_lead_image(client, world_articles, url):
    lead, _older = world_articles
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)

    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Harbour strike ends", "Older story"]
    entry = feed.entries[0]
    assert entry.link.endswith(lead.url)
    assert entry.author == "Lena Brandt"
    assert {tag.term for tag in entry.tags} == {"labour", "ports"}
    content = entry.content[0].value
    assert "The vote was close." in content
    # Links in the full text are absolute, so a feed reader can follow them.
    assert 'href="http://testserver/world/"' in content
    assert 'src="http://testserver/media/' in content
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.type == "image/jpeg"
    assert enclosure.href.startswith("http://testserver/media/")
    assert int(enclosure.length) > 0


def test_enclosure_is_a_real_image(client, world_articles):
    feed = feedparser.parse(client.get("/feeds/rss/").content)
    enclosure = next(link for link in feed.entries[0].links if link.rel == "enclosure")
    path = enclosure.href.removeprefix("http://testserver")
    image_response = client.get(path)
    assert image_response.status_code == 200
    assert b"".join(image_response.streaming_content)[:3] == b"\xff\xd8\xff"  # JPEG


def test_section_feed_lists_only_that_section(client, world_articles):
    other = factories.make_section("Science")
    factories.make_article(section=other, title="Comet seen")
    lead, _ = world_articles
    section = lead.get_parent()

    feed = feedparser.parse(client.get(f"/feeds/{section.slug}/rss/").content)
    assert [e.title for e in feed.entries] == ["Harbour strike ends", "Older story"]
    assert section.title in feed.feed.title
    atom = feedparser.parse(client.get(f"/feeds/{other.slug}/atom/").content)
    assert [e.title for e in atom.entries] == ["Comet seen"]
    assert client.get("/feeds/no-such-section/rss/").status_code == 404


def test_republished_article_in_feed_credits_the_outlet(client, section):
    outlet = factories.make_outlet("Harbor Ledger")
    factories.make_article(
        section=section,
        title="Shared story",
        outlet=outlet,
        original_url="https://partner.example/shared",
    )
    entry = feedparser.parse(client.get("/feeds/rss/").content).entries[0]
    assert "Originally appeared at" in entry.content[0].value
    assert "https://partner.example/shared" in entry.content[0].value


def test_feed_escapes_markup_in_titles(client, section):
    factories.make_article(section=section, title="Tom & Jerry <script>alert(1)</script>")
    raw = client.get("/feeds/rss/").content.decode()
    assert "<script>" not in raw
    entry = feedparser.parse(raw).entries[0]
    assert entry.title == "Tom & Jerry <script>alert(1)</script>"
