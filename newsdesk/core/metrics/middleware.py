"""``/healthz``, ``/readyz`` and ``/metrics``, answered before anything else runs, and every
other request counted and timed.

First in MIDDLEWARE (see ``newsdesk/settings/middleware.py``), so that the probes:

- touch nothing they do not check: ``/healthz`` no database and no cache (the client-address
  middleware below notes arrivals in the cache; the page cache and sessions read it);
- are answered whatever ``ALLOWED_HOSTS`` says (a load balancer or a container healthcheck
  asks ``Host: 127.0.0.1`` or a container's name): nothing here reads the host, which Django
  checks only when ``request.get_host()`` is called, further down;
- are not redirected to HTTPS, rate-limited, stored by the page cache, or turned into the
  outage page by ``OutageMiddleware`` (``/readyz`` answers its own 503, naming the check);
- go out ``Cache-Control: no-store``, so neither nginx's proxy_cache nor a CDN keeps them.

Their own requests are not counted in the request figures (probes every few seconds would
drown the readers' requests).
"""

import json
import logging
import re
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from newsdesk.core import health
from newsdesk.core.logconfig import REQUEST_ID
from newsdesk.core.metrics import requests as request_metrics
from newsdesk.core.metrics.access import allowed_networks, metrics_allowed
from newsdesk.core.metrics.figures import FiguresCollector

logger = logging.getLogger("newsdesk.request")

HEALTHZ = "/healthz"
READYZ = "/readyz"
METRICS = "/metrics"
PROBE_PATHS = frozenset({HEALTHZ, READYZ, METRICS})
# A request id sent by the proxy (nginx's $request_id) is kept if it looks like one.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class _Registries:
    """The request figures and the business figures as one collector for the exposition."""

    def __init__(self, collectors):
        self.collectors = collectors

    def collect(self):
        for collector in self.collectors:
            yield from collector.collect()


def _uncached(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def healthz_response() -> HttpResponse:
    """Alive: the process answers. Nothing is checked."""
    return _uncached(HttpResponse("ok\n", content_type="text/plain; charset=utf-8"))


def readyz_response() -> HttpResponse:
    """200 when the database, the cache and the task queue all answer, 503 otherwise; the
    body names each check, its result, detail and time."""
    checks = health.readiness()
    ready = all(check.ok for check in checks)
    body = {"ready": ready, "checks": [check.as_dict() for check in checks]}
    if not ready:
        failed = ", ".join(f"{c.name} ({c.detail})" for c in checks if not c.ok)
        logger.warning("Not ready: %s", failed)
    response = HttpResponse(
        json.dumps(body), status=200 if ready else 503, content_type="application/json"
    )
    return _uncached(response)


def metrics_response(request: HttpRequest) -> HttpResponse:
    """The exposition, or a 404 for whoever may not read it (nothing says it exists)."""
    if not metrics_allowed(request):
        return _uncached(HttpResponse("Not found\n", status=404, content_type="text/plain"))
    collectors = [*request_metrics.request_collectors(), FiguresCollector()]
    payload = generate_latest(_Registries(collectors))
    return _uncached(HttpResponse(payload, content_type=CONTENT_TYPE_LATEST))


def route_of(request: HttpRequest) -> str:
    """The route a request took: its URL pattern's name (with namespace) or view's path;
    ``static`` for static files, ``unrouted`` for what no URL pattern handled (the page
    cache's hits, redirects)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        if match.url_name:
            return match.view_name
        return match._func_path
    if request.path_info.startswith(settings.STATIC_URL):
        return "static"
    return "unrouted"


class ObservabilityMiddleware:
    """Answers the probes and the metrics; gives every other request an id (``X-Request-ID``:
    the proxy's when it sent a sane one, else a new one) and counts and times it."""

    def __init__(self, get_response):
        self.get_response = get_response
        # A malformed METRICS_ALLOWED_NETWORKS stops the server at start, not at a scrape.
        allowed_networks()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path in PROBE_PATHS and request.method in ("GET", "HEAD"):
            if path == HEALTHZ:
                return healthz_response()
            if path == READYZ:
                return readyz_response()
            return metrics_response(request)
        sent_id = request.headers.get("X-Request-ID", "")
        request_id = sent_id if _REQUEST_ID.match(sent_id) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = REQUEST_ID.set(request_id)
        started = request_metrics.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
        finally:
            REQUEST_ID.reset(token)
            request_metrics.request_observe(
                method=request.method or "",
                route=route_of(request),
                status=status,
                seconds=request_metrics.monotonic() - started,
            )
        response["X-Request-ID"] = request_id
        return response
