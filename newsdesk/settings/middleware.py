"""The middleware, written once and in order: a request goes down this list, its response
back up. Variants are flags (``RQ_DASHBOARD``), never insertions into the list elsewhere."""

from .i18n import SITE_LANGUAGE_CHOICE
from .tasks import TASKS_BACKEND

# RQ's dashboard is installed only on the tier that queues tasks in Redis (apps.py).
RQ_DASHBOARD = TASKS_BACKEND == "rq"

MIDDLEWARE = [
    # Before everything: /healthz, /readyz and /metrics answered without the cache, the
    # host check, the HTTPS redirect, the page cache or the outage page (their own 503);
    # every other request counted and timed whole (core/metrics/middleware.py).
    "newsdesk.core.metrics.middleware.ObservabilityMiddleware",
    # Then the reader's address behind TRUSTED_PROXIES (core/clientaddr.py), which
    # rate limits, bans and every later middleware's logging use.
    "newsdesk.core.clientaddr.ClientAddressMiddleware",
    # HTTPS redirect, HSTS and the security headers, on every response (security.py).
    "django.middleware.security.SecurityMiddleware",
    # The Content Security Policy header, on every response, errors and outages included.
    "csp.middleware.CSPMiddleware",
    # Wagtail's preview of a page may be framed by the editor's panel (same origin only).
    "newsdesk.core.middleware.PreviewFramingMiddleware",
    # Database or Redis unreachable: a 503 with Retry-After instead of a 500; above
    # everything that may touch the database or the cache (sessions, the page cache).
    "newsdesk.core.middleware.OutageMiddleware",
    # Query strings and forms that are not UTF-8: a 400 saying so, before any view or the
    # page cache reads them (not silently altered text).
    "newsdesk.core.middleware.Utf8RequestMiddleware",
    # Static files answered here, before sessions and the page cache are consulted.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Several languages (SITE_LANGUAGES): the reader's, from their choice's cookie or their
    # browser, before the page cache (which keys its copies by it).
    *(["django.middleware.locale.LocaleMiddleware"] if SITE_LANGUAGE_CHOICE else []),
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Right after CSRF: CSRF reads the visitor's CSRF cookie before the page cache fills
    # their token into a cached page, and sets the cookie afterwards (docs/production.md).
    "newsdesk.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # X-Frame-Options: DENY (Wagtail's preview view sets SAMEORIGIN on what it returns).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-allauth needs it after authentication and messages.
    "allauth.account.middleware.AccountMiddleware",
    # Wagtail's redirects answer only what would otherwise be a 404: last.
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # RQ's dashboard answers a 404, not a 500, for a job that is gone.
    *(["newsdesk.core.middleware.MissingQueuedJobMiddleware"] if RQ_DASHBOARD else []),
]
