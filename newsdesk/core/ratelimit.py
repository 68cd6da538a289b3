"""Rate limits on writes, counted in the shared cache (Redis on the newsroom tier).

A fixed window per (action, who): simple, and enough to stop a flood of comments, reports,
sign-ins or donations from one address or account. Views answer a limited request with 429.
The address is the reader's behind trusted proxies (``core/clientaddr.py``).
"""

import hashlib
import time
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
    missing or expired starts again at 1 and lives ``timeout`` seconds.

    One write on the site's own backends (``core/cachebackend.py``: one diskcache transaction,
    or SET NX and INCR in one Redis round trip); Django's ``add`` then ``incr`` on others.
    """
    count_hit = getattr(cache, "count_hit", None)
    if count_hit is not None:
        return count_hit(key, timeout=timeout)
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def rate_limit_exceeded(*, action: str, who: str, rate: RateLimit) -> bool:
    """Count one request of ``who`` doing ``action``; True when it is over the limit."""
    window_start = int(time.time()) // rate.window
    digest = hashlib.sha256(f"{action}:{who}".encode()).hexdigest()[:32]
    key = f"ratelimit:{digest}:{window_start}"
    return counter_hit(key=key, timeout=rate.window + 1) > rate.limit


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
