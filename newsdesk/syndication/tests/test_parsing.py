"""Reading feed documents: every dialect, JSON Feed, and the documents we refuse."""

import json

import pytest

from newsdesk.syndication.parsing import FeedParseError, feed_parse
from tests.support.fixtures import shared_fixture

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://example.com/a</link></item></channel></rss>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel rdf:about="http://partner.example/"><title>Partner</title>
  <link>http://partner.example/</link><description>d</description></channel>
 <item rdf:about="http://partner.example/stories/1">
  <title>Dam opens its gates</title><link>http://partner.example/stories/1</link>
  <description>The &lt;b&gt;water&lt;/b&gt; level fell.</description>
  <dc:creator>Ines Varga</dc:creator><dc:date>2024-03-02T10:15:00+01:00</dc:date>
 </item>
</rdf:RDF>"""


def test_rss_1_0_is_read_with_author_and_date():
    feed = feed_parse(body=RSS_10, url="http://partner.example/rss")

    assert feed.format == "rss10"
    [item] = feed.items
    assert item.title == "Dam opens its gates"
    assert item.link == "http://partner.example/stories/1"
    assert item.authors == ("Ines Varga",)
    assert item.published.isoformat() == "2024-03-02T09:15:00+00:00"
    assert "<b>water</b>" in item.summary_html


def test_atom_with_relative_links_resolves_against_the_feed_address():
    body = shared_fixture("feeds/real/feedjira-SamRuby.xml").read_bytes()

    feed = feed_parse(body=body, url="http://intertwingly.net/blog/index.atom")

    assert feed.format == "atom10" and len(feed.items) == 20
    assert feed.items[0].link == "http://intertwingly.net/blog/2013/01/30/Plex"
    assert not feed.warning  # the leading blank line no longer defeats the strict parser


def test_json_feed_is_read_by_hand():
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Partner JSON",
        "home_page_url": "https://partner.example/",
        "authors": [{"name": "The Desk"}],
        "items": [
            {
                "id": "42",
                "url": "/stories/42",
                "title": "  Tram line extended  ",
                "content_html": '<p>See <a href="/map">the map</a>.</p>',
                "summary": "Four new stops.",
                "image": "/img/tram.jpg",
                "date_published": "2024-05-01T08:00:00Z",
                "authors": [{"name": "Ola Berg"}, {"name": "ola@partner.example"}],
            },
            {"id": 43, "url": "https://partner.example/stories/43", "content_text": "Hi\n\nThere"},
            "not an item",
        ],
    }

    feed = feed_parse(
        body=json.dumps(document).encode(),
        url="https://partner.example/feed.json",
        content_type="application/feed+json",
    )

    assert feed.format == "json1.1" and feed.title == "Partner JSON"
    first, second = feed.items
    assert first.guid == "42" and first.link == "https://partner.example/stories/42"
    assert first.title == "Tram line extended"
    assert first.authors == ("Ola Berg",)  # an address is never kept as a name
    assert first.image_urls == ("https://partner.example/img/tram.jpg",)
    assert first.published.isoformat() == "2024-05-01T08:00:00+00:00"
    assert second.guid == "43" and second.content_html == "<p>Hi</p><p>There</p>"
    assert second.authors == ("The Desk",) and second.published is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"version": "1", "items": []}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1"}', "no list of items"),
    ],
)
def test_a_broken_json_feed_is_a_clear_error(body, message):
    with pytest.raises(FeedParseError, match=message):
        feed_parse(body=body, url="https://partner.example/feed.json")


def test_an_entity_expansion_attack_is_refused_before_parsing():
    with pytest.raises(FeedParseError, match=r"declares XML entities"):
        feed_parse(body=BILLION_LAUGHS, url="http://partner.example/rss")


def test_an_entity_attack_in_utf16_is_refused_too():
    body = BILLION_LAUGHS.replace(b'version="1.0"?>', b'version="1.0" encoding="UTF-16"?>')
    with pytest.raises(FeedParseError, match=r"declares XML entities"):
        feed_parse(body=b"\xff\xfe" + body.decode().encode("utf-16-le"), url="http://p.example/")


def test_an_external_entity_is_refused():
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><title>&xxe;</title></channel></rss>'
    )
    with pytest.raises(FeedParseError, match=r"declares XML entities"):
        feed_parse(body=body, url="http://partner.example/rss")


def test_a_plain_doctype_is_accepted():
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel>'
        b"<title>Old</title><link>http://p.example/</link><description>d</description>"
        b"<item><title>One</title><link>http://p.example/1</link></item></channel></rss>"
    )
    assert [i.title for i in feed_parse(body=body, url="http://p.example/").items] == ["One"]


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Half</ti',
        b"<html><body><p>Not a feed</p></body></html>",
        b"   ",
        b"\x89PNG\r\n\x1a\n\x00\x00",
    ],
)
def test_what_is_not_a_feed_is_a_clear_error(body):
    with pytest.raises(FeedParseError, match=r"(not a readable feed|not an RSS|empty)"):
        feed_parse(body=body, url="http://partner.example/rss")


def test_a_truncated_feed_keeps_its_complete_items_with_a_warning():
    body = shared_fixture("feeds/real/feedjira-InvalidDateFormat.xml").read_bytes()

    feed = feed_parse(body=body, url="http://example.com/rss")

    assert len(feed.items) == 2
    assert "not well-formed" in feed.warning


def test_rss_author_addresses_are_dropped():
    body = (
        b'<rss version="2.0"><channel><title>x</title><item><title>t</title>'
        b"<link>http://p.example/1</link><author>desk@p.example (Ana Ruiz)</author></item>"
        b"<item><title>u</title><link>http://p.example/2</link>"
        b"<author>only@p.example</author></item></channel></rss>"
    )
    first, second = feed_parse(body=body, url="http://p.example/").items
    assert first.authors == ("Ana Ruiz",)
    assert second.authors == ()
