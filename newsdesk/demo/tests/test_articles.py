"""The demo newsroom as a reader and an editor meet it, after ``manage.py load_demo``."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Revision

from newsdesk.articles.models import (
    ArticleCorrection,
    ArticlePage,
    Author,
    NewsImage,
    Outlet,
    SectionPage,
)
from newsdesk.articles.selectors import articles_for_news_sitemap
from newsdesk.demo.articles import STORIES, home_page_get, lead_story_get
from newsdesk.demo.content.people import AUTHORS, SECTIONS


def _counts() -> dict[str, int]:
    return {
        "articles": ArticlePage.objects.count(),
        "live articles": ArticlePage.objects.live().count(),
        "sections": SectionPage.objects.count(),
        "authors": Author.objects.count(),
        "outlets": Outlet.objects.count(),
        "images": NewsImage.objects.count(),
        "tags": Tag.objects.count(),
        "corrections": ArticleCorrection.objects.count(),
        "revisions": Revision.objects.count(),
    }


def test_loading_the_demo_again_adds_nothing(demo_db):
    before = _counts()
    lead_before = home_page_get().lead_article_id
    output = io.StringIO()

    call_command("load_demo", stdout=output)

    assert _counts() == before
    assert home_page_get().lead_article_id == lead_before
    assert f"0 added, {len(STORIES)} already there" in output.getvalue()


def test_the_demo_has_a_newsroom_worth_browsing(demo_db):
    assert "Articles: 16 added" in demo_db.output
    assert ArticlePage.objects.live().count() >= 12
    sections = SectionPage.objects.live().in_menu()
    assert [s.slug for s in sections] == [s.slug for s in SECTIONS]
    assert all(s.intro for s in sections)
    assert Author.objects.filter(slug__in=[a.slug for a in AUTHORS]).exclude(bio="").count() == 7
    assert set(Outlet.objects.values_list("search_engine_policy", flat=True)) == {
        "canonical",
        "noindex",
    }
    with_images = ArticlePage.objects.live().exclude(lead_image=None).count()
    assert with_images > ArticlePage.objects.live().count() / 2
    # Tags are shared, so tag pages list several stories.
    assert ArticlePage.objects.live().filter(tags__slug="ossel-river").count() >= 3
    assert ArticlePage.objects.live().filter(tags__slug="transparency").count() >= 3


def test_publication_times_are_spread_and_some_are_fresh_for_google_news(demo_db):
    now = timezone.now()
    times = sorted(ArticlePage.objects.live().values_list("first_published_at", flat=True))
    assert now - times[0] > timedelta(days=5)
    assert times[-1] < now
    fresh = articles_for_news_sitemap(now=now)
    assert 2 <= len(fresh) <= 4
    # Backdated stories are not shown as "Updated" on the day the demo was loaded.
    untouched = ArticlePage.objects.live().filter(corrections=None)
    assert all(a.updated_at is None for a in untouched)


def test_the_lead_story_is_republished_with_a_captioned_image_in_its_body(demo_db, client):
    lead = lead_story_get()
    assert home_page_get().lead_article_id == lead.pk
    assert lead.is_republished
    assert lead.outlet.name == "Harbor Ledger"
    assert lead.original_url.startswith("https://harborledger.example/")

    blocks = list(lead.body)
    assert [b.block_type for b in blocks[:2]] == ["paragraph", "image"]
    image_block = blocks[1].value
    assert image_block["caption"]
    assert image_block["image"].credit == "Illustration: The Lantern"
    assert sum(b.block_type == "paragraph" for b in blocks) >= 10
    assert any(b.block_type == "quote" and b.value["attribution"] for b in blocks)

    response = client.get(lead.url)
    assert response.status_code == 200
    html = response.content.decode()
    positions = [
        html.index('data-part="headline"'),
        html.index("Originally appeared at"),
        html.index('data-part="body"'),
        html.index("For three weeks"),
        html.index(image_block["caption"]),
        html.index("What the draft said"),
    ]
    assert positions == sorted(positions)
    assert 'href="https://harborledger.example/' in html


def test_the_front_page_leads_with_the_republished_story(demo_db, client):
    response = client.get("/")
    assert response.status_code == 200
    lead = response.content.decode().split('data-part="lead-story"')[1].split("</section>")[0]
    assert lead_story_get().title in lead
    assert "via Harbor Ledger" in lead


def test_the_scheduled_article_is_not_visible_yet(demo_db, client):
    scheduled = ArticlePage.objects.get(slug="the-lantern-festival-returns-to-the-old-harbour")
    assert not scheduled.live
    assert scheduled.go_live_at > timezone.now() + timedelta(days=2)
    assert Revision.page_revisions.filter(
        object_id=str(scheduled.pk), approved_go_live_at=scheduled.go_live_at
    ).exists()

    assert client.get(scheduled.url).status_code == 404
    section = client.get(scheduled.get_parent().url).content.decode()
    assert scheduled.title not in section
    assert scheduled.title not in client.get("/feeds/rss/").content.decode()


def test_a_correction_is_shown_with_its_date(demo_db, client):
    corrected = ArticlePage.objects.get(corrections__isnull=False)
    correction = corrected.corrections.get()
    html = client.get(corrected.url).content.decode()
    assert "Corrections" in html
    assert correction.text in html
    assert correction.corrected_at.strftime("%Y-%m-%d") in html


def test_the_noindex_partner_story_keeps_out_of_search_engines(demo_db, client):
    copy = ArticlePage.objects.get(outlet__search_engine_policy="noindex")
    html = client.get(copy.url).content.decode()
    assert '<meta name="robots" content="noindex' in html
    assert "Originally appeared at" in html


@pytest.mark.parametrize("kind", ["front", "sections", "tag", "authors", "articles"])
def test_every_reader_page_of_the_demo_answers(demo_db, client, kind):
    if kind == "front":
        urls = ["/"]
    elif kind == "sections":
        urls = [s.url for s in SectionPage.objects.live()]
    elif kind == "tag":
        urls = ["/tags/ossel-river/", "/tags/community/"]
    elif kind == "authors":
        urls = [a.get_absolute_url() for a in Author.objects.all()]
    else:
        urls = [a.url for a in ArticlePage.objects.live()]
    assert urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_a_tag_page_lists_the_stories_that_share_it(demo_db, client):
    html = client.get("/tags/ossel-river/").content.decode()
    for article in ArticlePage.objects.live().filter(tags__slug="ossel-river"):
        assert article.title in html


def test_an_author_page_shows_the_bio_and_the_bylines(demo_db, client):
    author = Author.objects.get(slug="maren-holt")
    html = client.get(author.get_absolute_url()).content.decode()
    assert author.name in html
    for article in ArticlePage.objects.live().filter(article_authors__author=author):
        assert article.title in html
