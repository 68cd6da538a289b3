"""The fetcher turned against our own network (SSRF), tried against real listeners on
127.0.0.1 and ::1 with the allow-list empty, as in production.

Nothing here sends a packet anywhere but the loopback interface: ``outside`` refuses (and
records) every connection to another address, so a fetcher that tried one fails the test
without reaching it.
"""

import socket

import pytest

from newsdesk.syndication import conf
from newsdesk.syndication.fetch import FetchError, url_fetch
from newsdesk.syndication.images import picture_download
from newsdesk.syndication.models import PollResult
from newsdesk.syndication.parsing import feed_type_allowed
from newsdesk.syndication.services import source_poll
from newsdesk.syndication.tests import feedserver
from newsdesk.syndication.tests.feeds import Story, rss

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
REFUSED = r"is not a public internet address, so nothing is fetched from it\.$"
PUBLIC = "93.184.215.14"  # a public address; the tests never actually connect to it


class Listener:
    """A bare TCP listener: it accepts nothing by itself, so any connection, even one that
    sends no request, waits in its backlog where ``connections()`` finds it."""

    def __init__(self, family=socket.AF_INET, host="127.0.0.1"):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1

    def close(self):
        self.sock.close()


@pytest.fixture
def listener():
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def no_allow_list(settings):
    """Production's setting: no internal address may be reached."""
    settings.FETCH_ALLOW_INTERNAL = ""
    return settings


@pytest.fixture(autouse=True)
def outside(monkeypatch):
    """Every connection attempt is recorded; any to a non-loopback address is refused
    here, before a packet leaves."""
    attempts = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        attempts.append(address[:2])
        if address[0] not in {"127.0.0.1", "::1", "::ffff:127.0.0.1"}:
            raise ConnectionRefusedError(111, "refused by the test (not loopback)")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


def fetch(url):
    return url_fetch(
        url=url,
        limits=conf.feed_fetch_limits(),
        accept="application/rss+xml",
        type_allowed=feed_type_allowed,
    )


def resolver(monkeypatch, answers_by_name: dict[str, list[list[str]]]):
    """Patch ``socket.getaddrinfo`` (the DNS edge): each listed name gets its next answer
    per call (the last one repeating); other names resolve as usual. Returns the calls."""
    real = socket.getaddrinfo
    calls = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers_by_name:
            return real(host, port, *args, **kwargs)
        calls.append(host)
        answers = answers_by_name[host]
        addresses = answers[min(len(calls) - 1, len(answers) - 1)]
        result = []
        for address in addresses:
            if ":" in address:
                result.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                result.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return result

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


# --- the attacks ---------------------------------------------------------------------------


def test_a_feed_on_127_0_0_1_is_refused_and_the_listener_sees_nothing(listener, outside):
    with pytest.raises(FetchError, match=REFUSED):
        fetch(f"http://127.0.0.1:{listener.port}/feed.xml")

    assert listener.connections() == 0
    assert outside == []


@pytest.mark.parametrize(
    "host",
    [
        "localhost",  # a name that resolves to 127.0.0.1
        "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
        "2130706433",  # 127.0.0.1 as one number
        "127.1",
        "0x7f.0.0.1",
        "0.0.0.0",  # noqa: S104 (reaches the local host on Linux)
    ],
)
def test_other_spellings_of_the_local_host_are_refused(listener, outside, host):
    with pytest.raises(FetchError, match=REFUSED):
        fetch(f"http://{host}:{listener.port}/feed.xml")

    assert listener.connections() == 0
    assert outside == []


def test_a_feed_on_ipv6_loopback_is_refused():
    try:
        listener = Listener(socket.AF_INET6, "::1")
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    try:
        with pytest.raises(FetchError, match=REFUSED):
            fetch(f"http://[::1]:{listener.port}/feed.xml")
        assert listener.connections() == 0
    finally:
        listener.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "https://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",  # its IPv6 twin (unique-local)
        "http://10.0.0.1/feed",
        "http://100.64.0.1/feed",
        "http://[fe80::1]/feed",
        "http://[64:ff9b::a9fe:a9fe]/feed",  # NAT64 form of 169.254.169.254
        "http://[2002:7f00:1::]/feed",  # 6to4 form of 127.0.0.1
    ],
)
def test_other_internal_addresses_are_refused_without_a_connection(outside, url):
    with pytest.raises(FetchError, match=REFUSED):
        fetch(url)

    assert outside == []


def test_a_public_name_that_resolves_to_127_0_0_1_is_refused(monkeypatch, listener, outside):
    resolver(monkeypatch, {"feeds.partner.example": [["127.0.0.1"]]})

    with pytest.raises(FetchError, match=r"^feeds\.partner\.example " + REFUSED):
        fetch(f"http://feeds.partner.example:{listener.port}/feed.xml")

    assert listener.connections() == 0


