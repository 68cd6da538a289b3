"""The page cache (newsdesk/pagecache): anonymous readers' pages served whole from CACHES.

Read through ``newsdesk.pagecache.conf`` at use, so ``override_settings`` applies.
"""

from .env import env_bool, env_float, env_int, env_list

PAGECACHE_ENABLED = env_bool("PAGECACHE_ENABLED", True)
# The longest a rendered page is kept; changes outdate it at once anyway.
PAGECACHE_SECONDS = env_int("PAGECACHE_SECONDS", 3600)
# Browsers and proxies may keep pages without forms this long (the bar can lag that much there).
PAGECACHE_BROWSER_MAX_AGE = env_int("PAGECACHE_BROWSER_MAX_AGE", 30)
PAGECACHE_STALE_WHILE_REVALIDATE = env_int("PAGECACHE_STALE_WHILE_REVALIDATE", 300)
# After an invalidation, how long readers may get the previous copy while one request renders
# the new one (no dog-pile of renderings on a busy page), and how long that request may hold
# the page's rendering lock (a crashed one frees it then).
PAGECACHE_STALE_SERVE_SECONDS = env_int("PAGECACHE_STALE_SERVE_SECONDS", 10)
PAGECACHE_RENDER_LOCK_SECONDS = env_int("PAGECACHE_RENDER_LOCK_SECONDS", 10)
# Clock difference tolerated between machines that render and invalidate pages.
PAGECACHE_CLOCK_MARGIN = env_float("PAGECACHE_CLOCK_MARGIN", 0.5)
# Slots drawn on every serve rather than cached (the campaign bar), comma-separated.
PAGECACHE_LATE_SLOTS = env_list("PAGECACHE_LATE_SLOTS", "page_top")
