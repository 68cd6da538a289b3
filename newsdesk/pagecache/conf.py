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


# --- what makes a request personal: the one list the middleware's lookup and store use -----
def bypass_cookies() -> tuple[str, ...]:
    """Request cookies that make a page personal: the session (signed-in readers, messages
    kept in the session), Django's messages cookie and discussion's guest cookie."""
    default = (
        settings.SESSION_COOKIE_NAME,
        getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
        "newsdesk_guest",
    )
    return tuple(getattr(settings, "PAGECACHE_BYPASS_COOKIES", default))


def personal_headers() -> tuple[str, ...]:
    """Request headers that make a page personal: ``Authorization`` and discussion's
    ``X-Guest-Token`` (the guest's key, as the API's clients send it: the thread then shows
    that guest's comments awaiting moderation)."""
    return tuple(
        getattr(settings, "PAGECACHE_PERSONAL_HEADERS", ("Authorization", "X-Guest-Token"))
    )


# --- query strings ---------------------------------------------------------------------------
# Values a page-number parameter may have in a key: 1 to 9999. A larger number (or another
# spelling, 007) is still answered, rendered for its sender, but never stored, so one page
# cannot be made to hold an unbounded number of copies.
PAGE_NUMBER = r"[1-9][0-9]{0,3}"


def query_params() -> dict[str, str]:
    """The query parameters public pages read, each with the pattern of the values kept
    apart in the cache (a full match); which page reads which is ``PUBLIC_ROUTES`` in the
    middleware. The article's comment sort and comment page, listings' page, the sitemap's
    page (Django's ``p``)."""
    default = {
        "sort": r"best|newest|oldest",
        "cpage": PAGE_NUMBER,
        "page": PAGE_NUMBER,
        "p": PAGE_NUMBER,
    }
    return dict(getattr(settings, "PAGECACHE_QUERY_PARAMS", default))


def ignored_query_params() -> tuple[str, ...]:
    """Parameters no page reads that links carry by the million (campaign tags, click ids):
    removed from the request before the page is rendered, so such a link is served the
    page's copy. A name ending in ``*`` is a prefix. Any other parameter is not ignored: the
    page is rendered for its sender and not stored."""
    default = ("utm_*", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga")
    return tuple(getattr(settings, "PAGECACHE_IGNORED_QUERY_PARAMS", default))


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
