"""Settings of the discussion app, each from a Django setting or an environment variable.

Every one has a default that works on a laptop; a newsroom changes them in its environment.
"""

import os

from django.conf import settings

from newsdesk.core.ratelimit import RateLimit


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, os.environ.get(name, default)))


# Replies are nested up to this depth (top-level comments are depth 1); deeper replies are
# shown flattened under their ancestor at this depth, with "in reply to NAME".
DISCUSSION_NEST_DEPTH = _int("DISCUSSION_NEST_DEPTH", 5)
# Top-level comments per page; "load more" fetches the next page.
DISCUSSION_PAGE_SIZE = _int("DISCUSSION_PAGE_SIZE", 20)
# How long, in minutes, an author may edit a comment after posting it.
DISCUSSION_EDIT_WINDOW_MINUTES = _int("DISCUSSION_EDIT_WINDOW_MINUTES", 15)
# Threads close to new comments this many days after the article's publication (0: never).
DISCUSSION_AUTO_CLOSE_DAYS = _int("DISCUSSION_AUTO_CLOSE_DAYS", 0)
# The longest comment, in characters of the Markdown a reader writes.
DISCUSSION_BODY_MAX_CHARS = _int("DISCUSSION_BODY_MAX_CHARS", 10_000)
DISCUSSION_NAME_MAX_CHARS = 80

# Pictures in comments.
DISCUSSION_IMAGE_MAX_BYTES = _int("DISCUSSION_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
DISCUSSION_IMAGE_MAX_PIXELS = _int("DISCUSSION_IMAGE_MAX_PIXELS", 24_000_000)
DISCUSSION_IMAGE_MAX_SIDE = _int("DISCUSSION_IMAGE_MAX_SIDE", 1600)
DISCUSSION_THUMBNAIL_SIDE = _int("DISCUSSION_THUMBNAIL_SIDE", 480)

# Writes per client address and per account: (requests, seconds).
RATE_POST = RateLimit(
    _int("DISCUSSION_POSTS_PER_IP", 10), _int("DISCUSSION_POSTS_WINDOW_SECONDS", 300)
)
RATE_POST_USER = RateLimit(
    _int("DISCUSSION_POSTS_PER_USER", 10), _int("DISCUSSION_POSTS_WINDOW_SECONDS", 300)
)
RATE_EDIT = RateLimit(_int("DISCUSSION_EDITS_PER_IP", 30), 300)
RATE_VOTE = RateLimit(_int("DISCUSSION_VOTES_PER_IP", 120), 300)
RATE_VOTE_USER = RateLimit(_int("DISCUSSION_VOTES_PER_USER", 120), 300)

# Double opt-in for discussion e-mails: the confirmation link works this many days, and an
# address that has not confirmed gets no second confirmation e-mail before then.
DISCUSSION_EMAIL_CONFIRM_DAYS = _int("DISCUSSION_EMAIL_CONFIRM_DAYS", 7)
# Confirmation e-mails one client address may cause, per hour (beyond: none is sent; the
# comment is posted all the same), so nobody fills a stranger's inbox by listing addresses.
RATE_EMAIL_CONFIRM = RateLimit(_int("DISCUSSION_EMAIL_CONFIRMS_PER_IP", 5), 3600)

# The signed cookie that lets a guest see, edit and delete what they posted.
GUEST_COOKIE = "newsdesk_guest"
GUEST_COOKIE_MAX_AGE = 365 * 24 * 3600

# Commenters' exact IP addresses (and browsers' user agents) are kept this many days, then
# cut to their network (IPv4 /24, IPv6 /48) by the worker's retention duty.
PRIVACY_IP_RETENTION_DAYS = _int("PRIVACY_IP_RETENTION_DAYS", 30)
# Comments the retention duty rewrites per transaction (each batch is short).
PRIVACY_IP_BATCH_SIZE = _int("PRIVACY_IP_BATCH_SIZE", 1000)
