"""``PageCacheMiddleware``: anonymous readers' public pages, rendered once and served whole.

Placed right after ``CsrfViewMiddleware`` (which reads the visitor's CSRF cookie before us and
sets it after us). A request is a candidate when it is a GET or HEAD with no personal cookie
(session, messages, discussion's guest cookie) and no Authorization, outside the excluded
paths (admin, API, webhooks, accounts, donate, discussion's own views, search...).

A candidate is answered from the cache when its entry (keyed by scheme, host, path and query)
exists and none of the entry's tags was invalidated since the entry's rendering began: no
database query, three cache reads (the entry, its tags' times, the campaign bar). Otherwise
the view renders it, with markers for its personal parts (``fill.py``); the result is stored
only if it is a 200 from a public page view (Wagtail pages, tag and author pages, feeds,
sitemaps) that set no cookie, kept no ``Cache-Control: private/no-cache/no-store``, and
leaves no CSRF token where the markers cannot reach.

Every answer to a candidate carries an ``ETag`` (a hash of what the reader gets, with their
CSRF secret's digest standing in for their token, so their next conditional GET can be a
304), ``Cache-Control`` (``public`` with a short max-age when the page has no form,
``private, no-cache`` when it carries the reader's CSRF token) and ``Surrogate-Key`` /
``Cache-Tag`` naming its tags for a CDN. Personal requests to public pages are rendered as
usual and marked ``private, no-cache``.
"""

import contextvars
import hashlib
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag

from newsdesk.web.pagecache import conf, fill
from newsdesk.web.pagecache.tags import (
    LISTINGS_TAG,
    SITE_TAG,
    page_tag,
    tags_fresh,
    tags_register,
)

ENTRY_KEY_PREFIX = "pagecache:page:"
# Tells operators and benchmarks how a page was answered: hit, miss or bypass.
STATUS_HEADER = "X-Page-Cache"
# Headers rebuilt on every serve instead of stored.
UNSTORED_HEADERS = {"content-length", "etag", "cache-control", "set-cookie"}
# Public views other than Wagtail's pages, by (namespace, url name).
PUBLIC_ROUTES = {
    ("", "wagtail_serve"),
    ("articles", "tag"),
    ("articles", "author"),
    ("articles", "feed_rss"),
    ("articles", "feed_atom"),
    ("articles", "section_feed_rss"),
    ("articles", "section_feed_atom"),
    ("articles", "sitemap"),
    ("articles", "news_sitemap"),
}

_rendering_tags: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "pagecache_rendering_tags", default=None
)


def rendering_tags_add(*tags: str) -> None:
    """Name tags of what the page being rendered for the cache shows (no-op otherwise)."""
    current = _rendering_tags.get()
    if current is not None:
        current.update(tags)


@dataclass
class Entry:
    """A rendered page as stored: the body with markers, and what is needed to serve it."""

    body: str
    headers: list[tuple[str, str]]
    tags: list[str]
    rendered_at: float
    has_csrf: bool
    late_slots: tuple[str, ...] = ()
    digest: str = field(default="")

    def __post_init__(self):
        if not self.digest:
            self.digest = hashlib.sha256(self.body.encode()).hexdigest()


def entry_key(request: HttpRequest) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return ENTRY_KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


