"""Who may read ``/metrics``: a scraper on an allowed network, or one with the token."""

import hmac
import ipaddress
from functools import lru_cache

from django.http import HttpRequest

from newsdesk.core.clientaddr import address_parse, client_address
from newsdesk.core.conf import setting

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def allowed_networks() -> tuple[IPNetwork, ...]:
    """``METRICS_ALLOWED_NETWORKS`` parsed (addresses or CIDR networks); a value that is
    neither raises ``ValueError`` naming it (checked at start by the middleware)."""
    values = tuple(setting("METRICS_ALLOWED_NETWORKS"))
    try:
        return _networks(values)
    except ValueError as error:
        raise ValueError(f"METRICS_ALLOWED_NETWORKS: {error}") from None


def _allowed_address(text: str, networks: tuple[IPNetwork, ...]) -> bool:
    address = address_parse(text)
    return address is not None and any(address in network for network in networks)


def token_matches(request: HttpRequest) -> bool:
    """Whether ``METRICS_TOKEN`` is set and the request sends it as a bearer token."""
    token = str(setting("METRICS_TOKEN") or "")
    if not token:
        return False
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not sent.strip():
        return False
    return hmac.compare_digest(sent.strip().encode(), token.encode())


def metrics_allowed(request: HttpRequest) -> bool:
    """Whether ``request`` may read the metrics: it sends the token, or its client (the
    reader ``TRUSTED_PROXIES`` lets through, else the peer) is on an allowed network and so
    is every address its X-Forwarded-For names. The last rule keeps a proxy in front (whose
    own address is loopback) from opening the metrics to whoever it forwards, even where
    ``TRUSTED_PROXIES`` is not set."""
    if token_matches(request):
        return True
    networks = allowed_networks()
    if not _allowed_address(client_address(request), networks):
        return False
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    return all(_allowed_address(entry, networks) for entry in entries)
