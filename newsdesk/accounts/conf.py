"""Settings of the accounts app (privacy), read at each use from the Django settings declared
in ``newsdesk/settings/accounts.py`` (so ``override_settings`` applies).

How long commenters' exact IP addresses are kept is the discussion's
``PRIVACY_IP_RETENTION_DAYS`` (it owns the data and the duty that truncates them).
"""

from newsdesk.core.conf import lazy_attributes, setting
from newsdesk.core.ratelimit import RateLimit

__getattr__ = lazy_attributes(
    __name__,
    {
        # The name shown on the comments of an erased account.
        "PRIVACY_PLACEHOLDER_NAME": lambda: setting("PRIVACY_PLACEHOLDER_NAME"),
        # Downloads of "my data" (each builds a whole document): per address and per account.
        "RATE_EXPORT": lambda: RateLimit(int(setting("PRIVACY_EXPORTS_PER_IP")), 3600),
        "RATE_EXPORT_USER": lambda: RateLimit(int(setting("PRIVACY_EXPORTS_PER_USER")), 3600),
        # Erasure attempts (each checks a password): per address and per account.
        "RATE_ERASE": lambda: RateLimit(int(setting("PRIVACY_ERASE_ATTEMPTS_PER_IP")), 900),
        "RATE_ERASE_USER": lambda: RateLimit(int(setting("PRIVACY_ERASE_ATTEMPTS_PER_USER")), 900),
    },
)
