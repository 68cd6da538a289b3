"""Settings of the accounts app (privacy), each from a Django setting or an environment
variable, with defaults that work on a laptop.

How long commenters' exact IP addresses are kept is the discussion's
``PRIVACY_IP_RETENTION_DAYS`` (it owns the data and the duty that truncates them).
"""

import os

from django.conf import settings

from newsdesk.core.ratelimit import RateLimit


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, os.environ.get(name, default)))


# The name shown on the comments of an erased account.
PRIVACY_PLACEHOLDER_NAME = getattr(
    settings,
    "PRIVACY_PLACEHOLDER_NAME",
    os.environ.get("PRIVACY_PLACEHOLDER_NAME", "Former reader"),
)

# Downloads of "my data" (each builds a whole document): per address and per account.
RATE_EXPORT = RateLimit(_int("PRIVACY_EXPORTS_PER_IP", 20), 3600)
RATE_EXPORT_USER = RateLimit(_int("PRIVACY_EXPORTS_PER_USER", 10), 3600)
# Erasure attempts (each checks a password): per address and per account.
RATE_ERASE = RateLimit(_int("PRIVACY_ERASE_ATTEMPTS_PER_IP", 20), 900)
RATE_ERASE_USER = RateLimit(_int("PRIVACY_ERASE_ATTEMPTS_PER_USER", 5), 900)