def _is_candidate(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not conf.enabled():
        return False
    if request.path_info.startswith(conf.excluded_path_prefixes()):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return not any(name in request.COOKIES for name in conf.bypass_cookies())


def _is_public_route(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return (match.namespace, match.url_name) in PUBLIC_ROUTES


def _response_tags(request: HttpRequest, response: HttpResponse, shown: set[str]) -> list[str]:
    from newsdesk.articles.models import ArticlePage

    tags = {SITE_TAG, *shown}
    page = (getattr(response, "context_data", None) or {}).get("page")
    if page is not None and getattr(page, "pk", None):
        tags.add(page_tag(page.pk))
    if not isinstance(page, ArticlePage):
        # Everything but an article's own page lists articles (front, sections, tags,
        # authors, feeds, sitemaps): a new, removed or moved article changes it.
        tags.add(LISTINGS_TAG)
    return sorted(tags)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False  # the page wrote to the visitor's session: it is theirs alone
    return _is_public_route(request)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_candidate(request):
            return self._personal(request, self.get_response(request))
        try:
            key = entry_key(request)
        except DisallowedHost:
            return self.get_response(request)
        entry = cache.get(key)
        if entry is not None and tags_fresh(tags=entry.tags, rendered_at=entry.rendered_at):
            response = self._serve(request, entry)
            response[STATUS_HEADER] = "hit"
            return response
        response = self._render(request, key)
        response[STATUS_HEADER] = "miss"
        return response

    # --- a miss: render with markers, store, serve ------------------------------------
    def _render(self, request: HttpRequest, key: str) -> HttpResponse:
        late = conf.late_slots()
        request.pagecache_late_slots = {name: fill.late_slot_marker(name) for name in late}
        rendered_at = time.time()
        shown: set[str] = set()
        token = _rendering_tags.set(shown)
        try:
            response = self.get_response(request)
        finally:
            _rendering_tags.reset(token)
        if response.streaming:
            return response
        entry = self._entry(request, response, shown, rendered_at, late=late)
        if entry is None:
            # Not shared; still fill the late slots this rendering left as markers.
            html = response.content.decode(response.charset)
            names = fill.late_slots_present(html=html, names=late)
            if names:
                drawn = fill.late_slots_draw(request=request, names=names)
                html = fill.late_slots_fill(html=html, drawn=drawn)
                response.content = html.encode(response.charset)
            return response
        self._store(key, entry)
        return self._serve(request, entry)

    def _entry(self, request, response, shown, rendered_at, *, late) -> Entry | None:
        if not _storable(request, response):
            return None
        html = response.content.decode(response.charset)
        marked = fill.csrf_tokens_mark(html=html, secret=request.META.get("CSRF_COOKIE"))
        if marked is None:
            return None
        body, csrf_count = marked
        return Entry(
            body=body,
            headers=[
                (name, value)
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            ],
            tags=_response_tags(request, response, shown),
            rendered_at=rendered_at,
            has_csrf=csrf_count > 0,
            late_slots=fill.late_slots_present(html=body, names=late),
        )

    def _store(self, key: str, entry: Entry) -> None:
        tags_register(tags=entry.tags, before=entry.rendered_at - conf.clock_margin() - 1)
        cache.set(key, entry, conf.entry_seconds())

    # --- serving a stored page --------------------------------------------------------
    def _serve(self, request: HttpRequest, entry: Entry) -> HttpResponse:
        drawn = fill.late_slots_draw(request=request, names=entry.late_slots)
        parts = [entry.digest, *(drawn[name] for name in entry.late_slots)]
        if entry.has_csrf:
            secret = request.META.get("CSRF_COOKIE")
            if secret is None:
                # A first visit: make the visitor's secret now, so the ETag names it.
                get_token(request)
                secret = request.META["CSRF_COOKIE"]
            parts.append(fill.csrf_secret_digest(secret))
        etag = quote_etag(hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32])
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
        else:
            body = fill.late_slots_fill(html=entry.body, drawn=drawn)
            if entry.has_csrf:
                body = fill.csrf_fill(html=body, request=request)
            response = HttpResponse(body)
            for name, value in entry.headers:
                response[name] = value
        response["ETag"] = etag
        if entry.has_csrf:
            # The page carries this reader's CSRF token: no shared cache may keep it.
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(
                response,
                public=True,
                max_age=conf.browser_max_age(),
                stale_while_revalidate=conf.stale_while_revalidate(),
            )
        response["Surrogate-Key"] = " ".join(entry.tags)
        response["Cache-Tag"] = ",".join(entry.tags)
        return response

    # --- personal requests ----------------------------------------------------------------
    def _personal(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            request.method in ("GET", "HEAD")
            and _is_public_route(request)
            and not response.has_header("Cache-Control")
        ):
            patch_cache_control(response, private=True, no_cache=True)
            response[STATUS_HEADER] = "bypass"
        return response
