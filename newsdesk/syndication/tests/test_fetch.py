"""The HTTP fetch against a real server: conditional GET, timeouts, size, redirects, types."""

import gzip

import pytest

from newsdesk.syndication import conf
from newsdesk.syndication.fetch import FetchError, url_fetch
from newsdesk.syndication.parsing import feed_type_allowed
from newsdesk.syndication.tests import feedserver

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


def fetch(url, **kwargs):
    return url_fetch(
        url=url,
        limits=conf.feed_fetch_limits(),
        accept="application/rss+xml",
        type_allowed=feed_type_allowed,
        **kwargs,
    )


def test_a_feed_is_fetched_and_a_conditional_get_answers_not_modified(feed_server):
    url = feed_server.add("/feed.xml", body=RSS)

    first = fetch(url)
    again = fetch(url, etag=first.etag, last_modified=first.last_modified)

    assert first.status == 200 and first.body == RSS
    assert first.content_type == "application/rss+xml" and first.charset == "utf-8"
    assert first.etag and first.last_modified
    assert again.not_modified and again.body == b""
    headers = feed_server.request_headers["/feed.xml"]
    assert headers["If-None-Match"] == first.etag
    assert headers["If-Modified-Since"] == first.last_modified


def test_a_server_that_trickles_bytes_is_cut_off_at_the_deadline(feed_server):
    url = feed_server.add("/slow.xml", handler=feedserver.slow_trickle)

    with pytest.raises(FetchError, match=r"took longer than 1.5 s"):
        fetch(url)


def test_a_server_that_never_answers_is_given_up(feed_server):
    url = feed_server.add("/silent.xml", handler=feedserver.silent)

    with pytest.raises(FetchError, match=r"did not answer within 1.5 s"):
        fetch(url)


def test_a_50_mb_body_is_cut_off_while_streaming(feed_server):
    url = feed_server.add("/huge.xml", handler=feedserver.huge_body)

    with pytest.raises(FetchError, match=r"larger than the limit of 2.0 MB; cut off"):
        fetch(url)


def test_a_50_mb_body_announced_in_its_headers_is_not_downloaded(feed_server):
    url = feed_server.add(
        "/huge.xml", handler=lambda r, s: feedserver.huge_body(r, s, declare_length=True)
    )

    with pytest.raises(FetchError, match=r"is 50.0 MB, over the limit of 2.0 MB"):
        fetch(url)


def test_a_compressed_bomb_is_cut_off_after_decompression(feed_server):
    bomb = gzip.compress(RSS[:-20] + b" " * (20 * 1024 * 1024) + RSS[-20:])
    assert len(bomb) < 100_000
    url = feed_server.add("/bomb.xml", body=bomb, headers={"Content-Encoding": "gzip"})

    with pytest.raises(FetchError, match=r"larger than the limit"):
        fetch(url)


def test_a_redirect_loop_is_reported(feed_server):
    feed_server.add("/a", handler=feedserver.redirect_to("/b"))
    feed_server.add("/b", handler=feedserver.redirect_to("/a"))

    with pytest.raises(FetchError, match=r"Redirect loop: .*/a redirects back"):
        fetch(feed_server.url("/a"))


def test_redirects_are_followed_up_to_the_cap(feed_server, settings):
    settings.SYNDICATION_MAX_REDIRECTS = 3
    for hop in range(5):
        feed_server.add(f"/hop{hop}", handler=feedserver.redirect_to(f"/hop{hop + 1}"))
    feed_server.add("/hop5", body=RSS)
    feed_server.add("/short", handler=feedserver.redirect_to("/hop3"))

    assert fetch(feed_server.url("/short")).url == feed_server.url("/hop5")
    with pytest.raises(FetchError, match=r"Too many redirects \(more than 3\)"):
        fetch(feed_server.url("/hop0"))


def test_a_redirect_to_another_scheme_is_refused(feed_server):
    feed_server.add("/ftp", handler=feedserver.redirect_to("ftp://127.0.0.1/feed"))

    with pytest.raises(FetchError, match=r"Only http and https"):
        fetch(feed_server.url("/ftp"))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/feed", "feed.xml"])
def test_only_http_and_https_addresses_are_fetched(url):
    with pytest.raises(FetchError, match=r"Only http and https"):
        fetch(url)


def test_a_missing_feed_is_a_clear_error(feed_server):
    with pytest.raises(FetchError, match=r"answered 404 Not Found"):
        fetch(feed_server.url("/gone.xml"))


def test_a_web_page_instead_of_a_feed_is_refused_before_reading_it(feed_server):
    url = feed_server.add("/page", body=b"<html></html>", content_type="text/html")

    with pytest.raises(FetchError, match=r"serves text/html, which is not a feed"):
        fetch(url)


def test_a_busy_server_s_retry_after_is_kept(feed_server):
    url = feed_server.add(
        "/busy",
        body=b"busy",
        status=503,
        content_type="text/plain",
        headers={"Retry-After": "7200"},
    )

    with pytest.raises(FetchError, match="503") as caught:
        fetch(url)
    assert caught.value.retry_after == 7200


def test_nothing_listens_is_a_connection_error():
    with pytest.raises(FetchError, match=r"Could not connect"):
        fetch("http://127.0.0.1:9/feed.xml")
