"""Page cache settings, read from Django settings (set from the environment in base.py).

Every value has a working laptop default, so the cache runs with nothing configured.
"""

from django.conf import settings


def enabled() -> bool:
    return bool(getattr(settings, "PAGECACHE_ENABLED", True))


def entry_seconds() -> int:
    """How long a rendered page is kept at most (invalidation usually comes first)."""
    return int(getattr(settings, "PAGECACHE_SECONDS", 3600))


def browser_max_age() -> int:
    """``max-age`` of public pages for browsers and proxies (the bar may lag that long there)."""
    return int(getattr(settings, "PAGECACHE_BROWSER_MAX_AGE", 30))


def stale_while_revalidate() -> int:
    return int(getattr(settings, "PAGECACHE_STALE_WHILE_REVALIDATE", 300))


def stale_serve_seconds() -> int:
    """How long after an invalidation Django's cache may still answer the previous copy while
    one request renders the new one (no dog-pile of renderings on a busy page)."""
    return int(getattr(settings, "PAGECACHE_STALE_SERVE_SECONDS", 10))


def render_lock_seconds() -> int:
    """How long one request may hold a page's rendering lock (a crashed one frees it then)."""
    return int(getattr(settings, "PAGECACHE_RENDER_LOCK_SECONDS", 10))


def script_cookie() -> str:
    """Cookie the site's script sets: a signed-in reader who has it is served from the cache
    (the script fetches their per-comment state); without it they get a full rendering."""
    return str(getattr(settings, "PAGECACHE_SCRIPT_COOKIE", "newsdesk_js"))


def clock_margin() -> float:
    """Seconds of clock difference tolerated between the machines that render and invalidate.

    A page whose rendering began less than this long after an invalidation of one of its tags
    is not reused (at worst, one extra rendering per invalidation).
    """
    return float(getattr(settings, "PAGECACHE_CLOCK_MARGIN", 0.5))


def late_slots() -> tuple[str, ...]:
    """Slots left out of the cached copy and drawn on every serve (``web/slots.py``)."""
    return tuple(getattr(settings, "PAGECACHE_LATE_SLOTS", ("page_top",)))


def bypass_cookies() -> tuple[str, ...]:
    """Request cookies that make a page personal: the session (signed-in readers, messages
    kept in the session), Django's messages cookie and discussion's guest cookie."""
    default = (
        settings.SESSION_COOKIE_NAME,
        getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
        "newsdesk_guest",
    )
    return tuple(getattr(settings, "PAGECACHE_BYPASS_COOKIES", default))


def excluded_path_prefixes() -> tuple[str, ...]:
    """Paths never served from or stored in the cache, whatever their view."""
    return tuple(
        getattr(
            settings,
            "PAGECACHE_EXCLUDED_PREFIXES",
            (
                "/admin/",
                "/django-admin/",
                "/api/",
                "/webhooks/",
                "/accounts/",
                "/donate/",
                "/discussion/",
                "/moderation/",
                "/search/",
                "/static/",
                "/media/",
                "/documents/",
            ),
        )
    )
