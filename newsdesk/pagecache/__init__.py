"""Whole-page caching for anonymous readers, exact invalidation, and HTTP caching headers.

- ``middleware.PageCacheMiddleware`` serves public pages from the Django cache (Redis on the
  newsroom tier, a file cache on the laptop: shared by every process): to anonymous readers
  as one public copy with no personal byte (cacheable by nginx or a CDN too), to signed-in
  readers with the script's cookie as that copy with their personal regions and CSRF token
  filled in; an outdated copy is served while one request renders the new one.
- ``fill``: the markers of CSRF tokens, personal regions (``{% personal %}``) and late slots
  (the campaign bar, drawn on every serve).
- ``tokenless``: ``GET /csrf/`` for the script, and the confirmation page answering a form
  posted from a public copy without a token (no script), which writes nothing.
- ``registry``: what other apps tell the page cache through the ``PAGECACHE_RULES`` hook of
  ``core/hooks.py`` (the cookies and headers that make a request theirs, their public routes
  and the query parameters they read there, their private URL prefixes, their page models
  shown in listings), read once at the first request. The page cache names no other app.
- ``personal``: what makes a request personal (the registered cookies and headers, and
  ``personal_input_read``, which code reading one while a page renders calls), and
  ``query``: which query parameters are part of a page's key.
- ``tags``: every cached page names what it shows; ``pages_invalidate(tags=...)`` outdates
  all pages naming one of them in O(1). Other apps announce their changes through hooks
  (``DISCUSSION_CHANGED``...), which ``wagtail_hooks`` turns into invalidations.
- ``signals``: Wagtail's publish, unpublish and move signals and snippet edits invalidate.

How to run it in production (nginx in front, purging a CDN) is in ``docs/production.md``.
"""

from newsdesk.pagecache.personal import personal_input_read
from newsdesk.pagecache.tags import (
    LISTINGS_TAG,
    SITE_TAG,
    page_tag,
    pages_invalidate,
)

__all__ = [
    "LISTINGS_TAG",
    "SITE_TAG",
    "page_tag",
    "pages_invalidate",
    "personal_input_read",
]
