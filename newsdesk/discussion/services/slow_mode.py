"""Slow mode: in a thread that has it, a reader posts one comment or reply per N seconds.

Staff set N on a thread (``thread_slow_mode_set``; the article's staff controls call it
through the API). A reader is an account, or a guest by their guest key *and* by their
address (IPv6 by its /64), so clearing cookies does not start the clock again; editors and
moderators are exempt.

A post claims the reader's slots with the cache's ``add`` (one atomic "set if absent" on
every backend: a Redis ``SET NX``, a diskcache transaction), each living N seconds and
holding the time it frees: of two posts sent at once, one claims and the other is refused.
The claim comes last, after every other check and the gate, and is given back when the
comment is not written after all, so a refused post never costs the reader their turn.
"""

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsdesk.core import errors as core
from newsdesk.core.clientaddr import address_group
from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.errors import DiscussionError, InvalidComment, NotAllowed
from newsdesk.discussion.models import Thread
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors_posting import threads_changed
from newsdesk.discussion.services.picks import is_discussion_staff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

KEY_PREFIX = "discussion:slow:v1:"
# What staff may choose: up to a day between two comments of one reader.
SLOW_MODE_MAX_SECONDS = 86_400


class SlowModeWait(DiscussionError, core.RateLimited):
    """Too early for this reader's next comment in a slow-mode thread (429);
    ``retry_after`` is the whole seconds left."""

    def __init__(self, message: str = "", *, field: str | None = None, retry_after: int = 1):
        super().__init__(message, field=field)
        self.retry_after = retry_after


def slow_mode_words(seconds: int) -> str:
    """ "one comment every 30 seconds", as the form and the refusal say it."""
    if seconds % 3600 == 0:
        amount = seconds // 3600
        words = ngettext("one comment every hour", "one comment every %(count)s hours", amount)
    elif seconds % 60 == 0:
        amount = seconds // 60
        words = ngettext("one comment every minute", "one comment every %(count)s minutes", amount)
    else:
        amount = seconds
        words = ngettext("one comment every second", "one comment every %(count)s seconds", amount)
    return words % {"count": amount}


@dataclass(frozen=True)
class SlowModeClaim:
    """The slots a post took (cache keys), to give back if the comment is not written."""

    keys: tuple[str, ...] = ()

    def release(self) -> None:
        if self.keys:
            cache.delete_many(list(self.keys))


def _reader_keys(*, thread_id: int, reader: Reader) -> tuple[str, ...]:
    base = f"{KEY_PREFIX}{thread_id}:"
    if reader.user is not None:
        return (f"{base}user:{reader.user.pk}",)
    keys = []
    if reader.guest_key:
        keys.append(f"{base}guest:{reader.guest_hash}")
    if reader.ip_address:
        keys.append(f"{base}addr:{address_group(reader.ip_address)}")
    return tuple(keys)


def slow_mode_claim(
    *, thread: Thread | None, reader: Reader, now: float | None = None
) -> SlowModeClaim:
    """Take ``reader``'s turn in ``thread`` if it has slow mode; raise ``SlowModeWait``
    (nothing taken) when an earlier post of theirs is less than N seconds old.

    Staff, a thread without slow mode and a thread not yet made take nothing."""
    seconds = thread.slow_mode_seconds if thread is not None else 0
    if not seconds or thread is None or is_discussion_staff(reader.user):
        return SlowModeClaim()
    now = time.time() if now is None else now
    free_at = now + seconds
    taken: list[str] = []
    for key in _reader_keys(thread_id=thread.pk, reader=reader):
        if cache.add(key, free_at, timeout=seconds):
            taken.append(key)
            continue
        SlowModeClaim(keys=tuple(taken)).release()
        held_until = cache.get(key)
        left = math.ceil(held_until - now) if isinstance(held_until, int | float) else seconds
        left = max(1, min(left, seconds))
        raise SlowModeWait(
            ngettext(
                "Slow mode is on in this discussion (%(rule)s): you can post again in "
                "%(count)s second.",
                "Slow mode is on in this discussion (%(rule)s): you can post again in "
                "%(count)s seconds.",
                left,
            )
            % {"rule": slow_mode_words(seconds), "count": left},
            retry_after=left,
        )
    return SlowModeClaim(keys=tuple(taken))


def thread_slow_mode_set(
    *, thread: Thread, seconds: int, actor: "User | AnonymousUser | None"
) -> Thread:
    """Set the thread's slow mode to one comment per reader per ``seconds`` (0: off).

    Editors and moderators only (``NotAllowed`` otherwise; ``actor`` None is the site itself,
    as the demo); ``seconds`` from 0 to a day (``InvalidComment`` otherwise). Outdates the
    article's pages, whose form names it."""
    if actor is not None and not is_discussion_staff(actor):
        raise NotAllowed(_("Only editors and moderators may set slow mode."))
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise InvalidComment(_("Give slow mode as a whole number of seconds."), field="seconds")
    if not 0 <= seconds <= SLOW_MODE_MAX_SECONDS:
        raise InvalidComment(
            _("Slow mode is from 0 (off) to %(max)s seconds (a day).")
            % {"max": number_format(SLOW_MODE_MAX_SECONDS, force_grouping=True)},
            field="seconds",
        )
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(slow_mode_seconds=seconds)
        threads_changed()  # update() sends no signal: posting's copies
        article_discussion_changed(article_ids=[thread.article_id])
    thread.slow_mode_seconds = seconds
    return thread
