"""The live document of a thread, cached in the project's cache and outdated on every change.

The document is the same for every reader of an article, so it is built once per change of
the discussion, not once per poll: a poll reads two cache keys (the document and the time its
thread last changed) and answers from them, a revalidation with a matching ``ETag`` included.
A change (``live_outdate``, called by ``changes.article_discussion_changed`` inside the
change's transaction) writes the time under the thread's key at once and again when the
transaction commits, as the page cache does with its tags: a document built from the state
being replaced is outdated by the second write, and the next poll builds it again.

Only published comments (``selectors.PUBLIC``: not held, rejected, deleted or shadowed) are
ever read here; a held comment changes nothing readers see, announces nothing, and so does not
outdate the document either.
"""

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from newsdesk.core.conf import setting

KEY_PREFIX = "discussion:live:v1:"
CHANGED_PREFIX = "discussion:live:changed:"
# The latest published comments a document lists: a page polling every 15 s sees more than
# this only on a thread busier than any newsroom's (it then shows "50+ new comments").
RECENT_MAX = 50
# A document built less than this after its thread's last change is built again at the next
# poll: the change's transaction may not have been visible to the build (processes' clocks
# and the commit's own delay).
CHANGE_MARGIN_SECONDS = 1.0
# A document is kept at most this long even without a change: an article unpublished since
# (which announces no discussion change) stops answering within it.
DOCUMENT_SECONDS = 600


def document_key(article_id: int) -> str:
    return f"{KEY_PREFIX}{article_id}"


def changed_key(article_id: int) -> str:
    return f"{CHANGED_PREFIX}{article_id}"


def poll_seconds() -> int:
    """``DISCUSSION_LIVE_POLL_SECONDS``: how often the page asks (0: live threads are off)."""
    return max(0, int(setting("DISCUSSION_LIVE_POLL_SECONDS")))


def idle_hours() -> float:
    """``DISCUSSION_LIVE_IDLE_HOURS``: the page stops asking after this long without a
    reader's touch (a key, a click, a scroll)."""
    return max(0.0, float(setting("DISCUSSION_LIVE_IDLE_HOURS")))


def live_outdate(*, article_ids: Iterable[int]) -> None:
    """What readers see of these articles' discussions changed: the next poll of each builds
    its live document again. Inside a transaction: at once and again when it commits."""
    ids = sorted(set(article_ids))
    if not ids:
        return

    def outdate() -> None:
        now = time.time()
        cache.set_many({changed_key(article_id): now for article_id in ids}, timeout=None)

    if transaction.get_connection().in_atomic_block:
        outdate()
    transaction.on_commit(outdate)


@dataclass(frozen=True)
class LiveDocument:
    """A thread's live document as served: its JSON bytes and their ``ETag``."""

    body: bytes
    etag: str
    built_at: float


def _document_build(*, article_id: int) -> LiveDocument:
    """Two queries: the latest published comments (with their authors) and the count."""
    # Imported here: ``changes`` imports this module, and the selectors import the services
    # that import ``changes``.
    from newsdesk.discussion.live.selectors import live_recent_list

    built_at = time.time()
    count, recent = live_recent_list(article_id=article_id, limit=RECENT_MAX)
    document = {
        "article": article_id,
        "count": count,
        # Oldest first, the order "show them" inserts them in.
        "comments": [
            {
                "id": row.id,
                "parent": row.parent_id,
                "author": row.author,
                "at": round(row.published_at, 3),
            }
            for row in reversed(recent)
        ],
        "bounded": len(recent) >= RECENT_MAX,
    }
    body = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:24] + '"'
    return LiveDocument(body=body, etag=etag, built_at=built_at)


def live_document_get(*, article_id: int) -> LiveDocument:
    """The live document of ``article_id``'s thread (the caller has checked that the article
    is live and public): from the cache when no change came after it was built, else built
    (two queries) and stored. A poll that finds it costs no database query."""
    key, changed = document_key(article_id), changed_key(article_id)
    found = cache.get_many([key, changed])
    document, changed_at = found.get(key), found.get(changed)
    if (
        isinstance(document, LiveDocument)
        and changed_at is not None
        and changed_at < document.built_at - CHANGE_MARGIN_SECONDS
    ):
        return document
    if changed_at is None:
        # No change known (never, or the key was evicted): a time before this build, so the
        # document stays good until the next real change.
        cache.add(changed, time.time() - 2 * CHANGE_MARGIN_SECONDS, timeout=None)
    document = _document_build(article_id=article_id)
    cache.set(key, document, timeout=DOCUMENT_SECONDS)
    return document
