"""Per-process copies of what changes rarely but is read on every post: moderation's
settings, the bans, the current learned model, whether an article takes comments.

Each kind of data belongs to a *generation* (``"moderation"``, ``"pages"``) whose token lives
in the shared cache. ``process_cached`` returns this process's copy of a value, loading it
again once the token has changed; ``generation_bump`` drops this process's copies at once and
gives the generation a new token when the change commits. A process reads the token at most
once every ``PROCESS_CACHE_CHECK_SECONDS`` (1 s), so another process's change reaches it
within that time, while a busy process pays one cache read a second instead of several
queries a post.

Writers do not call ``generation_bump`` themselves: the apps connect it to the models'
``post_save``/``post_delete`` and Wagtail's publishing signals, so a change made anywhere
(a service, the admin, a shell) is heard.
"""

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction

from newsdesk.core.conf import setting

GENERATION_KEY = "processcache:generation:{}"
MAX_VALUES = 4096  # per generation; a process reading more starts afresh


@dataclass
class _Generation:
    token: str | None = None
    checked_at: float = float("-inf")
    values: dict[Any, Any] = field(default_factory=dict)


_lock = threading.Lock()
_generations: dict[str, _Generation] = {}


def check_seconds() -> float:
    return float(setting("PROCESS_CACHE_CHECK_SECONDS"))


def _token_read(name: str) -> str:
    key = GENERATION_KEY.format(name)
    token = cache.get(key)
    if token is None:
        # Unknown (first use, or evicted): start one; a concurrent start wins the same way.
        cache.add(key, uuid.uuid4().hex, timeout=None)
        token = cache.get(key) or "unknown"
    return token


def _generation(name: str) -> _Generation:
    now = time.monotonic()
    with _lock:
        generation = _generations.setdefault(name, _Generation())
        if now - generation.checked_at < check_seconds():
            return generation
    token = _token_read(name)
    with _lock:
        generation = _generations.setdefault(name, _Generation())
        if token != generation.token:
            generation.values.clear()
            generation.token = token
        generation.checked_at = now
        return generation


def process_cached(*, generation: str, key: Any, load: Callable[[], Any]) -> Any:
    """This process's copy of ``load()`` under ``key``, current as of ``generation``."""
    current = _generation(generation)
    with _lock:
        if key in current.values:
            return current.values[key]
    value = load()
    with _lock:
        if current is _generations.get(generation):
            if len(current.values) >= MAX_VALUES:
                current.values.clear()
            current.values[key] = value
    return value


def generation_bump(*, generation: str) -> None:
    """Data of ``generation`` changed: this process forgets its copies now, every process
    once the change has committed (and reads the new data from then on)."""

    def forget() -> None:
        with _lock:
            _generations.pop(generation, None)

    def bump() -> None:
        forget()
        cache.set(GENERATION_KEY.format(generation), uuid.uuid4().hex, timeout=None)

    forget()
    transaction.on_commit(bump)


def process_caches_clear() -> None:
    """Forget every copy of this process (tests, between cases)."""
    with _lock:
        _generations.clear()
