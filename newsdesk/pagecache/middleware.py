"""``PageCacheMiddleware``: public pages rendered once and served whole, to anonymous
readers as the same bytes and to signed-in readers with their small personal part filled in.

Placed right after ``CsrfViewMiddleware`` (which reads the visitor's CSRF cookie before us and
sets it after us). A GET or HEAD of a public page (a public route the apps registered,
``registry.py``, outside the private prefixes) whose query string can be keyed (``query.py``)
is a candidate:

- anonymous, with no personal cookie or header (``personal.py``: the session, messages,
  ``Authorization`` and those the apps registered, such as a guest's cookie and token): served
  the public copy, identical for everyone (forms carry no CSRF token; ``tokenless.py``);
- signed in (not staff) with the script's cookie (``conf.script_cookie()``): served the same
  copy with their personal regions (account menu, "commenting as") and their CSRF token
  filled in; the script fetches their per-comment state. Without the script's cookie, a
  signed-in reader gets today's full rendering (``private``), which works without script.

A candidate is answered from the cache when its entry (keyed by scheme, host, path and the
query's keyed parameters) exists and none of the entry's tags was invalidated since the
entry's rendering began: no database query for an anonymous reader, three cache reads (the
entry, its tags' times, the campaign bar). Otherwise an anonymous request renders it, with
markers for its personal parts (``fill.py``); the result is stored only if it is a 200 from
a public page view (Wagtail pages, tag and author pages, feeds, sitemaps) that set no
cookie, kept no ``Cache-Control: private/no-cache/no-store``, varies on no request header
(``Vary``: the key names none), read no personal input while rendering (``personal.py``),
and leaves no CSRF token where the markers cannot reach; any other 200 goes out ``private``.

Stale-while-revalidate: an outdated entry is kept. The first request to find it outdated takes
a short lock in the cache and renders; until it stores the new copy (at most
``PAGECACHE_STALE_SERVE_SECONDS`` after the invalidation) the others get the previous copy
(``X-Page-Cache: stale``) instead of all rendering the page at once.

Every answer carries an ``ETag`` (a hash of what the reader gets; 304 on a match),
``Cache-Control`` (``public, max-age, stale-while-revalidate`` for the public copy, ``private,
no-cache`` for a personal one) and ``Surrogate-Key`` / ``Cache-Tag`` naming its tags for a
CDN. Personal requests rendered as usual, and any answer whose rendering read a personal
input, are marked ``private, no-cache``. Form posts with an empty token (from a public copy,
without script) get a confirmation page (``tokenless.py``).
"""

import contextvars
import hashlib
import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.urls import Resolver404, URLResolver, get_resolver, get_urlconf
from django.utils.cache import cc_delim_re, patch_cache_control
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import get_language

from newsdesk.pagecache import conf, fill, registry
from newsdesk.pagecache.personal import personal_inputs_read, personal_inputs_sent
from newsdesk.pagecache.query import query_apply, query_canonical
from newsdesk.pagecache.tags import (
    LISTINGS_TAG,
    SITE_TAG,
    page_tag,
    tags_register,
    tags_stale_since,
)
from newsdesk.pagecache.tokenless import is_tokenless_post, tokenless_post_answer

# The version names the stored Entry's shape and the key's meaning: a new one starts from an
# empty cache (v3: copies stored before guests' headers and queries were checked are dropped).
ENTRY_KEY_PREFIX = "pagecache:page:v3:"
LOCK_KEY_PREFIX = "pagecache:lock:"
# Tells operators and benchmarks how a page was answered: hit, stale, miss or bypass.
STATUS_HEADER = "X-Page-Cache"
# Headers rebuilt on every serve instead of stored.
UNSTORED_HEADERS = {"content-length", "etag", "cache-control", "set-cookie"}

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
    """A rendered page as stored: the body with markers, and what is needed to serve it.

    ``public_body`` is what every anonymous reader gets (no token, personal regions as they
    rendered anonymously; only the late slots left to draw); ``body`` keeps the CSRF and
    personal markers for signed-in readers.
    """

    body: str
    public_body: str
    headers: list[tuple[str, str]]
    tags: list[str]
    rendered_at: float
    has_csrf: bool
    has_personal: bool = False
    late_slots: tuple[str, ...] = ()
    digest: str = field(default="")

    def __post_init__(self):
        if not self.digest:
            self.digest = hashlib.sha256(self.public_body.encode()).hexdigest()


def entry_key(request: HttpRequest) -> str:
    # The language the page is drawn in (one per site, or the reader's where the site offers
    # several: the locale middleware ran before us).
    address = f"{get_language()} {request.scheme}://{request.get_host()}{request.get_full_path()}"
    return ENTRY_KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


ANONYMOUS = "anonymous"
SIGNED_IN = "signed-in"


