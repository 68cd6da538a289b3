"""Settings of the moderation app, from the environment, with laptop defaults.

Thresholds and policy are edited by editors in the admin (``ModerationSettings``); these are
the operator's knobs.
"""

import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, os.environ.get(name, default)))


def _float(name: str, default: float) -> float:
    return float(getattr(settings, name, os.environ.get(name, default)))


# A folder of extra term lists (same file names as moderation/data/) added to the shipped
# ones, for a site's own words and domains.
EXTRA_TERMS_DIR = getattr(
    settings, "MODERATION_EXTRA_TERMS_DIR", os.environ.get("MODERATION_EXTRA_TERMS_DIR", "")
)

# Posting rate: more than this many comments from one address or account in the window
# counts as flooding.
POSTING_RATE_LIMIT = _int("MODERATION_POSTING_RATE_LIMIT", 5)
POSTING_RATE_WINDOW = _int("MODERATION_POSTING_RATE_WINDOW", 600)

# A form sent back faster than this many seconds after it was served was filled by a bot.
MIN_SECONDS_TO_SUBMIT = _float("MODERATION_MIN_SECONDS_TO_SUBMIT", 3.0)

# How many versions of the learned model to keep (the newest one is used).
LEARNED_MODELS_KEPT = _int("MODERATION_LEARNED_MODELS_KEPT", 5)

# Repeated text: the same body (at least this many characters) posted again within the
# window is a spam sign.
REPEATED_TEXT_WINDOW = _int("MODERATION_REPEATED_TEXT_WINDOW", 24 * 3600)
REPEATED_TEXT_MIN_LENGTH = _int("MODERATION_REPEATED_TEXT_MIN_LENGTH", 25)

# Readers' reports.
REPORTS_PER_HOUR = _int("MODERATION_REPORTS_PER_HOUR", 20)
REPORT_TEXT_MAX = 500

# The learned model is retrained by the worker at most this often, when moderators decided.
RETRAIN_EVERY = _int("MODERATION_RETRAIN_EVERY", 24 * 3600)

# Rows per page of the queue and the audit log in the admin.
QUEUE_PAGE_SIZE = _int("MODERATION_QUEUE_PAGE_SIZE", 50)
