"""Who the client is: the one address rate limits, bans, stored comments and the sign-in
lock-out use (``client_address``), and who a rate limit counts (``address_group``).

Behind nginx or a CDN the TCP peer (REMOTE_ADDR) is the proxy, so every reader would be
127.0.0.1. ``TRUSTED_PROXIES`` names the proxies whose ``X-Forwarded-For`` is believed
(addresses or CIDR networks; none by default, and then the header is never read). The
client is then found the standard way, walking X-Forwarded-For from the right: each proxy
appends the address it saw, so the entries right of the first untrusted one were written by
trusted proxies, and everything left of it was written by the client and proves nothing.

``ClientAddressMiddleware`` works it out once per request (``request.client_ip``) and puts it
in REMOTE_ADDR, so code that reads REMOTE_ADDR itself (Django's debug and broken-link
reports, Wagtail's preview) sees the reader too; the proxy's address is kept in
``request.META["NEWSDESK_PROXY_ADDR"]``. Once proxies are named, an X-Forwarded-Proto from
any other peer is dropped too, so only a trusted proxy can make a request secure.

It also notes, at most once a minute per process and kind, how requests arrive (``arrival_record``):
``manage.py doctor`` reads it to say that requests come through a proxy TRUSTED_PROXIES does
not name, or from a trusted proxy that sends no X-Forwarded-For.
"""

import contextlib
import ipaddress
import time
from functools import lru_cache

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from newsdesk.core.conf import setting

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# A reader controls the whole /64 their provider routes to them (SLAAC, privacy addresses):
# counting single IPv6 addresses would give one reader 2^64 rate-limit buckets.
IPV6_CLIENT_PREFIX = 64
# Longer than any address with brackets and a port; longer entries are not addresses.
_ENTRY_MAX_CHARS = 64
PROXY_ADDR_KEY = "NEWSDESK_PROXY_ADDR"


def address_parse(text: str) -> IPAddress | None:
    """The address in one X-Forwarded-For entry or REMOTE_ADDR, or None if it is not one.

    Accepts ``198.51.100.7``, ``198.51.100.7:4711``, ``2001:db8::5``, ``[2001:db8::5]`` and
    ``[2001:db8::5]:443``; an IPv4-mapped IPv6 address is returned as the IPv4 address it is.
    Anything else (``unknown``, host names, zone ids, garbage) is None.
    """
    text = text.strip()
    if not text or len(text) > _ENTRY_MAX_CHARS or "%" in text:
        return None
    if text.startswith("["):
        end = text.find("]")
        rest = text[end + 1 :] if end > 0 else None
        if rest is None or (rest and not _is_port(rest)):
            return None
        text = text[1:end]
    elif text.count(":") == 1:
        text, _, port = text.partition(":")
        if not _is_port(":" + port):
            return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_port(text: str) -> bool:
    digits = text[1:]
    return text.startswith(":") and 0 < len(digits) <= 5 and digits.isascii() and digits.isdigit()


