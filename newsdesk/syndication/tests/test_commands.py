"""The operators' commands: add a source, list sources, poll now."""

import io

import pytest
from django.core.management import CommandError, call_command

from newsdesk.articles.models import ArticlePage, Outlet
from newsdesk.syndication.models import PollResult, Source
from newsdesk.syndication.tests.feeds import Story, rss
from tests.support import factories

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_source_creates_the_outlet_and_the_source(section, feed_server):
    url = feed_server.add("/wire.rss", body=rss([]))

    out = run(
        "syndication_add_source",
        "--outlet",
        "Valley Courier",
        "--url",
        url,
        "--mode",
        "publish",
        "--section",
        section.slug,
        "--tags",
        "valley, wire",
        "--interval",
        "15",
    )

    source = Source.objects.get()
    assert source.outlet.name == "Valley Courier"
    assert source.outlet.site_url == feed_server.base_url + "/"
    assert (source.mode, source.poll_interval_minutes, source.tag_list) == (
        "publish",
        15,
        ["valley", "wire"],
    )
    assert source.section == section
    assert "Created outlet Valley Courier" in out
    assert f"Added source #{source.pk}" in out


def test_add_source_uses_an_existing_outlet(section):
    outlet = factories.make_outlet("Harbor Ledger")

    run(
        "syndication_add_source",
        "--outlet",
        "harbor ledger",
        "--url",
        "https://harbor.example/feed",
        "--mode",
        "draft",
    )

    assert Source.objects.get().outlet == outlet and Outlet.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "ftp://x.example/feed"], "Not an http or https address"),
        (["--url", "https://x.example/feed", "--section", "nope"], "No section with slug 'nope'"),
        (["--url", "https://x.example/feed", "--interval", "1"], "poll_interval_minutes"),
    ],
)
def test_add_source_refuses_bad_input_and_writes_nothing(section, args, message):
    with pytest.raises(CommandError, match=message):
        run("syndication_add_source", "--outlet", "New Outlet", "--mode", "draft", *args)

    assert not Source.objects.exists() and not Outlet.objects.exists()


def test_list_sources_shows_status_and_errors(make_source, feed_server):
    source = make_source(feed_server.url("/missing.xml"), name="Main")
    with pytest.raises(CommandError):
        run("syndication_poll", "--source", str(source.pk))

    out = run("syndication_list_sources")

    assert f"#{source.pk} {source.outlet.name}: Main" in out
    assert "last result: Failed: failed" in out
    assert "last error: The server answered 404 Not Found" in out


def test_poll_prints_what_was_added_and_fails_when_a_source_fails(make_source, feed_server):
    good = make_source(
        feed_server.add("/good.rss", body=rss([Story("g", "Mill reopens", "https://p.example/m")]))
    )
    bad = make_source(feed_server.url("/missing.xml"))
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 of 2 sources failed"):
        call_command("syndication_poll", stdout=out)

    text = out.getvalue()
    assert f"#{good.pk} {good}: 1 added, 0 updated, 0 skipped, 0 failed" in text
    assert "  added: Mill reopens" in text
    assert f"#{bad.pk} {bad}: failed" in text and "answered 404" in text
    assert ArticlePage.objects.count() == 1


def test_poll_one_source_whether_due_or_not(make_source, feed_server):
    url = feed_server.add("/f.rss", body=rss([Story("g", "Mill", "https://p.example/m")]))
    source = make_source(url)
    run("syndication_poll", "--source", str(source.pk))
    source.refresh_from_db()
    assert source.last_result == PollResult.OK

    assert run("syndication_poll") == "No source is due.\n"
    out = run("syndication_poll", "--source", str(source.pk))
    assert "not modified since the last poll" in out
    with pytest.raises(CommandError, match="No source #999"):
        run("syndication_poll", "--source", "999")
