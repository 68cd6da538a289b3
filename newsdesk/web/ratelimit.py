"""Rate limits on writes, counted in the shared cache (Redis on the newsroom tier).

A fixed window per (action, who): simple, and enough to stop a flood of comments, reports,
sign-ins or donations from one address or account. Views answer a limited request with 429.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class RateLimit:
    """``limit`` requests per ``window`` seconds."""

    limit: int
    window: int


def client_ip(request) -> str:
    """The client's address. Behind a proxy, set it in REMOTE_ADDR (gunicorn's
    --forwarded-allow-ips), never trust X-Forwarded-For as sent by the client."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit_exceeded(*, action: str, who: str, rate: RateLimit) -> bool:
    """Count one request of ``who`` doing ``action``; True when it is over the limit."""
    window_start = int(time.time()) // rate.window
    digest = hashlib.sha256(f"{action}:{who}".encode()).hexdigest()[:32]
    key = f"ratelimit:{digest}:{window_start}"
    if cache.add(key, 1, timeout=rate.window + 1):
        return rate.limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=rate.window + 1)
        count = 1
    return count > rate.limit


def request_rate_limited(
    request, *, action: str, per_ip: RateLimit, per_user: RateLimit | None = None
) -> bool:
    """Apply the per-address limit, and the per-account one for a signed-in user."""
    limited = rate_limit_exceeded(action=action, who=f"ip:{client_ip(request)}", rate=per_ip)
    user = getattr(request, "user", None)
    if per_user is not None and user is not None and user.is_authenticated:
        limited = (
            rate_limit_exceeded(action=action, who=f"user:{user.pk}", rate=per_user) or limited
        )
    return limited
