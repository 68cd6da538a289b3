"""Settings of the newsletters' sending: the connection issues go through, the provider's
keys (django-anymail's ``ANYMAIL``), the sender, the pace. Read at use through
``newsletters/services/sending.py`` (``newsdesk.core.conf.setting``).

Issues go through ``NEWSLETTER_EMAIL_BACKEND``: by default the site's own mail (SMTP when
``EMAIL_HOST`` is set, the console otherwise), so a laptop sends through the same SMTP as
the receipts do; a newsroom names an anymail backend to use its provider's API
(``anymail.backends.postmark.EmailBackend``, ``anymail.backends.mailgun.EmailBackend``...)
and gives its key in ``NEWSLETTER_ESP_API_KEY``. docs/newsletters.md lists the providers.
"""

import secrets

from .env import env_bool, env_float, env_int, env_str

# Empty: the site's own EMAIL_BACKEND (read at use, so the test settings' applies too).
NEWSLETTER_EMAIL_BACKEND = env_str("NEWSLETTER_EMAIL_BACKEND")
# The sender of the issues (empty: DEFAULT_FROM_EMAIL).
NEWSLETTER_FROM_EMAIL = env_str("NEWSLETTER_FROM_EMAIL")
# Messages handed over per second at most: the provider's (or the relay's) rate.
NEWSLETTER_SEND_RATE = env_float("NEWSLETTER_SEND_RATE", 200.0)
# Recipients one task sends before it queues the next batch (other tasks run in between).
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 500)
# Aggregate click counts per link (a redirect through the site); never who clicked.
NEWSLETTER_CLICK_COUNTS = env_bool("NEWSLETTER_CLICK_COUNTS", False)

# --- the provider's keys, in anymail's own setting --------------------------------------------
# The provider is named by the backend's module: anymail.backends.<esp>.EmailBackend.
_ESP = ""
if NEWSLETTER_EMAIL_BACKEND.startswith("anymail.backends."):
    _ESP = NEWSLETTER_EMAIL_BACKEND.split(".")[2].upper()
# The name each provider's API key has in ANYMAIL (most call it API_KEY).
_KEY_NAMES = {"POSTMARK": "SERVER_TOKEN", "MAILERSEND": "API_TOKEN", "MAILTRAP": "API_TOKEN"}
# The key some providers sign their tracking webhooks with (the others use basic auth).
_SIGNING_NAMES = {
    "MAILGUN": "WEBHOOK_SIGNING_KEY",
    "RESEND": "SIGNING_SECRET",
    "MAILERSEND": "SIGNING_SECRET",
    "POSTAL": "WEBHOOK_KEY",
    "MANDRILL": "WEBHOOK_KEY",
}

ANYMAIL: dict[str, str] = {}
# "user:password": the basic auth the providers' tracking webhooks must send (anymail's
# WEBHOOK_SECRET); put it in the webhook's URL at the provider: https://user:password@...
NEWSLETTER_WEBHOOK_SECRET = env_str("NEWSLETTER_WEBHOOK_SECRET")
# Unset, anymail would take unauthenticated events (anyone could suppress any address): a
# secret no provider knows makes every webhook refuse until the newsroom sets its own.
_UNKNOWABLE = secrets.token_urlsafe(32)
ANYMAIL["WEBHOOK_SECRET"] = NEWSLETTER_WEBHOOK_SECRET or f"unset:{_UNKNOWABLE}"
NEWSLETTER_ESP_API_KEY = env_str("NEWSLETTER_ESP_API_KEY")
if _ESP and NEWSLETTER_ESP_API_KEY:
    ANYMAIL[f"{_ESP}_{_KEY_NAMES.get(_ESP, 'API_KEY')}"] = NEWSLETTER_ESP_API_KEY
NEWSLETTER_ESP_WEBHOOK_SIGNING_KEY = env_str("NEWSLETTER_ESP_WEBHOOK_SIGNING_KEY")
# The signing providers' webhooks refuse everything (no 500 for a missing key) until set.
ANYMAIL.update({f"{esp}_{name}": _UNKNOWABLE for esp, name in _SIGNING_NAMES.items()})
if _ESP in _SIGNING_NAMES and NEWSLETTER_ESP_WEBHOOK_SIGNING_KEY:
    ANYMAIL[f"{_ESP}_{_SIGNING_NAMES[_ESP]}"] = NEWSLETTER_ESP_WEBHOOK_SIGNING_KEY
# Mailgun's sending domain, when it differs from the domain of the sender's address.
NEWSLETTER_ESP_SENDER_DOMAIN = env_str("NEWSLETTER_ESP_SENDER_DOMAIN")
if _ESP and NEWSLETTER_ESP_SENDER_DOMAIN:
    ANYMAIL[f"{_ESP}_SENDER_DOMAIN"] = NEWSLETTER_ESP_SENDER_DOMAIN
