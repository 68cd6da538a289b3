"""The newsroom and scale-out tiers: base settings hardened for the public internet.

Refuses to start without SECRET_KEY in the environment; ``manage.py check --deploy`` is clean.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")
SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
# Read by system checks that must stop a live site, not a laptop (funding.E001: gifts that
# move no money).
NEWSDESK_PRODUCTION = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# --- Security (web): the HSTS preload choice -------------------------------------------------
# The headers, CSP and cookie flags every tier shares are in base.py's security block; the
# HTTPS-only cookies, HSTS and SSL redirect are above.
if not SECURE_HSTS_PRELOAD:
    # security.W021 asks for HSTS preloading. Joining the browsers' preload list is a promise
    # that the domain and all its subdomains serve HTTPS for months, and hard to take back,
    # so it is the operator's choice (SECURE_HSTS_PRELOAD=1), not a default; HSTS itself is on.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# --- end of security ---------------------------------------------------------------------
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
WHITENOISE_USE_FINDERS = False