def trusted_proxies_parse(values: str | list[str] | tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """The networks of ``TRUSTED_PROXIES`` (a list, or one comma-separated string).

    A single address is its /32 or /128; an IPv4-mapped IPv6 network is the IPv4 network.
    Raises ImproperlyConfigured, naming the entry, for anything that is not an address or
    network: a typo must stop the start, not silently trust nobody (or everybody).
    """
    if isinstance(values, str):
        values = values.split(",")
    networks = []
    for value in values:
        value = str(value).strip()
        if not value:
            continue
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {value!r} is not an IP address or a network in CIDR "
                "notation (such as 127.0.0.1 or 10.0.0.0/8)."
            ) from None
        mapped = network.version == 6 and network.network_address.ipv4_mapped
        if mapped and network.prefixlen >= 96:
            network = ipaddress.ip_network(f"{mapped}/{network.prefixlen - 96}", strict=False)
        networks.append(network)
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted_cached(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return trusted_proxies_parse(values)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    """The configured trusted proxies (``settings.TRUSTED_PROXIES``), parsed once."""
    values = setting("TRUSTED_PROXIES")
    if isinstance(values, str):
        values = values.split(",")
    return _trusted_cached(tuple(values))


def _trusted(address: IPAddress, trusted: tuple[IPNetwork, ...]) -> bool:
    return any(address in network for network in trusted if network.version == address.version)


def peer_is_trusted(*, remote_addr: str, trusted: tuple[IPNetwork, ...]) -> bool:
    """Whether the direct peer (REMOTE_ADDR) is one of the ``trusted`` proxies."""
    peer = address_parse(remote_addr or "")
    return peer is not None and _trusted(peer, trusted)


def client_address_resolve(
    *, remote_addr: str, forwarded_for: str, trusted: tuple[IPNetwork, ...]
) -> str:
    """The client's address, or "" when the peer's own address is unknown.

    With an untrusted peer (or no trusted proxies) it is the peer, and X-Forwarded-For is
    not read at all. Otherwise walk X-Forwarded-For from the right, past trusted proxies, to
    the first address that is not one: that is the client. When every entry is trusted the
    left-most is the client; a malformed entry ends the walk at the last trusted hop (only a
    trusted proxy could have put it there, so nothing further left is believed).
    """
    peer = address_parse(remote_addr or "")
    if peer is None:
        return ""
    client = peer
    if not trusted or not _trusted(peer, trusted):
        return str(client)
    for entry in reversed(forwarded_for.split(",")):
        address = address_parse(entry)
        if address is None:
            break
        client = address
        if not _trusted(address, trusted):
            break
    return str(client)


def client_address(request: HttpRequest) -> str:
    """The address of the reader behind ``request`` ("" if unknown): the one function every
    rate limit, ban, stored address and allauth's lock-out use. Worked out once per request
    by ``ClientAddressMiddleware``; computed here for a request that did not pass it."""
    known = getattr(request, "client_ip", None)
    if known is not None:
        return known
    return client_address_resolve(
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
        trusted=trusted_proxies(),
    )


def address_group(address: str) -> str:
    """Who a per-address limit counts: an IPv4 address itself, an IPv6 address's /64
    (``2001:db8:1:2::/64``). Text that is not an address is returned unchanged."""
    parsed = address_parse(address)
    if parsed is None:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(parsed)


# --- How requests arrive, for ``manage.py doctor`` ------------------------------------------

ARRIVAL_KEY_PREFIX = "core:arrivals:"
# The kinds of arrival: through a trusted proxy that forwarded the client (as it should), from
# a trusted proxy with no X-Forwarded-For, from an untrusted peer with one (a proxy missing
# from TRUSTED_PROXIES, or a client forging the header), and straight from a reader.
ARRIVAL_KINDS = ("trusted-forwarded", "trusted-bare", "untrusted-forwarded", "direct")
# How long a note is kept: doctor speaks of the last hour.
ARRIVAL_SECONDS = 3600
# One cache write per kind per process per minute at most: a reader's request almost never
# pays for the note.
ARRIVAL_WRITE_EVERY_SECONDS = 60.0
_arrivals_written: dict[str, float] = {}


def arrival_kind(*, peer: str, forwarded: bool, trusted: tuple[IPNetwork, ...]) -> str:
    """Which of ``ARRIVAL_KINDS`` a request from ``peer`` (REMOTE_ADDR) is, with or without
    an X-Forwarded-For header."""
    peer_trusted = bool(trusted) and peer_is_trusted(remote_addr=peer, trusted=trusted)
    if forwarded:
        return "trusted-forwarded" if peer_trusted else "untrusted-forwarded"
    return "trusted-bare" if peer_trusted else "direct"


def arrival_record(*, peer: str, forwarded: bool, trusted: tuple[IPNetwork, ...]) -> None:
    """Note in the shared cache that a request of this kind came from ``peer`` now, unless
    this process noted that kind less than a minute ago. Never raises: the note must not cost
    a reader their page (the cache may be down; OutageMiddleware sits below this one)."""
    kind = arrival_kind(peer=peer, forwarded=forwarded, trusted=trusted)
    now = time.monotonic()
    last = _arrivals_written.get(kind)
    if last is not None and now - last < ARRIVAL_WRITE_EVERY_SECONDS:
        return
    _arrivals_written[kind] = now
    # A note for doctor, never a reason to fail a request.
    with contextlib.suppress(Exception):
        cache.set(ARRIVAL_KEY_PREFIX + kind, {"peer": peer, "at": time.time()}, ARRIVAL_SECONDS)


def arrivals_seen() -> dict[str, dict]:
    """The notes of the last hour, by kind: ``{"peer": REMOTE_ADDR, "at": epoch seconds}``
    (the latest peer of each kind noted across the processes)."""
    found = cache.get_many([ARRIVAL_KEY_PREFIX + kind for kind in ARRIVAL_KINDS])
    return {
        kind: found[ARRIVAL_KEY_PREFIX + kind]
        for kind in ARRIVAL_KINDS
        if ARRIVAL_KEY_PREFIX + kind in found
    }


class ClientAddressMiddleware:
    """Sets ``request.client_ip`` and REMOTE_ADDR to the reader's address (see the module's
    docstring). First in MIDDLEWARE, so everything below sees the reader. Reading the setting
    here makes a malformed ``TRUSTED_PROXIES`` stop the server at start."""

    def __init__(self, get_response):
        self.get_response = get_response
        trusted_proxies()

    def __call__(self, request: HttpRequest):
        peer = request.META.get("REMOTE_ADDR", "")
        trusted = trusted_proxies()
        if trusted and not peer_is_trusted(remote_addr=peer, trusted=trusted):
            # The same rule for the scheme (SECURE_PROXY_SSL_HEADER): once proxies are named,
            # only they may say the reader came over HTTPS.
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        arrival_record(peer=peer, forwarded="HTTP_X_FORWARDED_FOR" in request.META, trusted=trusted)
        address = client_address(request)
        # An attribute of our own on the request, as Django's middleware add ``user``.
        request.client_ip = address  # type: ignore[attr-defined]
        if address and address != peer:
            request.META[PROXY_ADDR_KEY] = peer
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
