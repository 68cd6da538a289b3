"""Surrogate keys ("tags") and their invalidation times, kept in the shared Django cache.

Every cached page names the tags of what it shows: ``site`` (navigation and settings, on
every page), ``listings`` (pages that list articles: front, sections, tags, authors, feeds,
sitemaps) and ``page:<id>`` for the page itself and every article it lists. Invalidating a
tag writes the current time under the tag's key: O(1), nothing is scanned or deleted. A
cached page is reused only while each of its tags was last invalidated before the page's
rendering began, so a change that commits during a rendering also outdates that rendering.
An editor's change writes a moment a little ahead instead (``pages_invalidate``'s
``settle``), so renderings from processes' copies not yet renewed are outdated too.

Other code (and CDN integrations) hear of invalidations through the Wagtail hook
``PAGECACHE_PURGE`` (``core/hooks.py``), called with the list of tags after the commit, and
again when an editor's change has settled; without one, purges are logged. Other apps never
call this module: they announce their changes through hooks (``wagtail_hooks.py``).
"""

import logging
import time
from collections.abc import Iterable
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.core.processcache import check_seconds
from newsdesk.pagecache import conf

logger = logging.getLogger("newsdesk.pagecache")

TAG_KEY_PREFIX = "pagecache:tag:"
SITE_TAG = "site"
LISTINGS_TAG = "listings"


def page_tag(page_id: int) -> str:
    return f"page:{page_id}"


def tag_key(tag: str) -> str:
    return TAG_KEY_PREFIX + tag


def tags_invalidated_at(*, tags: Iterable[str]) -> dict[str, float | None]:
    """When each tag was last invalidated (None: unknown, e.g. evicted: treat as just now)."""
    tags = list(tags)
    found = cache.get_many([tag_key(tag) for tag in tags])
    return {tag: found.get(tag_key(tag)) for tag in tags}


def tags_register(*, tags: Iterable[str], before: float) -> None:
    """Give tags that have no invalidation time yet one just before ``before``."""
    for tag in tags:
        cache.add(tag_key(tag), before, timeout=None)


def tags_stale_since(*, tags: Iterable[str], rendered_at: float) -> float | None:
    """None while a page rendered from ``rendered_at`` on is fresh; otherwise since when it is
    outdated (the latest invalidation of its tags; now when a tag's time is unknown)."""
    limit = rendered_at - conf.clock_margin()
    latest = None
    for when in tags_invalidated_at(tags=tags).values():
        if when is None:
            return time.time()
        if when >= limit:
            latest = when if latest is None else max(latest, when)
    return latest


def pages_invalidate(*, tags: Iterable[str], settle: bool = False) -> None:
    """Outdate every cached page that names one of ``tags``, and tell the purge hooks.

    Inside a transaction the tags are outdated at once and again when it commits: a page
    rendered in between (from the state being replaced) is outdated by the second.

    ``settle``: the change is to data each process keeps a copy of (schedules, settings, the
    pages' own state: ``core/processcache.py``). Another process may render from its old copy
    for up to ``PROCESS_CACHE_CHECK_SECONDS`` after the commit, so the tags are outdated until
    that time has passed: a page rendered meanwhile is rendered again by the next reader
    instead of being kept, showing the old state, until the next change.

    The purge hooks are told after the commit and, with ``settle``, once more when that
    time has passed (a task queued for then): a CDN that fetched a page from a process's old
    copy in between would otherwise keep it until its own expiry.
    """
    tags = sorted(set(tags))
    if not tags:
        return
    window = check_seconds() if settle else 0.0

    def invalidate(*, purge: bool) -> None:
        cache.set_many({tag_key(tag): time.time() + window for tag in tags}, timeout=None)
        if purge:
            tags_purge(tags=tags)

    if transaction.get_connection().in_atomic_block:
        invalidate(purge=False)
    transaction.on_commit(lambda: invalidate(purge=True))
    if window > 0 and hooks.get_hooks(newsdesk_hooks.PAGECACHE_PURGE):
        _settled_purge_enqueue(tags=tags, window=window)


def tags_purge(*, tags: list[str]) -> None:
    """Tell every ``PAGECACHE_PURGE`` hook that pages naming ``tags`` are outdated (without
    one registered, the purge is logged)."""
    purgers = hooks.get_hooks(newsdesk_hooks.PAGECACHE_PURGE)
    if not purgers:
        logger.info("Page cache: purge %s", " ".join(tags))
    for purge_tags in purgers:
        purge_tags(tags)


def _settled_purge_enqueue(*, tags: list[str], window: float) -> None:
    # Imported here: the package's __init__ imports this module before models are ready.
    from newsdesk.core.taskqueue import task_enqueue_with_commit
    from newsdesk.pagecache.tasks import tags_purge_settled

    if not tags_purge_settled.get_backend().supports_defer:
        return  # a backend that runs tasks at once cannot wait; the first purge stands
    # A second after the window: the commit that starts it follows this call closely.
    run_after = timezone.now() + timedelta(seconds=window + 1)
    task_enqueue_with_commit(tags_purge_settled.using(run_after=run_after), robust=True, tags=tags)
