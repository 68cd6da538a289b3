"""The front page shows its lead story once; an article lists related stories (one query) and
share links that are plain links to the article's own address."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsdesk.articles import selectors
from newsdesk.articles.models import HomePage
from tests.support import factories

pytestmark = pytest.mark.django_db


def _blocks(html: str) -> dict[str, str]:
    blocks = re.findall(r'<section class="section-block".*?</section>', html, re.S)
    return {re.search(r'<a href="[^"]+">([^<]+)</a></h2>', b).group(1): b for b in blocks}


def test_the_newest_lead_is_not_repeated_and_its_block_still_holds_four(client, home):
    world = factories.make_section("World")
    now = timezone.now()
    for i in range(6):
        factories.make_article(
            section=world, title=f"World story {i}", published_at=now - timedelta(hours=i)
        )

    html = client.get("/").content.decode()

    lead = html.split('data-part="lead-story"')[1].split("</section>")[0]
    assert "World story 0" in lead
    block = _blocks(html)["World"]
    assert re.findall(r"World story \d", block) == [f"World story {i}" for i in (1, 2, 3, 4)]


def test_a_chosen_lead_is_left_out_of_its_sections_block(client, home):
    science = factories.make_section("Science")
    now = timezone.now()
    stories = [
        factories.make_article(
            section=science, title=f"Science story {i}", published_at=now - timedelta(hours=i)
        )
        for i in range(5)
    ]
    HomePage.objects.filter(pk=home.pk).update(lead_article=stories[2])

    html = client.get("/").content.decode()

    assert "Science story 2" in html.split('data-part="lead-story"')[1].split("</section>")[0]
    block = _blocks(html)["Science"]
    assert re.findall(r"Science story \d", block) == [f"Science story {i}" for i in (0, 1, 3, 4)]


def test_a_section_whose_only_story_leads_shows_no_empty_block(client, home):
    factories.make_section("Culture")
    only = factories.make_article(section=factories.make_section("Ideas"), title="Lone essay")
    HomePage.objects.filter(pk=home.pk).update(lead_article=only)

    html = client.get("/").content.decode()

    assert html.count("Lone essay") == 1
    assert "Ideas" not in _blocks(html)


@pytest.fixture
def newsroom(home):
    world = factories.make_section("World")
    science = factories.make_section("Science")
    now = timezone.now()

    def story(title, section, hours, **kwargs):
        return factories.make_article(
            section=section, title=title, published_at=now - timedelta(hours=hours), **kwargs
        )

    return {
        "main": story("Dam talks collapse", world, 1, tags=["water", "dams"]),
        "two_tags": story("Reservoirs at a low", science, 9, tags=["water", "dams"]),
        "one_tag": story("Rain gauges read low", science, 2, tags=["water"]),
        "same_section": story("Ferry strike ends", world, 3),
        "unrelated": story("Comet seen at dusk", science, 1),
        "draft": story("Dam draft", world, 1, tags=["dams"], publish=False),
        "private": story("Restricted dam memo", world, 1, tags=["dams"]),
    }


def test_related_stories_share_tags_or_section_best_first_never_itself(newsroom):
    PageViewRestriction.objects.create(
        page=newsroom["private"], restriction_type=PageViewRestriction.LOGIN
    )

    related = selectors.articles_related(article=newsroom["main"])

    assert [a.title for a in related] == [
        "Reservoirs at a low",  # two tags in common
        "Rain gauges read low",  # one
        "Ferry strike ends",  # same section, no tag
    ]
    assert [a.section_title for a in related] == ["Science", "Science", "World"]


def test_related_stories_cost_one_query_however_many(newsroom, django_assert_num_queries):
    with django_assert_num_queries(1):
        related = selectors.articles_related(article=newsroom["main"], limit=3)
        [(a.title, a.url_path, a.first_published_at, a.section_title) for a in related]
    assert len(related) == 3


def test_article_page_lists_related_stories_and_plain_share_links(client, newsroom):
    main = newsroom["main"]

    html = client.get(main.url).content.decode()

    related = html.split('data-part="related"')[1].split("</section>")[0]
    assert f'href="{newsroom["two_tags"].url}"' in related
    assert f'href="{main.url}"' not in related
    share = html.split('data-part="share"')[1].split("</div>")[0]
    address = "http://testserver" + main.url
    hrefs = re.findall(r'href="([^"]+)"', share)
    assert len(hrefs) >= 5
    assert all(quote(address, safe="") in href.replace("&amp;", "&") for href in hrefs), hrefs
    assert f'data-copy-link="{address}"' in share
    # Nothing of the services is loaded: no script, image or frame of theirs on the page.
    assert not re.search(r'<(script|img|iframe)[^>]+(src)="https?://', html)


def test_an_article_with_nothing_related_shows_no_related_block(client, home):
    lone = factories.make_article(section=factories.make_section("Lonely"), title="Alone")
    html = client.get(lone.url).content.decode()
    assert 'data-part="related"' not in html


def test_a_comment_on_a_related_story_leaves_the_articles_cached_page_in_place(
    client, newsroom, settings
):
    """Related stories are cached with the page: they name nothing else to the page cache."""
    from newsdesk.pagecache.tags import page_tag, pages_invalidate

    settings.PAGECACHE_ENABLED = True
    settings.PAGECACHE_CLOCK_MARGIN = 0  # one machine: a page rendered just now is reusable
    main = newsroom["main"]
    client.get(main.url)
    response = client.get(main.url)
    assert response["X-Page-Cache"] == "hit"
    assert response["Surrogate-Key"].split() == [f"page:{main.pk}", "site"]
    pages_invalidate(tags=[page_tag(newsroom["two_tags"].pk)])  # what a comment there does
    assert client.get(main.url)["X-Page-Cache"] == "hit"