def _candidate_kind(request: HttpRequest) -> str | None:
    """ANONYMOUS, SIGNED_IN (may be served a personal fill of the copy) or None (not cached)."""
    if request.method not in ("GET", "HEAD") or not conf.enabled():
        return None
    if request.path_info.startswith(registry.private_prefixes()):
        return None
    personal = personal_inputs_sent(request=request)
    if not personal:
        return ANONYMOUS
    if personal == {settings.SESSION_COOKIE_NAME} and conf.script_cookie() in request.COOKIES:
        return SIGNED_IN
    return None


def _route_params(request: HttpRequest) -> dict[str, str] | None:
    """The query parameters the public page at this path reads (with their patterns); None
    if it is no public page. Every candidate asks, a hit included, so the route is kept per
    path: a hit does not walk the URL patterns (down to Wagtail's catch-all) each time."""
    resolver = get_resolver(getattr(request, "urlconf", None) or get_urlconf())
    route = _resolver_route(resolver, request.path_info)
    return None if route is None else registry.public_route_params(route)


# Keyed by the resolver too: a new ROOT_URLCONF (a test's override) is a new resolver. The
# paths are visitors' (a request line is at most 4 KB under gunicorn), hence the bound.
@lru_cache(maxsize=512)
def _resolver_route(resolver: URLResolver, path: str) -> tuple[str, str] | None:
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    return (match.namespace, match.url_name)


def _query_keyed(request: HttpRequest) -> bool:
    """Whether the request's query can be part of its page's key; if so, the request now
    carries exactly the keyed query (ignored parameters removed, the rest in order), so the
    page renders from what its key says and nothing else."""
    params = _route_params(request)
    if params is None:
        return False
    query = query_canonical(request=request, params=params)
    if query is None:
        return False
    query_apply(request=request, query=query)
    return True


def _signed_in_reader(request: HttpRequest):
    """The signed-in reader a personal fill is for, or None when they need a full rendering
    (not signed in, staff with Wagtail's user bar, or messages waiting in their session)."""
    user = get_user(request)
    if not user.is_authenticated or user.is_staff:
        return None
    if "_messages" in request.session:
        return None
    return user


