"""Who the client is behind proxies: the address rate limits, bans, stored comments and the
sign-in lock-out use.

The client is the right-most address of X-Forwarded-For that is not a trusted proxy, read
only when the direct peer (REMOTE_ADDR) is itself a trusted proxy; with no trusted proxies
(the default) X-Forwarded-For is never read. An IPv6 client is limited by its /64, and an
IPv4-mapped IPv6 address is the IPv4 address.
"""

import ipaddress

import pytest
from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from newsdesk.core.clientaddr import (
    address_group,
    client_address,
    client_address_resolve,
    trusted_proxies_parse,
)
from newsdesk.core.ratelimit import RateLimit, request_rate_limited
from newsdesk.discussion.models import Comment
from newsdesk.moderation.models import Ban, BanKind
from newsdesk.moderation.services import ban_create, ban_from_comment
from tests.site.access import user_for, without_assessors

LOOPBACK = trusted_proxies_parse(["127.0.0.1"])
CHAIN = trusted_proxies_parse(["127.0.0.1", "::1", "10.0.0.0/8", "2001:db8:ffff::/48"])


def resolve(remote: str, forwarded: str = "", trusted=LOOPBACK) -> str:
    return client_address_resolve(remote_addr=remote, forwarded_for=forwarded, trusted=trusted)


# --- the algorithm -------------------------------------------------------------------------
def test_with_no_trusted_proxy_x_forwarded_for_is_never_read():
    assert resolve("127.0.0.1", "203.0.113.9", trusted=()) == "127.0.0.1"
    assert resolve("198.51.100.7", "203.0.113.9, 127.0.0.1", trusted=()) == "198.51.100.7"


def test_an_untrusted_peer_is_the_client_whatever_it_says():
    # A reader connecting directly (not through the proxy) cannot name another address.
    assert resolve("198.51.100.7", "203.0.113.9") == "198.51.100.7"
    assert resolve("198.51.100.7", "127.0.0.1") == "198.51.100.7"
    assert resolve("198.51.100.7", "garbage, ::1, 10.1.1.1", trusted=CHAIN) == "198.51.100.7"


def test_behind_the_proxy_the_client_is_the_address_it_appended():
    assert resolve("127.0.0.1", "198.51.100.7") == "198.51.100.7"
    assert resolve("::1", "2001:db8:1:2::77", trusted=CHAIN) == "2001:db8:1:2::77"


@pytest.mark.parametrize(
    "spoofed",
    [
        "203.0.113.9",
        "127.0.0.1",
        "10.0.0.1, 203.0.113.9",
        "unknown",
        "<script>alert(1)</script>",
        "203.0.113.9,,,",
        "1.2.3.4 5.6.7.8",
    ],
)
def test_spoofed_left_most_entries_are_ignored(spoofed):
    # nginx appends the address it saw to what the client sent.
    assert resolve("127.0.0.1", f"{spoofed}, 198.51.100.7") == "198.51.100.7"
    assert resolve("127.0.0.1", f"{spoofed},198.51.100.7") == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    # client -> CDN edge (10.x, trusted) -> internal balancer (::1, trusted) -> nginx -> app
    forwarded = "203.0.113.9, 198.51.100.7, 10.20.30.40, ::1"
    assert resolve("127.0.0.1", forwarded, trusted=CHAIN) == "198.51.100.7"
    assert resolve("10.0.0.2", "198.51.100.7, 2001:db8:ffff:1::2", trusted=CHAIN) == (
        "198.51.100.7"
    )
    # An untrusted hop in the middle is where belief stops.
    assert resolve("127.0.0.1", "198.51.100.7, 192.0.2.66, 10.0.0.9", trusted=CHAIN) == (
        "192.0.2.66"
    )


def test_when_every_hop_is_trusted_the_farthest_known_is_the_client():
    assert resolve("127.0.0.1", "10.9.9.9, 10.0.0.1", trusted=CHAIN) == "10.9.9.9"
    assert resolve("127.0.0.1", "", trusted=CHAIN) == "127.0.0.1"
    assert resolve("127.0.0.1", "   ", trusted=CHAIN) == "127.0.0.1"


@pytest.mark.parametrize(
    "garbage",
    ["unknown", "", "not an address", "999.1.1.1", "01.2.3.4", "fe80::1%eth0", "1.2.3.4:x"],
)
def test_a_malformed_entry_ends_the_walk_at_the_last_trusted_hop(garbage):
    # Only a trusted proxy's own word can put garbage there: the nearest hop it vouched
    # for is the client, never anything further left.
    forwarded = f"203.0.113.9, {garbage}, 10.0.0.7"
    assert resolve("127.0.0.1", forwarded, trusted=CHAIN) == "10.0.0.7"
    assert resolve("127.0.0.1", f"203.0.113.9, {garbage}", trusted=CHAIN) == "127.0.0.1"


def test_ports_and_brackets_are_read_and_a_huge_header_is_harmless():
    assert resolve("127.0.0.1", "198.51.100.7:4711") == "198.51.100.7"
    assert resolve("127.0.0.1", "[2001:db8::5]:443") == "2001:db8::5"
    assert resolve("127.0.0.1", "[2001:db8::5]") == "2001:db8::5"
    assert resolve("127.0.0.1", "[2001:db8::5") == "127.0.0.1"
    assert resolve("127.0.0.1", "1.1.1.1, " * 5000 + "198.51.100.7") == "198.51.100.7"


def test_an_unknown_peer_is_no_address():
    assert resolve("", "198.51.100.7") == ""
    assert resolve("not-an-ip", "198.51.100.7") == ""


