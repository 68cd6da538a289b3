"""Whole-page caching for anonymous readers, exact invalidation, and HTTP caching headers.

- ``middleware.PageCacheMiddleware`` serves anonymous readers' public pages from the Django
  cache (Redis on the newsroom tier, a file cache on the laptop: shared by every process).
- ``fill``: CSRF tokens and late slots (the campaign bar) are filled into the cached copy on
  every serve, so a cached page is both shared and personal where it must be.
- ``tags``: every cached page names what it shows; ``pages_invalidate(tags=...)`` outdates
  all pages naming one of them in O(1), and ``article_pages_changed(article_id=...)`` is
  what other apps call when an article's discussion changed.
- ``signals``: Wagtail's publish, unpublish and move signals and snippet edits invalidate.

How to run it in production (nginx in front, purging a CDN) is in ``docs/production.md``.
"""

from newsdesk.web.pagecache.tags import (
    LISTINGS_TAG,
    SITE_TAG,
    article_pages_changed,
    page_tag,
    pages_invalidate,
)

__all__ = [
    "LISTINGS_TAG",
    "SITE_TAG",
    "article_pages_changed",
    "page_tag",
    "pages_invalidate",
]
