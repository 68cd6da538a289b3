"""Rate limits on writes, counted in the shared cache (Redis on the newsroom tier).

A window per (action, who) that starts at its first request: simple, and enough to stop a
flood of comments, reports, sign-ins or donations from one address or account. Views answer
a limited request with 429.

Why not windows on the clock (``time() // window``): a flood that straddles a boundary
gets the limit twice within seconds, once in each window, and whether it does depends on
the minute the flood began.

The address is the reader's behind trusted proxies (``core/clientaddr.py``).
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

from newsdesk.core.clientaddr import address_group, client_address


@dataclass(frozen=True)
class RateLimit:
    """``limit`` requests per ``window`` seconds."""

    limit: int
    window: int


def client_ip(request) -> str:
    """The client's address, or "unknown": ``web/clientaddr.client_address``, which believes
    X-Forwarded-For only from the proxies of ``TRUSTED_PROXIES``."""
    return client_address(request) or "unknown"


def counter_hit(*, key: str, timeout: int) -> int:
    """Add one to the shared counter ``key`` and return its new value; a counter that is
    missing or expired starts again at 1 and lives ``timeout`` seconds, and hits keep that
    first expiry. Exact when processes count at once.

    Through the cache framework's ``incr`` and ``add``: an ``incr`` first, as a counter that
    exists is the common case (one write: one diskcache transaction on the laptop tier);
    a missing or expired one is then started by ``add``, which sets its expiry, and a
    concurrent start that won the ``add`` is counted on by ``incr`` again. A backend with
    its own one-write counter (``count_hit``: Redis, ``core/cachebackend.py``) uses that.
    """
    count_hit = getattr(cache, "count_hit", None)
    if count_hit is not None:
        return count_hit(key, timeout=timeout)
    for _ in range(3):
        try:
            return cache.incr(key)
        except ValueError:  # missing or expired: start it, with its expiry
            if cache.add(key, 1, timeout=timeout):
                return 1
    # Started and expired again between our tries three times: count this hit as the first.
    cache.set(key, 1, timeout=timeout)
    return 1


def rate_limit_exceeded(*, action: str, who: str, rate: RateLimit) -> bool:
    """Count one request of ``who`` doing ``action``; True when it is over the limit: more
    than ``rate.limit`` requests within ``rate.window`` seconds of the first one counted.
    The counter expires ``rate.window`` seconds after that first request, and the next one
    starts a new window."""
    digest = hashlib.sha256(f"{action}:{who}".encode()).hexdigest()[:32]
    return counter_hit(key=f"ratelimit:{digest}", timeout=rate.window) > rate.limit


def request_rate_limited(
    request, *, action: str, per_ip: RateLimit, per_user: RateLimit | None = None
) -> bool:
    """Apply the per-address limit, and the per-account one for a signed-in user."""
    # An IPv6 reader is counted by its /64 (``address_group``), which it controls whole.
    who = f"ip:{address_group(client_ip(request))}"
    limited = rate_limit_exceeded(action=action, who=who, rate=per_ip)
    user = getattr(request, "user", None)
    if per_user is not None and user is not None and user.is_authenticated:
        limited = (
            rate_limit_exceeded(action=action, who=f"user:{user.pk}", rate=per_user) or limited
        )
    return limited