def test_ipv4_mapped_ipv6_addresses_are_ipv4():
    assert resolve("::ffff:198.51.100.7", "", trusted=()) == "198.51.100.7"
    # A proxy reached over a dual-stack socket is still 127.0.0.1, and trusted as such.
    assert resolve("::ffff:127.0.0.1", "::ffff:198.51.100.7") == "198.51.100.7"
    assert trusted_proxies_parse(["::ffff:10.0.0.0/104"]) == (ipaddress.ip_network("10.0.0.0/8"),)


def test_ipv6_clients_are_grouped_by_their_64():
    assert address_group("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64"
    assert address_group("2001:db8:1:2::1") == address_group("2001:db8:1:2:ffff::9")
    assert address_group("2001:db8:1:3::1") != address_group("2001:db8:1:2::1")
    assert address_group("198.51.100.7") == "198.51.100.7"
    assert address_group("198.51.100.8") != address_group("198.51.100.7")
    assert address_group("::ffff:198.51.100.7") == "198.51.100.7"
    assert address_group("unknown") == "unknown"


def test_a_bad_trusted_proxies_setting_stops_the_start_with_a_clear_error():
    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXIES: '127\.0\.0\.one'"):
        trusted_proxies_parse(["127.0.0.1", "127.0.0.one"])
    assert trusted_proxies_parse("127.0.0.1, 10.0.0.0/8 ,") == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.0.0.0/8"),
    )
    # A host address written with a prefix is the network it names.
    assert trusted_proxies_parse(["10.1.2.3/8"]) == (ipaddress.ip_network("10.0.0.0/8"),)


# --- the requests --------------------------------------------------------------------------
def test_the_request_reads_the_setting(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    settings.TRUSTED_PROXIES = []
    assert client_address(request) == "127.0.0.1"
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request) == "198.51.100.7"


@pytest.mark.django_db
def test_ipv6_clients_share_a_rate_limit_per_64(settings):
    rate = RateLimit(2, 300)

    def limited(address):
        request = RequestFactory().post("/", REMOTE_ADDR=address)
        return request_rate_limited(request, action="test-v6", per_ip=rate)

    assert not limited("2001:db8:1:2::1")
    assert not limited("2001:db8:1:2::2")
    assert limited("2001:db8:1:2:ffff::3"), "the same /64 is one client"
    assert not limited("2001:db8:1:3::1"), "another /64 is another client"


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_reader_is_stored_limited_and_banned_alone(
    settings, article, monkeypatch
):
    """The Django side of the attack (the nginx test does it over real sockets)."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    without_assessors(monkeypatch)
    settings.DISCUSSION_POSTS_PER_IP = 2

    def post(forwarded: str, n: int):
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).post(
            f"/api/threads/{article.pk}/comments",
            data={"body": f"Comment {n} on the river levels.", "name": "Passer-by"},
            content_type="application/json",
        )

    for n in range(4):
        assert post(f"198.51.100.{n + 1}", n).status_code == 201
    assert sorted(Comment.objects.values_list("ip_address", flat=True)) == [
        f"198.51.100.{n + 1}" for n in range(4)
    ]
    # One reader is still limited, whatever it writes in front of its address.
    assert post("203.0.113.50", 10).status_code == 201
    assert post("198.51.100.77, 203.0.113.50", 11).status_code == 201
    assert post("198.51.100.78, 203.0.113.50", 12).status_code == 429
    assert Comment.objects.filter(ip_address="203.0.113.50").count() == 2
    assert not Comment.objects.filter(ip_address__in=["198.51.100.77", "198.51.100.78"]).exists()


@pytest.mark.django_db
def test_bans_name_the_client_not_the_proxy(settings, article):
    from newsdesk.moderation.tests.conftest import guest_reader, post

    moderator = user_for("admin")
    ban = ban_create(kind="ip", target="::ffff:198.51.100.7", actor=moderator)
    assert ban.network == "198.51.100.7/32", "a mapped address is banned as the IPv4 it is"
    # An IPv6 author holds a whole /64: banning one of its addresses bans the /64.
    comment = post(article, guest_reader("2001:db8:1:2::99"), "A first go at the figures.")
    ban_from_comment(comment_id=comment.pk, kind=BanKind.IP, actor=moderator)
    assert Ban.objects.filter(network="2001:db8:1:2::/64").exists()
    again = post(article, guest_reader("2001:db8:1:2:aaaa::1"), "Round two on the figures.")
    assert again.status == "rejected"
    elsewhere = post(article, guest_reader("2001:db8:1:3::1"), "A neighbour's own thoughts.")
    assert elsewhere.status == "published"


def test_allauth_sees_the_same_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().post(
        "/accounts/login/",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )
    assert get_adapter(request).get_client_ip(request) == "198.51.100.7"
    direct = RequestFactory().post(
        "/accounts/login/", REMOTE_ADDR="198.51.100.8", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert get_adapter(direct).get_client_ip(direct) == "198.51.100.8"


@pytest.mark.django_db
def test_only_a_trusted_proxy_may_say_the_reader_came_over_https(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    def fetch(peer: str):
        return Client(REMOTE_ADDR=peer, HTTP_X_FORWARDED_PROTO="https").get("/robots.txt")

    assert fetch("127.0.0.1").status_code == 200, "nginx says https: believed"
    direct = fetch("198.51.100.7")
    assert direct.status_code == 301, "a reader's own X-Forwarded-Proto is not"
    assert direct["Location"].startswith("https://")
