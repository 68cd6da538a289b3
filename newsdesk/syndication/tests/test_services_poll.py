"""Polling real feeds served over HTTP on 127.0.0.1 into articles with attribution."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from newsdesk.articles.models import ArticlePage, Author, NewsImage
from newsdesk.syndication.models import Entry, PollResult, Source
from newsdesk.syndication.parsing import feed_parse
from newsdesk.syndication.services import source_poll, sources_poll_due
from newsdesk.syndication.tests import feedserver
from newsdesk.syndication.tests.feeds import Story, picture_bytes, rss
from newsdesk.syndication.tests.test_parsing import BILLION_LAUGHS
from tests.support.fixtures import shared_fixture

pytestmark = pytest.mark.django_db


def stored_body(article: ArticlePage) -> str:
    """The body HTML as stored (before the block cleans it again for display)."""
    article = ArticlePage.objects.get(pk=article.pk)
    return "".join(block["value"] for block in article.body.raw_data if block["type"] == "html")


def test_a_partner_feed_becomes_published_articles_with_attribution(
    client, feed_server, make_source
):
    body = shared_fixture("feeds/real/rss-parser-guardian.rss").read_bytes()
    url = feed_server.add("/guardian.rss", body=body)
    source = make_source(url, mode="publish", policy="canonical", tags=["world", "partner"])
    expected = feed_parse(body=body, url=url).items[0]

    report = source_poll(source_id=source.pk)

    assert report.result == PollResult.OK, report.error
    assert len(report.added) == 5 and not report.failed  # the tests read 5 items a poll
    assert ArticlePage.objects.live().filter(outlet=source.outlet).count() == 5
    article = ArticlePage.objects.get(original_url=expected.link)
    assert article.title == expected.title
    assert article.first_published_at == datetime(2018, 1, 31, 7, 26, 5, tzinfo=UTC)
    assert [a.name for a in article.authors] == ["David Smith in Washington"]
    assert sorted(t.name for t in article.tags.all()) == ["partner", "world"]
    entry = Entry.objects.get(article=article)
    assert entry.source == source and entry.original_url == expected.link

    html = client.get(article.url).content.decode()
    assert "Originally appeared at" in html
    assert f'<a href="{expected.link}" rel="noopener">{source.outlet.name}</a>' in html
    assert f'<link rel="canonical" href="{expected.link}">' in html
    assert "noindex" not in html
    assert "David Smith in Washington" in html

    source.refresh_from_db()
    assert source.last_result == PollResult.OK and source.etag
    assert source.last_summary == "5 added, 0 updated, 0 skipped, 0 failed"
    assert source.next_poll_at > timezone.now() + timedelta(minutes=59)


def test_a_re_poll_brings_nothing_new(feed_server, make_source):
    body = shared_fixture("feeds/real/rss-parser-heise.atom").read_bytes()
    url = feed_server.add("/heise.atom", body=body, content_type="application/atom+xml")
    source = make_source(url, mode="publish")

    first = source_poll(source_id=source.pk)
    again = source_poll(source_id=source.pk)  # the server answers 304 to our ETag
    feed_server.routes["/heise.atom"].validators = False
    once_more = source_poll(source_id=source.pk)  # a full body, every story known

    assert len(first.added) == 5
    assert again.result == PollResult.NOT_MODIFIED
    assert once_more.result == PollResult.OK
    assert (once_more.added, once_more.updated, once_more.skipped) == ([], [], 5)
    assert ArticlePage.objects.count() == 5 and Entry.objects.count() == 5


def test_drafts_mode_keeps_articles_unpublished_and_noindex_outlets_say_so(
    client, feed_server, make_source
):
    body = shared_fixture("feeds/real/rss-parser-heise.atom").read_bytes()
    url = feed_server.add("/heise.atom", body=body, content_type="application/atom+xml")
    source = make_source(url, mode="draft", policy="noindex")

    source_poll(source_id=source.pk)

    articles = ArticlePage.objects.filter(outlet=source.outlet)
    assert articles.count() == 5 and not articles.filter(live=True).exists()
    article = articles.order_by("pk").first()
    assert client.get(article.url).status_code == 404
    article.get_latest_revision().publish()
    html = client.get(article.url).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html
    assert "Originally appeared at" in html
    assert f'<link rel="canonical" href="{article.get_full_url()}">' in html


def test_relative_links_are_resolved_against_the_feed_address(feed_server, make_source):
    body = shared_fixture("feeds/real/feedjira-SamRuby.xml").read_bytes()
    url = feed_server.add("/blog/index.atom", body=body, content_type="application/atom+xml")
    source = make_source(url, mode="draft")

    report = source_poll(source_id=source.pk)

    assert len(report.added) == 5
    bodies = [stored_body(a) for a in ArticlePage.objects.filter(outlet=source.outlet)]
    links = [link for b in bodies for link in re.findall(r'(?:href|src)="([^"]*)"', b)]
    assert len(links) > 10
    assert all(link.startswith(("http://", "https://", "mailto:")) for link in links), links
    # The entries' own links are root-relative ("/blog/2013/...") with no xml:base.
    originals = set(ArticlePage.objects.values_list("original_url", flat=True))
    assert feed_server.url("/blog/2013/01/30/Plex") in originals
    assert all(url.startswith(feed_server.url("/blog/20")) for url in originals)


@pytest.mark.parametrize(
    "fixture", ["feeds/real/rss-parser-heraldsun.rss", "feeds/real/rss-parser-uolNoticias.rss"]
)
def test_a_missing_or_unreadable_date_becomes_the_fetch_time(feed_server, make_source, fixture):
    url = feed_server.add("/feed.rss", body=shared_fixture(fixture).read_bytes())
    source = make_source(url, mode="publish")
    before = timezone.now()

    report = source_poll(source_id=source.pk)

    assert report.added and not report.failed
    dates = ArticlePage.objects.values_list("first_published_at", flat=True)
    assert all(before <= d <= timezone.now() for d in dates)


def test_an_entry_without_a_link_is_skipped_with_a_reason(feed_server, make_source):
    body = shared_fixture("feeds/real/rss-parser-missing-fields.atom").read_bytes()
    source = make_source(feed_server.add("/f.atom", body=body, content_type="application/atom+xml"))

    report = source_poll(source_id=source.pk)

    assert report.result == PollResult.OK and report.skipped == 1
    assert not ArticlePage.objects.exists()


def test_a_json_feed_is_imported(feed_server, make_source):
    document = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": ['
        b'{"id": "j1", "url": "https://partner.example/j1", "title": "Ferry strike ends",'
        b' "content_html": "<p>Boats run again.</p>", "authors": [{"name": "Kai Ott"}],'
        b' "date_published": "2024-02-03T04:05:06Z"}]}'
    )
    url = feed_server.add("/feed.json", body=document, content_type="application/feed+json")
    source = make_source(url, mode="publish")

    report = source_poll(source_id=source.pk)

    assert report.added == ["Ferry strike ends"]
    article = ArticlePage.objects.get()
    assert article.original_url == "https://partner.example/j1"
    assert [a.name for a in article.authors] == ["Kai Ott"]
    assert article.first_published_at == datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert "<p>Boats run again.</p>" in stored_body(article)


def test_a_story_in_two_partner_feeds_is_imported_once(feed_server, make_source):
    stories = [Story("a-1", "Bridge reopens", "https://wire.example/bridge?utm_source=feed")]
    source_one = make_source(feed_server.add("/one.rss", body=rss(stories)))
    other = [Story("b-9", "Bridge reopens (wire)", "https://WIRE.example:443/bridge#top")]
    source_two = make_source(feed_server.add("/two.rss", body=rss(other)))

    first = source_poll(source_id=source_one.pk)
    second = source_poll(source_id=source_two.pk)

    assert first.added == ["Bridge reopens"]
    assert second.added == [] and second.skipped == 1
    assert Entry.objects.get().original_url == "https://wire.example/bridge"
    assert ArticlePage.objects.count() == 1


def test_the_same_link_under_a_new_guid_is_the_same_story(feed_server, make_source):
    url = feed_server.add(
        "/f.rss", body=rss([Story("old-guid", "Harbor", "https://p.example/harbor")])
    )
    source = make_source(url)
    source_poll(source_id=source.pk)
    feed_server.add("/f.rss", body=rss([Story("new-guid", "Harbor", "https://p.example/harbor")]))

    report = source_poll(source_id=source.pk)

    assert report.added == [] and ArticlePage.objects.count() == 1


def test_unsafe_html_is_removed_and_video_embeds_are_kept(feed_server, make_source):
    content = (
        '<p onclick="steal()">Text <a href="javascript:alert(1)">bad</a>'
        ' <a href="/more">more</a></p><script>alert(1)</script><style>p{}</style>'
        '<iframe src="https://www.youtube.com/embed/abc123"></iframe>'
        '<iframe src="https://evil.example/frame"></iframe>'
        '<img src="/p.png" onerror="x()"><object data="x.swf"></object>'
    )
    story = Story("s1", "Embed test", "https://p.example/s1", content=content)
    source = make_source(feed_server.add("/f.rss", body=rss([story])))

    source_poll(source_id=source.pk)

    body = stored_body(ArticlePage.objects.get())
    assert "<script" not in body and "<style" not in body and "alert(1)" not in body
    assert "onclick" not in body and "onerror" not in body and "javascript:" not in body
    assert "<object" not in body and "evil.example" not in body
    assert '<iframe src="https://www.youtube.com/embed/abc123"></iframe>' in body
    assert "<iframe></iframe>" not in body  # a refused embed leaves no empty frame
    # Relative to the feed's address (RSS has no xml:base), as feedparser resolves them.
    assert f'<a href="{feed_server.url("/more")}" rel="noopener noreferrer">more</a>' in body
    assert f'<img src="{feed_server.url("/p.png")}">' in body


def test_excerpt_mode_keeps_the_summary_and_links_to_the_original(client, feed_server, make_source):
    story = Story(
        "s1",
        "Long read",
        "https://p.example/long",
        description="<p>A short summary.</p>",
        content="<p>The whole long story.</p>",
    )
    source = make_source(feed_server.add("/f.rss", body=rss([story])), content="excerpt")

    source_poll(source_id=source.pk)

    body = stored_body(ArticlePage.objects.get())
    assert "A short summary." in body and "The whole long story." not in body
    assert (
        f'<a href="https://p.example/long" rel="noopener noreferrer">Read the full story at '
        f"{source.outlet.name}</a>" in body
    )


def test_a_changed_entry_updates_its_draft(feed_server, make_source):
    stories = [Story("s1", "First title", "https://p.example/s1", content="<p>One.</p>")]
    url = feed_server.add("/f.rss", body=rss(stories), validators=False)
    source = make_source(url, mode="draft")
    source_poll(source_id=source.pk)
    article = ArticlePage.objects.get()
    revisions_before = article.revisions.count()
    stories[0].title, stories[0].content = "Second title", "<p>Two.</p>"
    feed_server.add("/f.rss", body=rss(stories), validators=False)

    report = source_poll(source_id=source.pk)

    assert report.updated == ["Second title"] and not report.added
    article.refresh_from_db()
    assert article.revisions.count() == revisions_before + 1
    assert not article.live
    draft = article.get_latest_revision_as_object()
    assert draft.title == "Second title" and "<p>Two.</p>" in draft.body.raw_data[0]["value"]
    # The same version again is nothing new.
    assert source_poll(source_id=source.pk).skipped == 1


def test_a_changed_entry_republishes_an_unedited_article_of_a_publishing_source(
    client, feed_server, make_source
):
    stories = [Story("s1", "Rates hold", "https://p.example/s1", content="<p>Old.</p>")]
    source = make_source(feed_server.add("/f.rss", body=rss(stories)), mode="publish")
    source_poll(source_id=source.pk)
    stories[0].content = "<p>Rates hold, for now.</p>"
    feed_server.add("/f.rss", body=rss(stories))

    report = source_poll(source_id=source.pk)

    article = ArticlePage.objects.get()
    assert report.updated == ["Rates hold"] and not article.has_unpublished_changes
    assert "Rates hold, for now." in client.get(article.url).content.decode()


def test_a_partner_change_never_overwrites_an_editors_edit(
    admin_client, client, feed_server, make_source
):
    stories = [Story("s1", "Flood warning", "https://p.example/s1", content="<p>Rain.</p>")]
    source = make_source(feed_server.add("/f.rss", body=rss(stories)), mode="publish")
    source_poll(source_id=source.pk)
    article = ArticlePage.objects.get()
    article.title = "Flood warning for the valley"  # an editor's headline
    article.save_revision().publish()
    stories[0].content = "<p>Rain and wind.</p>"
    feed_server.add("/f.rss", body=rss(stories), validators=False)

    report = source_poll(source_id=source.pk)

    assert report.flagged == ["Flood warning"] and not report.updated
    article.refresh_from_db()
    assert article.title == "Flood warning for the valley"
    assert "Rain and wind." not in client.get(article.url).content.decode()
    entry = Entry.objects.get()
    assert entry.partner_changed_at is not None
    assert "Rain and wind." in entry.partner_version["body"]
    assert source_poll(source_id=source.pk).skipped == 1  # told once, not on every poll

    edit_page = admin_client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert f"{source.outlet.name} changed this story on" in edit_page
    assert "their changes were not applied" in edit_page
    listing = admin_client.get("/admin/snippets/syndication/source/").content.decode()
    assert "1 to review" in listing


def test_a_failing_entry_leaves_nothing_behind_and_the_others_are_imported(
    feed_server, make_source, settings
):
    feed_server.add("/pics/wide.png", body=picture_bytes(), content_type="image/png")
    stories = [
        Story("ok-1", "Good story", "https://p.example/good", creator="Ada Lind"),
        # A host name no address validator accepts: the article cannot be saved.
        Story(
            "bad-1",
            "Broken story",
            "https://p.example_bad..x/story",
            creator="Bo Berg",
            content=f'<p><img src="{feed_server.url("/pics/wide.png")}"></p>',
        ),
    ]
    source = make_source(feed_server.add("/f.rss", body=rss(stories)), download_images=True)
    media_before = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())

    report = source_poll(source_id=source.pk)

    assert report.added == ["Good story"]
    assert len(report.failed) == 1 and report.failed[0].startswith("Broken story: ValidationError")
    assert report.result == PollResult.PARTIAL
    assert list(ArticlePage.objects.values_list("title", flat=True)) == ["Good story"]
    assert list(Entry.objects.values_list("guid", flat=True)) == ["ok-1"]
    assert not Author.objects.filter(name="Bo Berg").exists()
    assert not NewsImage.objects.exists()
    media_after = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert media_after == media_before
    source.refresh_from_db()
    assert "Broken story" in source.last_error and source.etag == ""  # retried next time


def test_pictures_are_copied_when_the_source_allows_it(feed_server, make_source, client):
    feed_server.add(
        "/pics/lead.jpg", body=picture_bytes(image_format="JPEG"), content_type="image/jpeg"
    )
    feed_server.add("/pics/inline.png", body=picture_bytes((200, 120)), content_type="image/png")
    feed_server.add(
        "/pics/huge.png", body=picture_bytes((900, 900), noise=True), content_type="image/png"
    )
    feed_server.add("/pics/fake.png", body=b"not a picture", content_type="image/png")
    content = (
        '<p><img src="/pics/inline.png" alt="inline"></p><p><img src="/pics/huge.png"></p>'
        '<p><img src="/pics/fake.png"></p>'
    )
    story = Story(
        "s1",
        "Pictures",
        feed_server.url("/story"),
        content=content,
        media=[feed_server.url("/pics/lead.jpg")],
    )
    source = make_source(
        feed_server.add("/f.rss", body=rss([story])), download_images=True, mode="publish"
    )

    report = source_poll(source_id=source.pk)

    assert report.added == ["Pictures"]
    article = ArticlePage.objects.get()
    assert article.lead_image is not None and article.lead_image.credit == source.outlet.name
    assert NewsImage.objects.count() == 2  # the lead and the inline picture
    body = stored_body(article)
    assert re.search(r'<img alt="inline" src="/media/images/inline[^"]*">', body)
    # Over the size limit, or no picture at all: they stay links to the partner's copies.
    assert f'<img src="{feed_server.url("/pics/huge.png")}">' in body
    assert f'<img src="{feed_server.url("/pics/fake.png")}">' in body
    assert client.get(article.url).status_code == 200


def test_pictures_stay_links_by_default(feed_server, make_source):
    story = Story("s1", "Pictures", "https://p.example/s", media=["https://p.example/lead.jpg"])
    source = make_source(feed_server.add("/f.rss", body=rss([story])))

    source_poll(source_id=source.pk)

    body = stored_body(ArticlePage.objects.get())
    assert body.startswith('<figure><img src="https://p.example/lead.jpg" alt=""></figure>')
    assert not NewsImage.objects.exists()


def test_bad_feeds_get_a_clear_error_each_and_never_stop_the_others(feed_server, make_source):
    feed_server.add("/broken.xml", body=b'<?xml version="1.0"?><rss><channel><title>x</ti')
    feed_server.add("/html", body=b"<html></html>", content_type="text/html")
    feed_server.add("/laughs.xml", body=BILLION_LAUGHS)
    feed_server.add("/slow.xml", handler=feedserver.slow_trickle)
    feed_server.add("/huge.xml", handler=feedserver.huge_body)
    feed_server.add("/loop", handler=feedserver.redirect_to("/loop"))
    expected = {
        "/missing.xml": "answered 404 Not Found",
        "/broken.xml": "not a readable feed",
        "/html": "serves text/html, which is not a feed",
        "/laughs.xml": "declares XML entities",
        "/slow.xml": "took longer than 1.5 s",
        "/huge.xml": "larger than the limit of 2.0 MB",
        "/loop": "Redirect loop",
    }
    bad = {path: make_source(feed_server.url(path)) for path in expected}
    good = make_source(
        feed_server.add("/good.rss", body=rss([Story("g1", "Good", "https://p.example/g")]))
    )
    before = timezone.now()

    reports = sources_poll_due()

    assert len(reports) == len(expected) + 1
    good.refresh_from_db()
    assert good.last_result == PollResult.OK and ArticlePage.objects.count() == 1
    for path, message in expected.items():
        source = Source.objects.get(pk=bad[path].pk)
        assert source.last_result == PollResult.FAILED, path
        assert message in source.last_error, (path, source.last_error)
        assert source.consecutive_failures == 1
        assert source.next_poll_at >= before + timedelta(minutes=120)  # backed off
        assert source.poll_started_at is None
    assert sources_poll_due() == []  # nothing is due any more


def test_failures_back_off_exponentially_up_to_a_cap(feed_server, make_source, settings):
    settings.SYNDICATION_BACKOFF_MAX_MINUTES = 600
    source = make_source(feed_server.url("/missing.xml"), interval_minutes=30)
    delays = []
    for _ in range(6):
        started = timezone.now()
        source_poll(source_id=source.pk)
        source.refresh_from_db()
        delays.append(round((source.next_poll_at - started).total_seconds() / 60))

    assert delays == [60, 120, 240, 480, 600, 600]
    assert source.consecutive_failures == 6
    feed_server.add("/missing.xml", body=rss([]))
    source_poll(source_id=source.pk)
    source.refresh_from_db()
    assert source.consecutive_failures == 0 and source.last_error == ""
    assert source.last_result == PollResult.OK


def test_a_source_being_polled_is_not_polled_twice(feed_server, make_source):
    source = make_source(feed_server.add("/f.rss", body=rss([])))
    Source.objects.filter(pk=source.pk).update(poll_started_at=timezone.now())

    assert source_poll(source_id=source.pk) is None
    assert feed_server.requests["/f.rss"] == 0
    Source.objects.filter(pk=source.pk).update(poll_started_at=timezone.now() - timedelta(hours=1))
    assert source_poll(source_id=source.pk).result == PollResult.OK  # a stale claim expires


def test_an_approved_story_from_a_drafts_source_gets_the_update_as_a_draft(
    admin_client, client, feed_server, make_source
):
    stories = [Story("s1", "Vote delayed", "https://p.example/s1", content="<p>Monday.</p>")]
    url = feed_server.add("/f.rss", body=rss(stories), validators=False)
    source = make_source(url, mode="draft")
    source_poll(source_id=source.pk)
    article = ArticlePage.objects.get()
    article.get_latest_revision().publish()  # an editor approved it unchanged
    stories[0].content = "<p>Tuesday.</p>"
    feed_server.add("/f.rss", body=rss(stories), validators=False)

    report = source_poll(source_id=source.pk)

    assert report.updated == ["Vote delayed"]
    article.refresh_from_db()
    assert article.has_unpublished_changes
    assert "Monday." in client.get(article.url).content.decode()  # live copy untouched
    edit_page = admin_client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "Their new version is saved as the latest draft" in edit_page


def test_a_source_whose_section_was_deleted_reports_it(feed_server, make_source):
    source = make_source(feed_server.add("/f.rss", body=rss([])))
    Source.objects.filter(pk=source.pk).update(section=None)

    report = source_poll(source_id=source.pk)

    assert report.result == PollResult.FAILED
    assert report.error == "The source has no section for its articles; choose one."
    assert feed_server.requests["/f.rss"] == 0
