"""Settings of the discussion app, read at each use from the Django settings declared in
``newsdesk/settings/discussion.py`` (so a newsroom's environment and ``override_settings``
both apply). The attribute names stay: ``conf.DISCUSSION_PAGE_SIZE``, ``conf.RATE_POST``.
"""

from newsdesk.core.conf import lazy_attributes, setting
from newsdesk.core.ratelimit import RateLimit

# Constants of the code, not settings.
DISCUSSION_NAME_MAX_CHARS = 80
# The signed cookie that lets a guest see, edit and delete what they posted.
GUEST_COOKIE = "newsdesk_guest"
GUEST_COOKIE_MAX_AGE = 365 * 24 * 3600


def _int(name: str):
    return lambda: int(setting(name))


def _rate(limit: str, window: str | int):
    """A RateLimit of the settings ``limit`` per ``window`` (a setting's name, or seconds)."""

    def read() -> RateLimit:
        seconds = window if isinstance(window, int) else int(setting(window))
        return RateLimit(int(setting(limit)), seconds)

    return read


__getattr__ = lazy_attributes(
    __name__,
    {
        # Replies nest to this depth (top-level comments are depth 1); deeper ones are shown
        # flattened under their ancestor at this depth, with "in reply to NAME".
        "DISCUSSION_NEST_DEPTH": _int("DISCUSSION_NEST_DEPTH"),
        "DISCUSSION_PAGE_SIZE": _int("DISCUSSION_PAGE_SIZE"),
        "DISCUSSION_EDIT_WINDOW_MINUTES": _int("DISCUSSION_EDIT_WINDOW_MINUTES"),
        "DISCUSSION_AUTO_CLOSE_DAYS": _int("DISCUSSION_AUTO_CLOSE_DAYS"),
        "DISCUSSION_BODY_MAX_CHARS": _int("DISCUSSION_BODY_MAX_CHARS"),
        "DISCUSSION_IMAGE_MAX_BYTES": _int("DISCUSSION_IMAGE_MAX_BYTES"),
        "DISCUSSION_IMAGE_MAX_PIXELS": _int("DISCUSSION_IMAGE_MAX_PIXELS"),
        "DISCUSSION_IMAGE_MAX_SIDE": _int("DISCUSSION_IMAGE_MAX_SIDE"),
        "DISCUSSION_THUMBNAIL_SIDE": _int("DISCUSSION_THUMBNAIL_SIDE"),
        "DISCUSSION_EMAIL_CONFIRM_DAYS": _int("DISCUSSION_EMAIL_CONFIRM_DAYS"),
        "PRIVACY_IP_RETENTION_DAYS": _int("PRIVACY_IP_RETENTION_DAYS"),
        "PRIVACY_IP_BATCH_SIZE": _int("PRIVACY_IP_BATCH_SIZE"),
        # Writes per client address and per account: (requests, seconds).
        "RATE_POST": _rate("DISCUSSION_POSTS_PER_IP", "DISCUSSION_POSTS_WINDOW_SECONDS"),
        "RATE_POST_USER": _rate("DISCUSSION_POSTS_PER_USER", "DISCUSSION_POSTS_WINDOW_SECONDS"),
        "RATE_EDIT": _rate("DISCUSSION_EDITS_PER_IP", 300),
        "RATE_VOTE": _rate("DISCUSSION_VOTES_PER_IP", 300),
        "RATE_VOTE_USER": _rate("DISCUSSION_VOTES_PER_USER", 300),
        # Confirmation e-mails one client address may cause, per hour.
        "RATE_EMAIL_CONFIRM": _rate("DISCUSSION_EMAIL_CONFIRMS_PER_IP", 3600),
    },
)
