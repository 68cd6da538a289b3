"""Outgoing HTTP that cannot be turned against the inside of our own network (SSRF).

Every fetch of an address someone else chose (a partner's feed or picture, an editor's
embed, and wherever any of those redirect) goes through a urllib3 pool manager from
``guarded_pool_manager()``. Its connections resolve the host name once, refuse the whole
answer if any address in it is not a public internet address (loopback, private, link-local
such as 169.254.169.254, shared, multicast, reserved, documentation; IPv6 loopback,
unique-local, link-local, multicast; IPv4 written in IPv6 forms: mapped, compatible, NAT64,
6to4, Teredo), and then connect to exactly the address that was checked: a second DNS
answer (DNS rebinding) is never asked for. The Host header, TLS SNI and certificate check
still use the host name. Redirects open new connections, so every hop is checked the same
way. urllib3 reads no proxy from the environment, so ``HTTP_PROXY`` cannot route around
the check.

A refused address is ``TargetRefused``, whose message is the same for every internal target
(open port or closed, address or name): nothing is sent to it, so an editor learns nothing
about what listens inside.

``FETCH_ALLOW_INTERNAL`` (a setting or environment variable; empty by default) names the
internal addresses that may be reached anyway: comma-separated ``ADDRESS``, ``NETWORK/BITS``,
``ADDRESS:PORT`` or ``[IPV6]:PORT``. The test suite allows its own servers on 127.0.0.1 this
way; a newsroom whose partner feed lives on its own network can do the same.
"""

import ipaddress
import socket
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError

from newsdesk.core.conf import setting

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

REFUSED_MESSAGE = "{host} is not a public internet address, so nothing is fetched from it."

# Not reachable on the public internet, or not meant to be fetched from (RFC 6890 and the
# IANA special-purpose registries). Listed explicitly: ``ipaddress``'s ``is_global`` has
# changed between Python releases and misses multicast.
_REFUSED_V4 = tuple(
    ipaddress.IPv4Network(net)
    for net in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, cloud metadata (169.254.169.254)
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255
    )
)
_REFUSED_V6 = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "::/128",
        "::1/128",
        "::/96",  # IPv4-compatible (deprecated)
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, Teredo (2001::/32) among them
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing SIDs
        "fc00::/7",  # unique-local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")


class TargetRefused(HTTPError):
    """The address is not public and not allowed. Deliberately not an ``OSError`` or a
    timeout: urllib3 neither retries it nor wraps it, so it reaches the caller as it is."""

    def __init__(self, host: str):
        super().__init__(REFUSED_MESSAGE.format(host=host))
        self.host = host


def address_internal(address: IPAddress) -> bool:
    """Whether ``address`` is anything but a public unicast internet address, looking into
    the IPv4 address that the IPv6 transition forms carry."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address in _SIX_TO_FOUR:
            embedded = address.sixtofour
        if embedded is not None:
            return address_internal(embedded)
        if address.scope_id:
            return True
        return any(address in network for network in _REFUSED_V6)
    return any(address in network for network in _REFUSED_V4)


@dataclass(frozen=True)
class AllowedTarget:
    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    port: int | None  # None: any port

    def admits(self, address: IPAddress, port: int) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return address in self.network and (self.port is None or self.port == port)


def allowed_targets_parse(value: str) -> tuple[AllowedTarget, ...]:
    """``FETCH_ALLOW_INTERNAL``'s entries; a ``ValueError`` naming the entry it cannot read."""
    targets = []
    for entry in (item.strip() for item in value.split(",")):
        if not entry:
            continue
        address, port = entry, None
        if entry.startswith("["):
            address, bracket, rest = entry[1:].partition("]")
            port = rest.removeprefix(":") if rest else None
            if not bracket or (rest and not rest.startswith(":")):
                address = ""  # unreadable: reported below
        elif entry.count(":") == 1:
            address, port = entry.split(":")
        try:
            network = ipaddress.ip_network(address, strict=False)
            port_number = int(port) if port is not None else None
        except ValueError:
            raise ValueError(
                f"FETCH_ALLOW_INTERNAL: {entry!r} is not an address, a network or address:port"
            ) from None
        targets.append(AllowedTarget(network, port_number))
    return tuple(targets)


def allowed_targets() -> tuple[AllowedTarget, ...]:
    """The internal targets this installation may fetch from (read when used, so a test's
    ``override_settings`` applies). Empty unless configured."""
    value = setting("FETCH_ALLOW_INTERNAL")
    if not isinstance(value, str):
        value = ",".join(value)
    return allowed_targets_parse(value)


def target_allowed(*, address: IPAddress, port: int, allowed=None) -> bool:
    """Whether a connection to ``address``:``port`` may be opened."""
    if not address_internal(address):
        return True
    allowed = allowed_targets() if allowed is None else allowed
    return any(target.admits(address, port) for target in allowed)


def host_resolve_checked(*, host: str, port: int) -> list[tuple]:
    """Resolve ``host`` once; the ``getaddrinfo`` answers to connect to, every one checked.

    Raises ``TargetRefused`` when any answer is internal and not allowed (a name that
    resolves to a public and a private address is refused whole), ``socket.gaierror`` when
    the name does not resolve.
    """
    answers = socket.getaddrinfo(host, port, socket.AF_UNSPEC, socket.SOCK_STREAM)
    allowed = allowed_targets()
    checked = []
    for family, socktype, proto, _canonname, sockaddr in answers:
        if family not in (socket.AF_INET, socket.AF_INET6):
            raise TargetRefused(host)
        address = ipaddress.ip_address(sockaddr[0])
        if not target_allowed(address=address, port=port, allowed=allowed):
            raise TargetRefused(host)
        checked.append((family, socktype, proto, sockaddr))
    if not checked:
        raise TargetRefused(host)
    return checked


# To the type checker the mixin is the urllib3 connection it is mixed into (its host, port,
# timeout...); at run time it is a plain class placed before that connection's class.
if TYPE_CHECKING:
    _MixinBase = HTTPConnection
else:
    _MixinBase = object


class _GuardedConnectionMixin(_MixinBase):
    """Replaces urllib3's ``_new_conn``: resolve and check once, connect to the checked
    address. Everything above the socket (Host header, TLS SNI and certificate check
    against the host name) is urllib3's own."""

    def _new_conn(self) -> socket.socket:
        host = self._dns_host
        try:
            answers = host_resolve_checked(host=host, port=self.port)
        except socket.gaierror as error:
            raise urllib3.exceptions.NameResolutionError(self.host, self, error) from error
        last_error: OSError | None = None
        for family, socktype, proto, sockaddr in answers:
            sock = socket.socket(family, socktype, proto)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                sock.settimeout(self.timeout)
                if self.source_address:
                    sock.bind(self.source_address)
                sock.connect(sockaddr)
            except TimeoutError as error:
                sock.close()
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                ) from error
            except OSError as error:
                sock.close()
                last_error = error
                continue
            sys.audit("http.client.connect", self, self.host, self.port)
            return sock
        raise NewConnectionError(self, f"Failed to establish a new connection: {last_error}")


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


def guarded_pool_manager(**kwargs) -> urllib3.PoolManager:
    """A ``urllib3.PoolManager`` (``kwargs`` as for it) whose every connection, redirects
    included, goes only to checked public addresses (or allowed internal ones)."""
    manager = urllib3.PoolManager(**kwargs)
    manager.pool_classes_by_scheme = {
        "http": GuardedHTTPConnectionPool,
        "https": GuardedHTTPSConnectionPool,
    }
    return manager
