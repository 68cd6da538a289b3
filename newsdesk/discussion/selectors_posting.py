"""Reads of the posting path: where a new comment goes, and what the comment gate (the
moderation app, through its hook) asks of the discussion's data.

Each is one query through the ORM on the database the router names, so a read replica or a
second database needs no change here. The thread and the parent of a reply come in one query:
a post is one read before the gate, whatever it replies to.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, TypedDict

from django.db.models import F, QuerySet

from newsdesk.core.processcache import generation_bump, process_cached
from newsdesk.discussion.models import ID_MAX, Comment, CommentStatus, Thread, body_digest

if TYPE_CHECKING:
    # Types only: django-stubs is a development dependency.
    from django_stubs_ext import WithAnnotations

# What replying reads of the comment replied to: where it hangs (thread, root, depth), whether
# this reader may see it (status, shadow, author), whether its author wants an e-mail, and
# its text (the gate reads a reply with its parent).
_PARENT_FIELDS = (
    "thread", "root_id", "depth", "status", "is_shadowed", "user_id", "guest_key_hash",
    "notify_replies", "body_source",
)  # fmt: skip
# What posting reads of a thread: its article (the page to outdate) and whether it is open.
_THREAD_FIELDS = ("article_id", "is_closed", "is_locked")


@dataclass(frozen=True)
class ReplyParent:
    """The comment a reply answers, as the reply needs it (plain values)."""

    id: int
    thread_id: int
    root_id: int | None
    depth: int
    status: str
    is_shadowed: bool
    user_id: int | None
    guest_key_hash: str
    notify_replies: bool
    body_source: str

    @property
    def is_public(self) -> bool:
        """As ``Comment.is_public``: published and not shadowed."""
        return self.status == CommentStatus.PUBLISHED and not self.is_shadowed


@dataclass(frozen=True)
class PostingPlace:
    """Where a new comment under an article goes.

    ``thread`` is the article's thread (None before its first comment) with its id,
    ``article_id``, ``is_closed`` and ``is_locked`` loaded (any other field is read on first
    use, as with ``.only()``); it is the instance the new comment is saved under.
    ``has_subscribers`` tells whether anyone gets the thread's e-mails. ``parent`` is the
    comment the asked-for id names, in whatever thread and whoever may see it (the service
    decides), or None: no id asked, or no comment has it.
    """

    thread: Thread | None
    has_subscribers: bool
    parent: ReplyParent | None


class _Subscriber(TypedDict):
    # The annotation both queries add: any subscriber's id, or None.
    subscriber_id: int | None


# The queries of every post, built once per process up to their filter (as a class-based
# view's ``queryset`` is): each call clones one and filters it, which costs a quarter less
# than building it again. Never evaluated themselves, so they hold no rows.
@cache
def _threads() -> "QuerySet[WithAnnotations[Thread, _Subscriber]]":
    # A LEFT JOIN to the subscriptions, one row kept: any subscriber's id or None. Cheaper to
    # build than an EXISTS subquery, and the same answer.
    return Thread.objects.only(*_THREAD_FIELDS).annotate(subscriber_id=F("subscriptions__id"))


@cache
def _parents() -> "QuerySet[WithAnnotations[Comment, _Subscriber]]":
    return (
        Comment.objects.select_related("thread")
        .only(*_PARENT_FIELDS, *(f"thread__{name}" for name in _THREAD_FIELDS))
        .annotate(subscriber_id=F("thread__subscriptions__id"))
        .order_by()
    )


# What posting needs of an article's thread changes rarely (a thread is opened once, closed
# or locked by staff, subscribed to now and then) and is read on every post: each process keeps
# it (``core/processcache.py``) until a thread or a subscription is saved or deleted
# (``DiscussionConfig.ready`` connects the signals) or staff close or lock a thread with an
# ``update()``, which sends none (``services/staff.py`` calls ``threads_changed``). Another
# process's change reaches this one within ``PROCESS_CACHE_CHECK_SECONDS``, as bans do.
THREADS_GENERATION = "discussion-threads"


def threads_changed(sender: object = None, **kwargs: object) -> None:
    """A thread or a subscription changed: every process reads threads afresh."""
    generation_bump(generation=THREADS_GENERATION)


@dataclass(frozen=True)
class _ThreadFacts:
    id: int
    is_closed: bool
    is_locked: bool
    has_subscribers: bool


def _thread_facts_load(article_id: int) -> _ThreadFacts | None:
    found = next(iter(_threads().filter(article_id=article_id)[:1]), None)
    if found is None:
        return None
    return _ThreadFacts(
        id=found.pk,
        is_closed=found.is_closed,
        is_locked=found.is_locked,
        has_subscribers=found.subscriber_id is not None,
    )


def _thread_with_subscribers(*, article_id: int) -> tuple[Thread | None, bool]:
    facts = process_cached(
        generation=THREADS_GENERATION,
        key=("posting-thread", article_id),
        load=lambda: _thread_facts_load(article_id),
    )
    if facts is None:
        return None, False
    # A new instance per post (nothing one request attaches reaches the next), holding the
    # fields posting reads; any other is read from the database on first use.
    thread = Thread(
        id=facts.id, article_id=article_id, is_closed=facts.is_closed, is_locked=facts.is_locked
    )
    return thread, facts.has_subscribers


def posting_place_get(*, article_id: int, parent_id: int | None = None) -> PostingPlace:
    """The article's thread and, with ``parent_id``, the comment a reply answers.

    One query: the article's thread; or, for a reply, the parent with its thread. A parent
    in another thread (or none) costs a second query, for the article's own thread. An id no
    database could hold (0, negative, past 64 bits) names no comment.
    """
    if parent_id is None or not 0 < parent_id <= ID_MAX:
        thread, has_subscribers = _thread_with_subscribers(article_id=article_id)
        return PostingPlace(thread=thread, has_subscribers=has_subscribers, parent=None)
    row = next(iter(_parents().filter(pk=parent_id)[:1]), None)
    parent = None
    if row is not None:
        parent = ReplyParent(
            id=row.pk,
            thread_id=row.thread_id,
            root_id=row.root_id,
            depth=row.depth,
            status=row.status,
            is_shadowed=row.is_shadowed,
            user_id=row.user_id,
            guest_key_hash=row.guest_key_hash,
            notify_replies=row.notify_replies,
            body_source=row.body_source,
        )
        if row.thread.article_id == article_id:
            return PostingPlace(
                thread=row.thread, has_subscribers=row.subscriber_id is not None, parent=parent
            )
    thread, has_subscribers = _thread_with_subscribers(article_id=article_id)
    return PostingPlace(thread=thread, has_subscribers=has_subscribers, parent=parent)


# --- what the comment gate asks ------------------------------------------------------------
def comments_with_text_count(*, text: str, since: datetime, excluding_id: int | None) -> int:
    """How many comments (any status, any thread) whose text is ``text`` (compared stripped,
    by ``body_digest``) were written at ``since`` or later, not counting ``excluding_id``
    (an edited comment itself). One query, on the ``comment_by_text`` index."""
    comments = Comment.objects.filter(body_digest=body_digest(text), created_at__gte=since)
    if excluding_id is not None:
        comments = comments.exclude(pk=excluding_id)
    return comments.count()


def comments_published_by_user_count(*, user_id: int, excluding_id: int | None = None) -> int:
    """How many of the account's comments are published and not shadowed, not counting
    ``excluding_id``. One query."""
    comments = Comment.objects.filter(
        user_id=user_id, status=CommentStatus.PUBLISHED, is_shadowed=False
    )
    if excluding_id is not None:
        comments = comments.exclude(pk=excluding_id)
    return comments.count()
