"""Page cache settings, read at each use from the Django settings declared (with working
laptop defaults, from the environment) in ``newsdesk/settings/pagecache.py``.
"""

from django.conf import settings

from newsdesk.core.conf import setting


def enabled() -> bool:
    return bool(setting("PAGECACHE_ENABLED"))


def entry_seconds() -> int:
    """How long a rendered page is kept at most (invalidation usually comes first)."""
    return int(setting("PAGECACHE_SECONDS"))


def browser_max_age() -> int:
    """``max-age`` of public pages for browsers and proxies (the bar may lag that long there)."""
    return int(setting("PAGECACHE_BROWSER_MAX_AGE"))


def stale_while_revalidate() -> int:
    return int(setting("PAGECACHE_STALE_WHILE_REVALIDATE"))


def stale_serve_seconds() -> int:
    """How long after an invalidation Django's cache may still answer the previous copy while
    one request renders the new one (no dog-pile of renderings on a busy page)."""
    return int(setting("PAGECACHE_STALE_SERVE_SECONDS"))


def render_lock_seconds() -> int:
    """How long one request may hold a page's rendering lock (a crashed one frees it then)."""
    return int(setting("PAGECACHE_RENDER_LOCK_SECONDS"))


def script_cookie() -> str:
    """Cookie the site's script sets: a signed-in reader who has it is served from the cache
    (the script fetches their per-comment state); without it they get a full rendering."""
    return str(getattr(settings, "PAGECACHE_SCRIPT_COOKIE", "newsdesk_js"))


def clock_margin() -> float:
    """Seconds of clock difference tolerated between the machines that render and invalidate.

    A page whose rendering began less than this long after an invalidation of one of its tags
    is not reused (at worst, one extra rendering per invalidation).
    """
    return float(setting("PAGECACHE_CLOCK_MARGIN"))


def late_slots() -> tuple[str, ...]:
    """Slots left out of the cached copy and drawn on every serve (``web/slots.py``)."""
    return tuple(setting("PAGECACHE_LATE_SLOTS"))


# --- what makes a request personal: the site's own part (the apps' part: registry.py) -----
def bypass_cookies() -> tuple[str, ...]:
    """Django's request cookies that make a page personal: the session (signed-in readers,
    messages kept in the session) and the messages cookie. Apps add theirs (a guest's cookie)
    through ``registry.py``."""
    default = (
        settings.SESSION_COOKIE_NAME,
        getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
    )
    return tuple(getattr(settings, "PAGECACHE_BYPASS_COOKIES", default))


def personal_headers() -> tuple[str, ...]:
    """Request headers that make a page personal: ``Authorization``. Apps add theirs (a
    guest's token header) through ``registry.py``."""
    return tuple(getattr(settings, "PAGECACHE_PERSONAL_HEADERS", ("Authorization",)))


# --- query strings ---------------------------------------------------------------------------
def query_params() -> dict[str, str]:
    """Patterns replacing, by parameter name, those the apps registered with their public
    routes (``registry.py``): the values kept apart in the cache (a full match)."""
    return dict(getattr(settings, "PAGECACHE_QUERY_PARAMS", {}))


def ignored_query_params() -> tuple[str, ...]:
    """Parameters no page reads that links carry by the million (campaign tags, click ids):
    removed from the request before the page is rendered, so such a link is served the
    page's copy. A name ending in ``*`` is a prefix. Any other parameter is not ignored: the
    page is rendered for its sender and not stored."""
    default = ("utm_*", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga")
    return tuple(getattr(settings, "PAGECACHE_IGNORED_QUERY_PARAMS", default))


def excluded_path_prefixes() -> tuple[str, ...]:
    """Paths of the site's own URL configuration never served from or stored in the cache,
    whatever their view (the admins, the API, files). Apps add their private prefixes through
    ``registry.py``."""
    return tuple(
        getattr(
            settings,
            "PAGECACHE_EXCLUDED_PREFIXES",
            ("/admin/", "/django-admin/", "/api/", "/static/", "/media/", "/documents/"),
        )
    )
