"""Keys, hosts, proxies, security headers and the Content Security Policy, shared by every
tier (production.py adds HTTPS-only cookies, HSTS and the SSL redirect)."""

from .env import env_bool, env_int, env_list, env_str
from .paths import DATA_DIR, laptop_secret_key

# Production refuses to start without it (production.py); a laptop keeps a generated one in
# the data folder, written the first time it is used (paths.laptop_secret_key).
SECRET_KEY = env_str("SECRET_KEY") or laptop_secret_key(data_dir=DATA_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
# Proxies whose X-Forwarded-For is believed (addresses or CIDR networks; none by default):
# behind the sample nginx, 127.0.0.1. See newsdesk/core/clientaddr.py.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Internal addresses outgoing fetches (partner feeds and pictures, oEmbed providers) may
# reach anyway; without it only public internet addresses are fetched (core/safefetch.py).
FETCH_ALLOW_INTERNAL = env_str("FETCH_ALLOW_INTERNAL")

# The public site runs no inline script: script-src is 'self' only (JSON-LD blocks are data,
# never executed). Wagtail's and Django's admins need inline scripts and frame Wagtail's
# preview, so they are left out of the policy and keep their own protections.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Wagtail's responsive embeds and rich text carry style attributes; styles cannot
        # run code, so inline styles are allowed where inline scripts are not.
        "style-src": ["'self'", "'unsafe-inline'"],
        # Partner stories reference images on the partners' own sites.
        "img-src": ["'self'", "data:", "https:"],
        "media-src": ["'self'", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The video embeds the sanitizer lets through (core/sanitize.py).
        "frame-src": [
            "https://www.youtube.com",
            "https://youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        # The donate form redirects to Stripe Checkout.
        "form-action": ["'self'", "https://checkout.stripe.com"],
    },
}
# Wagtail's preview panel frames the page from the same origin: its view sets SAMEORIGIN, and
# PreviewFramingMiddleware (core/middleware.py) gives the previewed page frame-ancestors
# 'self'. Every other page refuses to be framed at all.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie (discussion.js posts the form's own token).
CSRF_COOKIE_HTTPONLY = True
# Database or Redis unreachable: the Retry-After of the 503 (core/middleware.py).
OUTAGE_RETRY_AFTER_SECONDS = env_int("OUTAGE_RETRY_AFTER_SECONDS", 10)
