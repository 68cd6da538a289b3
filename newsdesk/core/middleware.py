"""Outages answered honestly (a 503), and requests whose text is not UTF-8 refused (a 400).

When SQLite stays locked longer than its busy timeout, PostgreSQL restarts, or Redis stops
answering, a request fails with ``OperationalError``/``InterfaceError`` or redis's
``ConnectionError``/``TimeoutError``. Those are not bugs in the request: the reader should
be told to retry shortly (``503 Service Unavailable`` with ``Retry-After``), not shown a
500. Every write runs in a transaction, so the failed request has written nothing; the next
request opens fresh connections, so service returns by itself once the store is back.
"""

import logging
import sys
from contextlib import AbstractContextManager, nullcontext
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsdesk.core.conf import setting

logger = logging.getLogger("newsdesk.core.outage")

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # the laptop tier may run without the redis package
    OUTAGE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
else:
    OUTAGE_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)

# Machine clients (the JSON API, payment providers' webhooks) get JSON, as does the
# discussion's script, which asks for it.
JSON_PATH_PREFIXES = ("/api/", "/webhooks/")
OUTAGE_MESSAGE = gettext_lazy(
    "The site is briefly unavailable: its database or cache is not answering. "
    "Nothing was saved; please try again in a few seconds."
)


def reader_language(request: HttpRequest) -> AbstractContextManager:
    """The reader's language for an answer given above the locale middleware (an outage, a
    request refused before it ran): their choice or their browser's, where the site offers
    several languages; the site's own language otherwise (already active)."""
    if not settings.SITE_LANGUAGE_CHOICE:
        return nullcontext()
    return translation.override(translation.get_language_from_request(request))


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def wants_json(request: HttpRequest) -> bool:
    if request.path_info.startswith(JSON_PATH_PREFIXES):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def outage_response(request: HttpRequest) -> HttpResponse:
    """The 503 a reader or client gets during an outage (built without the database)."""
    retry_after = str(setting("OUTAGE_RETRY_AFTER_SECONDS"))
    response: HttpResponse
    with reader_language(request):
        if wants_json(request):
            response = JsonResponse({"detail": str(OUTAGE_MESSAGE)}, status=503)
        else:
            # No request context: context processors may need the very store that is away.
            html = render_to_string("web/503.html", {"message": OUTAGE_MESSAGE})
            response = HttpResponse(html, status=503)
    response["Retry-After"] = retry_after
    # A proxy or CDN must not keep serving the outage after it ended.
    response["Cache-Control"] = "no-store"
    return response


def _mark_outage(sender, request=None, **kwargs) -> None:
    """An outage raised outside a view (in another middleware) reaches Django's 500 handler;
    mark the request so ``OutageMiddleware`` turns that 500 into a 503."""
    error = sys.exc_info()[1]
    if request is not None and is_outage(error):
        request.newsdesk_outage = error


got_request_exception.connect(_mark_outage, dispatch_uid="newsdesk.core.outage")


class OutageMiddleware:
    """Answers 503 (HTML for pages, ``{"detail": ...}`` JSON for the API and webhooks) when a
    request fails because the database or Redis is unreachable. Place it near the top of
    MIDDLEWARE, so it also covers the middleware below it (sessions, auth, redirects)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        error = getattr(request, "newsdesk_outage", None)
        if error is not None and response.status_code == 500:
            return self._outage(request, error)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if is_outage(exception):
            return self._outage(request, exception)
        return None

    def _outage(self, request: HttpRequest, error: BaseException) -> HttpResponse:
        logger.warning(
            "Answered 503 to %s %s: %s: %s",
            request.method,
            request.path,
            type(error).__name__,
            error,
        )
        return outage_response(request)


# --- requests that are not UTF-8 ------------------------------------------------------------
def bad_request_response(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 saying ``message``: JSON ``{"detail": ...}`` for machines, a plain page otherwise
    (built without the request context: the request is what could not be read). Callers
    above the locale middleware translate ``message`` and render this inside
    ``reader_language``."""
    if wants_json(request):
        return JsonResponse({"detail": str(message)}, status=400)
    return HttpResponse(render_to_string("web/400.html", {"message": message}), status=400)


def _percent_decoded_is_utf8(text: str | bytes) -> bool:
    raw = unquote_to_bytes(text.replace(b"+", b" ") if isinstance(text, bytes) else text)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


class Utf8RequestMiddleware:
    """Refuses with a 400 a query string or a URL-encoded form whose bytes are not UTF-8.

    Django decodes both with replacement characters, so a reader's text would be stored
    silently altered (and a client told nothing). JSON bodies are checked by the API's
    parser; multipart fields keep Django's replacement. Place it above the session and CSRF
    middleware, which read the form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            query = request.META.get("QUERY_STRING", "").encode("iso-8859-1")
        except UnicodeEncodeError:  # only a test client can pass such a str
            query = b""
        if query and not _percent_decoded_is_utf8(query):
            with reader_language(request):
                return bad_request_response(
                    request, _("The address's query string is not valid UTF-8 text.")
                )
        if (
            request.method in ("POST", "PUT", "PATCH")
            and request.content_type == FORM_CONTENT_TYPE
            and not _percent_decoded_is_utf8(request.body)
        ):
            with reader_language(request):
                return bad_request_response(
                    request, _("The form data is not valid UTF-8 text. Nothing was saved.")
                )
        return self.get_response(request)


class MissingQueuedJobMiddleware:
    """A 404 instead of a 500 when the RQ dashboard (Django's admin, Redis tier) is asked
    about a job, worker or queue that is not there: its views let rq's ``NoSuchJobError``,
    a ``ValueError`` for an unknown worker key or an ``IndexError`` for an unknown queue
    escape, and a finished job's link in an old tab is an everyday way to get there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        from rq.exceptions import NoSuchJobError

        match = request.resolver_match
        view_module = getattr(getattr(match, "func", None), "__module__", "") or ""
        if not view_module.startswith("django_rq"):
            return None
        if isinstance(exception, NoSuchJobError | ValueError | IndexError):
            raise Http404("No such job, worker or queue: it has finished, expired or gone.")
        return None


class PreviewFramingMiddleware:
    """Let Wagtail's preview panel frame the page it previews, and nothing else frame any page.

    Wagtail renders a preview by passing a made-up request for the page's own address through
    the whole middleware list (``PreviewableMixin.make_preview_request``), so the response
    gets the public site's Content Security Policy, ``frame-ancestors 'none'``, and the
    editor's panel shows the browser's refusal. Only that handler marks a request
    ``is_preview`` (no header or parameter a visitor sends can), and only for editors. Its
    response may be framed by the site's own pages (``'self'``, as its ``X-Frame-Options:
    SAMEORIGIN`` already says); every other response keeps ``'none'``.

    Placed inside ``CSPMiddleware``, so the policy is written after this has spoken.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "is_preview", False):
            # django-csp's documented per-response override.
            response._csp_replace = {"frame-ancestors": ["'self'"]}
        return response
