"""The public pages: front, section, article, tag, author, search; drafts stay hidden."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.articles.models import HomePage
from tests.support import factories

pytestmark = pytest.mark.django_db


ARTICLE_PARTS = {"headline", "attribution", "body", "corrections"}


def parts_in_order(html: str) -> list[str]:
    """The article's own parts, in page order (other apps' slots left out)."""
    return [p for p in re.findall(r'data-part="([^"]+)"', html) if p in ARTICLE_PARTS]


def test_article_page_shows_headline_byline_body_tags_and_corrections(client, section):
    author = factories.make_author("Mara Quist")
    image = factories.make_image(caption="Ferry at dawn", credit="Illustration: Test")
    article = factories.make_article(
        section=section,
        title="Ferries return to the northern route",
        standfirst="Crossings resume after a winter pause.",
        lead_image=image,
        authors=[author],
        tags=["ferries", "transport"],
        body=[
            ("paragraph", "<p>The first boat left at six.</p>"),
            ("heading", {"text": "What changes", "level": "h2"}),
            ("image", {"image": image, "caption": "The quay, rebuilt", "alignment": "full"}),
            ("quote", {"quote": "We waited all winter.", "attribution": "A commuter"}),
        ],
    )
    from newsdesk.articles.services import correction_add

    correction_add(article=article, text="An earlier version gave the wrong departure time.")

    html = client.get(article.url).content.decode()

    assert "<h1" in html and "Ferries return to the northern route" in html
    assert "Crossings resume after a winter pause." in html
    assert 'href="/authors/' in html and "Mara Quist" in html
    assert "The first boat left at six." in html
    assert "<h2>What changes</h2>" in html
    assert "The quay, rebuilt" in html  # the body image's own caption
    assert "Ferry at dawn" in html  # the lead image's caption
    assert "Illustration: Test" in html
    assert "<blockquote" in html and "A commuter" in html
    assert 'href="/tags/ferries/"' in html
    assert "An earlier version gave the wrong departure time." in html
    assert parts_in_order(html) == ["headline", "body", "corrections"]


def test_republished_article_credits_the_outlet_before_the_body(client, section):
    outlet = factories.make_outlet("Harbor Ledger")
    article = factories.make_article(
        section=section, outlet=outlet, original_url="https://partner.example/story-1"
    )
    html = client.get(article.url).content.decode()

    match = re.search(r'data-part="attribution">(.*?)</p>', html, re.S)
    assert match, "no attribution line"
    assert "Originally appeared at" in match.group(1)
    assert 'href="https://partner.example/story-1"' in match.group(1)
    assert "Harbor Ledger" in match.group(1)
    assert parts_in_order(html) == ["headline", "attribution", "body"]


def test_own_article_has_no_attribution(client, article):
    html = client.get(article.url).content.decode()
    assert "Originally appeared" not in html


def test_front_page_has_lead_latest_and_a_block_per_section(
    client, home, django_assert_max_num_queries
):
    world = factories.make_section("World")
    science = factories.make_section("Science")
    now = timezone.now()
    for i in range(6):
        factories.make_article(
            section=world,
            title=f"World story {i}",
            published_at=now - timedelta(hours=i + 1),
            lead_image=factories.make_image() if i % 2 else None,
            tags=["common"],
            authors=[factories.make_author()],
        )
        factories.make_article(
            section=science, title=f"Science story {i}", published_at=now - timedelta(hours=i + 10)
        )
    lead = factories.make_article(
        section=science, title="Chosen lead story", published_at=now - timedelta(days=3)
    )
    HomePage.objects.filter(pk=home.pk).update(lead_article=lead)

    client.get("/")  # the first view makes the image renditions
    # 18, and one for discussion's "Most discussed" (its slot on the front page).
    with django_assert_max_num_queries(19):
        html = client.get("/").content.decode()

    lead_block = html.split('data-part="lead-story"')[1].split("</section>")[0]
    assert "Chosen lead story" in lead_block
    assert "World story 0" in html  # the newest is in Latest
    blocks = re.findall(r'<section class="section-block".*?</section>', html, re.S)
    assert len(blocks) == 2
    world_block = next(b for b in blocks if ">World<" in b)
    # Four newest per section (the home page's setting), newest first.
    assert re.findall(r"World story \d", world_block) == [f"World story {i}" for i in range(4)]


def test_front_page_queries_do_not_grow_with_articles(client, home, django_assert_num_queries):
    """A listing loads its articles in a fixed number of queries, however many there are."""
    section = factories.make_section("Economy")

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get("/")  # renditions are made on the first view
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    for _ in range(2):  # a lead story and one in Latest: every listing has something
        factories.make_article(
            section=section,
            tags=["a"],
            authors=[factories.make_author()],
            lead_image=factories.make_image(),
        )
    few = count_queries()
    for _ in range(12):
        factories.make_article(
            section=factories.make_section(),
            tags=["a", "b"],
            authors=[factories.make_author()],
            lead_image=factories.make_image(),
        )
    many = count_queries()
    assert many == few


def test_section_page_lists_its_articles_newest_first_and_pages(client, section):
    other = factories.make_section("Elsewhere")
    now = timezone.now()
    for i in range(23):
        factories.make_article(
            section=section, title=f"Item {i:02d}", published_at=now - timedelta(minutes=i)
        )
    factories.make_article(section=other, title="Not in this section")

    first = client.get(section.url).content.decode()
    assert re.findall(r"Item \d\d", first)[:3] == ["Item 00", "Item 01", "Item 02"]
    assert "Not in this section" not in first
    second = client.get(section.url + "?page=2").content.decode()
    assert re.findall(r"Item \d\d", second) == ["Item 20", "Item 21", "Item 22"]
    assert client.get(section.url + "?page=abc").status_code == 200


def test_tag_and_author_pages_list_only_their_articles(client, section):
    author = factories.make_author("Ines Varga")
    tagged = factories.make_article(
        section=section, title="Tagged one", tags=["harbour"], authors=[author]
    )
    factories.make_article(section=section, title="Untagged one")

    tag_html = client.get("/tags/harbour/").content.decode()
    assert tagged.title in tag_html and "Untagged one" not in tag_html

    author_html = client.get(author.get_absolute_url()).content.decode()
    assert "Ines Varga" in author_html and tagged.title in author_html
    assert "Untagged one" not in author_html

    assert client.get("/tags/no-such-tag/").status_code == 404
    assert client.get("/authors/nobody/").status_code == 404


def test_search_finds_live_articles_by_words_of_their_body(client, section):
    factories.make_article(
        section=section,
        title="Salt marsh survey",
        body_text="Herons returned to the estuary this spring.",
    )
    factories.make_article(section=section, title="Budget vote", body_text="Nothing about birds.")
    factories.make_article(
        section=section, title="Draft about herons", body_text="Herons again.", publish=False
    )

    html = client.get("/search/", {"q": "herons"}).content.decode()
    assert "Salt marsh survey" in html
    assert "Budget vote" not in html
    assert "Draft about herons" not in html
    assert client.get("/search/", {"q": ""}).status_code == 200
    assert client.get("/search/", {"q": "x" * 5000}).status_code == 200


def test_drafts_and_scheduled_articles_are_invisible(client, section):
    draft = factories.make_article(section=section, title="Unfinished draft", publish=False)
    scheduled = factories.make_article(
        section=section,
        title="Tomorrow's story",
        publish=False,
        go_live_at=timezone.now() + timedelta(days=1),
    )
    assert not scheduled.live
    for page in (draft, scheduled):
        assert client.get(page.url or f"{section.url}{page.slug}/").status_code == 404
    for url in [
        "/",
        section.url,
        "/search/?q=story",
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/{section.slug}/rss/",
        "/sitemap.xml",
        "/news-sitemap.xml",
    ]:
        body = client.get(url).content.decode()
        assert "Unfinished draft" not in body, url
        assert "Tomorrow" not in body and "tomorrows-story" not in body, url


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_every_page_advertises_the_feeds(client, article):
    for url in ["/", article.url, article.get_parent().url, "/search/?q=a"]:
        html = client.get(url).content.decode()
        assert 'rel="alternate" type="application/rss+xml"' in html, url
        assert 'rel="alternate" type="application/atom+xml"' in html, url


def test_card_shows_the_first_body_image_when_there_is_no_lead_image(client, section):
    image = factories.make_image(title="Quay picture")
    factories.make_article(
        section=section,
        title="Picture inside the body",
        body=[
            ("paragraph", "<p>First.</p>"),
            ("image", {"image": image, "caption": "The quay", "alignment": "full"}),
        ],
    )
    html = client.get(section.url).content.decode()
    card = re.search(r'<article class="card.*?</article>', html, re.S).group(0)
    assert "Picture inside the body" in card
    assert '<img class="card__image"' in card


def test_backdated_article_is_not_shown_as_updated(client, section):
    published = timezone.now() - timedelta(days=3)
    article = factories.make_article(section=section, published_at=published)
    assert article.first_published_at == published
    assert article.last_published_at == published
    assert "Updated" not in client.get(article.url).content.decode()