def test_a_name_with_a_public_and_an_internal_answer_is_refused(monkeypatch, listener, outside):
    resolver(monkeypatch, {"mixed.partner.example": [[PUBLIC, "127.0.0.1"]]})

    with pytest.raises(FetchError, match=REFUSED):
        fetch(f"http://mixed.partner.example:{listener.port}/feed.xml")

    assert listener.connections() == 0
    assert outside == []


def test_dns_rebinding_cannot_change_the_checked_address(monkeypatch, listener, outside):
    """The first answer (checked, public) is where the connection goes; a second lookup,
    which would answer 127.0.0.1, is never made."""
    calls = resolver(monkeypatch, {"rebind.partner.example": [[PUBLIC], ["127.0.0.1"]]})

    with pytest.raises(FetchError, match=r"Could not connect to rebind\.partner\.example"):
        fetch(f"http://rebind.partner.example:{listener.port}/feed.xml")

    assert outside == [(PUBLIC, listener.port)]
    assert calls == ["rebind.partner.example"]
    assert listener.connections() == 0


def test_a_redirect_to_an_internal_address_is_refused(feed_server, listener, settings, outside):
    # The partner's server is allowed (by address and port, as a test stands in for the
    # internet); the other port on 127.0.0.1 is not.
    settings.FETCH_ALLOW_INTERNAL = f"127.0.0.1:{feed_server.server_address[1]}"
    feed_server.add("/ok", body=RSS)
    internal = f"http://127.0.0.1:{listener.port}/admin"
    feed_server.add("/moved", handler=feedserver.redirect_to(internal))
    by_name = internal.replace("127.0.0.1", "localhost")
    feed_server.add("/moved-by-name", handler=feedserver.redirect_to(by_name))

    assert fetch(feed_server.url("/ok")).body == RSS  # the allowed server itself is fetched
    with pytest.raises(FetchError, match=r"^127\.0\.0\.1 " + REFUSED):
        fetch(feed_server.url("/moved"))
    with pytest.raises(FetchError, match=r"^localhost " + REFUSED):
        fetch(feed_server.url("/moved-by-name"))

    assert feed_server.requests["/moved"] == 1 and feed_server.requests["/moved-by-name"] == 1
    assert listener.connections() == 0


def test_proxies_from_the_environment_do_not_route_around_the_check(
    monkeypatch, feed_server, listener, settings
):
    proxy = f"http://127.0.0.1:{listener.port}"
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    settings.FETCH_ALLOW_INTERNAL = f"127.0.0.1:{feed_server.server_address[1]}"
    feed_server.add("/feed.xml", body=RSS)

    assert fetch(feed_server.url("/feed.xml")).body == RSS
    with pytest.raises(FetchError, match=REFUSED):
        fetch(f"http://127.0.0.1:{listener.port}/elsewhere")

    assert listener.connections() == 0


@pytest.mark.django_db
def test_an_open_and_a_closed_internal_port_tell_the_editor_the_same(
    make_source, listener, closed_port
):
    open_source = make_source(f"http://127.0.0.1:{listener.port}/feed.xml")
    closed_source = make_source(f"http://127.0.0.1:{closed_port}/feed.xml")

    source_poll(source_id=open_source.pk)
    source_poll(source_id=closed_source.pk)

    open_source.refresh_from_db()
    closed_source.refresh_from_db()
    assert open_source.last_result == closed_source.last_result == PollResult.FAILED
    assert open_source.last_error == closed_source.last_error
    assert open_source.last_error == (
        "127.0.0.1 is not a public internet address, so nothing is fetched from it."
    )
    assert listener.connections() == 0


def test_a_partner_picture_on_an_internal_address_is_not_downloaded(listener, outside):
    assert picture_download(url=f"http://127.0.0.1:{listener.port}/photo.jpg") is None
    assert picture_download(url="http://169.254.169.254/latest/meta-data/photo.jpg") is None

    assert listener.connections() == 0
    assert outside == []


@pytest.mark.django_db
def test_a_feed_whose_pictures_point_inside_imports_without_fetching_them(
    make_source, feed_server, listener, settings
):
    settings.FETCH_ALLOW_INTERNAL = f"127.0.0.1:{feed_server.server_address[1]}"
    inside = f"http://127.0.0.1:{listener.port}/secret.jpg"
    story = Story("s1", link="https://partner.example/1", media=[inside])
    url = feed_server.add("/feed.xml", body=rss([story]))
    source = make_source(url, download_images=True)

    report = source_poll(source_id=source.pk)

    assert report.result == PollResult.OK, report.error
    assert listener.connections() == 0
