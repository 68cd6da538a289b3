"""The newsroom and scale-out tiers: base settings hardened for the public internet.

Refuses to start without SECRET_KEY in the environment; ``manage.py check --deploy`` is clean.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")
DEBUG = False
# Read by system checks that must stop a live site, not a laptop (funding.E001: gifts that
# move no money).
NEWSDESK_PRODUCTION = True

# HTTPS only: cookies, HSTS and the redirect (the headers, CSP and cookie flags every tier
# shares are in security.py). The proxy in front says which requests came over HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SILENCED_SYSTEM_CHECKS: list[str] = []
if not SECURE_HSTS_PRELOAD:
    # security.W021 asks for HSTS preloading. Joining the browsers' preload list is a promise
    # that the domain and all its subdomains serve HTTPS for months, and hard to take back,
    # so it is the operator's choice (SECURE_HSTS_PRELOAD=1), not a default; HSTS itself is on.
    SILENCED_SYSTEM_CHECKS += ["security.W021"]
if not SECURE_SSL_REDIRECT and SECURE_PROXY_SSL_HEADER:
    # security.W008 asks Django to redirect HTTP to HTTPS. Behind a TLS-terminating proxy
    # (the guide's nginx, which answers port 80 with its own redirect) no plain-HTTP request
    # ever reaches Django, so the redirect is moot: docs/production.md runs with
    # SECURE_SSL_REDIRECT=0. HSTS, secure cookies and the proxy header stay on.
    SILENCED_SYSTEM_CHECKS += ["security.W008"]

# The proxy serves MEDIA_ROOT (SERVE_MEDIA=1 only if it does not), and static files are the
# collected, hashed copies.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
