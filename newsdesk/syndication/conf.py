"""Settings of the syndication app, read when used (not at import) from the Django settings
declared in ``newsdesk/settings/syndication.py``, so a newsroom's environment and a test's
``override_settings`` both apply.
"""

from dataclasses import dataclass

from newsdesk.core.conf import setting
from newsdesk.core.ratelimit import RateLimit


def _int(name: str) -> int:
    return int(setting(name))


def _float(name: str) -> float:
    return float(setting(name))


def _list(name: str) -> list[str]:
    """A list setting, lower-cased; a comma-separated string is accepted too."""
    value = setting(name)
    if isinstance(value, str):
        value = value.split(",")
    return [item.strip().lower() for item in value if item.strip()]


@dataclass(frozen=True)
class FetchLimits:
    """How far the fetcher goes for one feed or picture before it gives up."""

    connect_timeout: float
    # The whole exchange, headers and body, must finish within this many seconds: a server
    # that trickles a byte at a time cannot hold the worker.
    total_timeout: float
    max_bytes: int
    max_redirects: int
    user_agent: str


def feed_fetch_limits() -> FetchLimits:
    return FetchLimits(
        connect_timeout=_float("SYNDICATION_CONNECT_TIMEOUT"),
        total_timeout=_float("SYNDICATION_TOTAL_TIMEOUT"),
        max_bytes=_int("SYNDICATION_FEED_MAX_BYTES"),
        max_redirects=_int("SYNDICATION_MAX_REDIRECTS"),
        user_agent=str(setting("SYNDICATION_USER_AGENT")),
    )


def image_fetch_limits() -> FetchLimits:
    feed = feed_fetch_limits()
    return FetchLimits(
        connect_timeout=feed.connect_timeout,
        total_timeout=_float("SYNDICATION_IMAGE_TOTAL_TIMEOUT"),
        max_bytes=_int("SYNDICATION_IMAGE_MAX_BYTES"),
        max_redirects=feed.max_redirects,
        user_agent=feed.user_agent,
    )


def image_max_pixels() -> int:
    """Larger pictures are refused: decoding them would cost the worker too much memory."""
    return _int("SYNDICATION_IMAGE_MAX_PIXELS")


def images_per_entry() -> int:
    """At most this many pictures of one story are downloaded; the rest stay references."""
    return _int("SYNDICATION_IMAGES_PER_ENTRY")


def entries_per_poll() -> int:
    """At most this many entries of one feed are read per poll (newest first in the feed)."""
    return _int("SYNDICATION_ENTRIES_PER_POLL")


def embed_hosts() -> frozenset[str]:
    """Hosts whose <iframe> embeds a partner story may keep (video players)."""
    return frozenset(_list("SYNDICATION_EMBED_HOSTS"))


def backoff_max_minutes() -> int:
    """The longest wait after repeated failures (the wait doubles with each failure)."""
    return _int("SYNDICATION_BACKOFF_MAX_MINUTES")


def poll_stale_minutes() -> int:
    """A poll still marked as running after this long is taken to have died."""
    return _int("SYNDICATION_POLL_STALE_MINUTES")


def idle_recheck_minutes() -> int:
    """With no source at all, the poll task still looks again this often."""
    return _int("SYNDICATION_IDLE_RECHECK_MINUTES")


def poll_now_rate() -> RateLimit:
    """How often one editor may ask for an immediate poll: (requests, seconds)."""
    return RateLimit(_int("SYNDICATION_POLL_NOW_PER_USER"), _int("SYNDICATION_POLL_NOW_WINDOW"))