def _is_public_route(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return registry.is_public_route((match.namespace, match.url_name))


def _varies(response: HttpResponse) -> bool:
    """Whether the response says it varies on a request header: the key names none (the
    personal cookies and headers are never keyed, they bypass), so such a page is not shared."""
    return any(part.strip() for part in cc_delim_re.split(response.get("Vary", "")))


def _privately_cached(response: HttpResponse) -> bool:
    words = response.get("Cache-Control", "").lower()
    return "private" in words or "no-store" in words


def _make_private(response: HttpResponse) -> None:
    """No shared cache may keep it (``public`` removed, if a view said so)."""
    if not _privately_cached(response):
        patch_cache_control(response, private=True, no_cache=True)


def _response_tags(request: HttpRequest, response: HttpResponse, shown: set[str]) -> list[str]:
    tags = {SITE_TAG, *shown}
    page = (getattr(response, "context_data", None) or {}).get("page")
    if page is not None and getattr(page, "pk", None):
        tags.add(page_tag(page.pk))
    if not registry.is_listed_page(page):
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
    if personal_inputs_read(request=request) or _varies(response):
        return False
    return _is_public_route(request)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_tokenless_post(request):
            # Before CSRF's check refuses it: a form from a shared copy, sent without script.
            return tokenless_post_answer(request)
        kind = _candidate_kind(request)
        if kind is None or not _query_keyed(request):
            return self._personal(request, self.get_response(request))
        try:
            key = entry_key(request)
        except DisallowedHost:
            return self.get_response(request)
        user = None
        if kind == SIGNED_IN:
            user = _signed_in_reader(request)
            if user is None:
                return self._personal(request, self.get_response(request))
        entry = cache.get(key)
        if entry is not None:
            stale_since = self._stale_since(entry)
            if stale_since is None:
                return self._serve(request, entry, user=user, status="hit")
            if time.time() - stale_since <= conf.stale_serve_seconds():
                # The previous copy only while someone renders the new one: a reader who
                # arrives after a change, with nobody rendering, must see the change.
                if user is not None:
                    if cache.get(LOCK_KEY_PREFIX + key) is not None:
                        return self._serve(request, entry, user=user, status="stale")
                elif not cache.add(LOCK_KEY_PREFIX + key, 1, conf.render_lock_seconds()):
                    return self._serve(request, entry, user=user, status="stale")
                else:
                    try:
                        return self._render(request, key)
                    finally:
                        cache.delete(LOCK_KEY_PREFIX + key)
        if user is not None:
            # Only an anonymous rendering is shared; this reader gets their full page.
            return self._personal(request, self.get_response(request))
        return self._render(request, key)

    @staticmethod
    def _stale_since(entry: Entry) -> float | None:
        since = tags_stale_since(tags=entry.tags, rendered_at=entry.rendered_at)
        expired = entry.rendered_at + conf.entry_seconds()
        if since is None and time.time() > expired:
            since = expired
        return since

    # --- a miss: render with markers, store, serve ------------------------------------
    def _render(self, request: HttpRequest, key: str) -> HttpResponse:
        late = conf.late_slots()
        request.pagecache_late_slots = {name: fill.late_slot_marker(name) for name in late}
        request.pagecache_rendering = True
        rendered_at = time.time()
        shown: set[str] = set()
        token = _rendering_tags.set(shown)
        try:
            response = self.get_response(request)
        finally:
            _rendering_tags.reset(token)
        if response.streaming:
            _make_private(response)  # never stored: nobody else's cache may keep it either
            return response
        entry = self._entry(request, response, shown, rendered_at, late=late)
        if entry is None:
            # Not shared; still fill the late slots this rendering left as markers.
            html = response.content.decode(response.charset)
            html, _ = fill.personal_regions_public(html=html)
            names = fill.late_slots_present(html=html, names=late)
            if names:
                drawn = fill.late_slots_draw(request=request, names=names)
                html = fill.late_slots_fill(html=html, drawn=drawn)
            response.content = html.encode(response.charset)
            response[STATUS_HEADER] = "miss"
            if personal_inputs_read(request=request):
                _make_private(response)
                response[STATUS_HEADER] = "bypass"
            elif response.status_code == 200:
                # A page that could not be shared (it set a cookie, wrote the session,
                # varies, holds a token): nobody else's cache may keep it either.
                _make_private(response)
            return response
        self._store(key, entry)
        if not request.COOKIES.get(settings.CSRF_COOKIE_NAME):
            # The rendering made this visitor a CSRF secret for its forms; the public copy
            # they get has no token, so no cookie either (nginx keeps no page with one).
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        return self._serve(request, entry, user=None, status="miss")

    def _entry(self, request, response, shown, rendered_at, *, late) -> Entry | None:
        if not _storable(request, response):
            return None
        html = response.content.decode(response.charset)
        marked = fill.csrf_tokens_mark(html=html, secret=request.META.get("CSRF_COOKIE"))
        if marked is None:
            return None
        body, csrf_count = marked
        public_body, personal_count = fill.personal_regions_public(html=fill.csrf_empty(html=body))
        return Entry(
            body=body,
            public_body=public_body,
            headers=[
                (name, value)
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            ],
            tags=_response_tags(request, response, shown),
            rendered_at=rendered_at,
            has_csrf=csrf_count > 0,
            has_personal=personal_count > 0,
            late_slots=fill.late_slots_present(html=body, names=late),
        )

    def _store(self, key: str, entry: Entry) -> None:
        tags_register(tags=entry.tags, before=entry.rendered_at - conf.clock_margin() - 1)
        # Kept past its freshness, so that an outdated copy can be served while renewed.
        cache.set(key, entry, conf.entry_seconds() + conf.stale_serve_seconds())

    # --- serving a stored page --------------------------------------------------------
    def _serve(self, request: HttpRequest, entry: Entry, *, user, status: str) -> HttpResponse:
        drawn = fill.late_slots_draw(request=request, names=entry.late_slots)
        parts = [entry.digest, *(drawn[name] for name in entry.late_slots)]
        if user is None:
            body = entry.public_body
        else:
            body, personal_parts = fill.personal_regions_fill(
                html=entry.body, request=request, user=user
            )
            parts.extend(["personal", str(user.pk), *personal_parts])
            if entry.has_csrf:
                get_token(request)  # makes the reader's secret on a first visit
                parts.append(fill.csrf_secret_digest(request.META["CSRF_COOKIE"]))
        etag = quote_etag(hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32])
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
        else:
            body = fill.late_slots_fill(html=body, drawn=drawn)
            if user is not None and entry.has_csrf:
                body = fill.csrf_fill(html=body, request=request)
            response = HttpResponse(body)
            for name, value in entry.headers:
                response[name] = value
        response["ETag"] = etag
        if user is not None:
            patch_cache_control(response, private=True, no_cache=True)
        elif status == "stale":
            # Outdated already: proxies keep serving their own copy, not this one.
            patch_cache_control(response, public=True, max_age=0)
        else:
            patch_cache_control(
                response,
                public=True,
                max_age=conf.browser_max_age(),
                stale_while_revalidate=conf.stale_while_revalidate(),
            )
        response["Surrogate-Key"] = " ".join(entry.tags)
        response["Cache-Tag"] = ",".join(entry.tags)
        response[STATUS_HEADER] = status if user is None else f"{status}-personal"
        return response

    # --- personal requests ----------------------------------------------------------------
    def _personal(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """A request not answered from the cache: a public page rendered for this reader,
        or anything whose rendering read a personal input, goes out ``private``."""
        if request.method not in ("GET", "HEAD"):
            return response
        if _is_public_route(request):
            _make_private(response)
            response[STATUS_HEADER] = "bypass"
        elif personal_inputs_read(request=request):
            _make_private(response)
        return response
