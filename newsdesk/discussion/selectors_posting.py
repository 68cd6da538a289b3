"""Reads of the posting path: where a new comment goes, and what the comment gate (the
moderation app, through its hook) asks of the discussion's data.

Each is one query through the ORM on the database the router names, so a read replica or a
second database needs no change here. What posting needs of a thread is kept per process, so
a post reads the database before the gate only for the parent of a reply.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Field, Q, QuerySet
from django.db.models.expressions import BaseExpression

from newsdesk.core.processcache import generation_bump, process_cached
from newsdesk.discussion.models import ID_MAX, Comment, CommentStatus, Thread, body_digest

if TYPE_CHECKING:
    # Types only: django-stubs is a development dependency.
    from django_stubs_ext import WithAnnotations

# What posting reads of a thread: its article (the page to outdate), whether it is open, and
# its slow mode (``services.slow_mode``).
_THREAD_FIELDS = ("article_id", "is_closed", "is_locked", "slow_mode_seconds")


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

    @property
    def root_key(self) -> int:
        """As ``Comment.root_key``: the id of the top-level comment it hangs under."""
        return self.root_id if self.root_id is not None else self.id


# What replying reads of the comment replied to, its fields in ``ReplyParent``'s order (so
# that a row is one): where it hangs, whether this reader may see it, whether its author
# wants an e-mail, and its text (the gate reads a reply with its parent).
_PARENT_FIELDS = tuple(field.name for field in fields(ReplyParent))


@dataclass(frozen=True)
class PostingPlace:
    """Where a new comment under an article goes.

    ``thread`` is the article's thread (None before its first comment) with its id,
    ``article_id``, ``is_closed``, ``is_locked`` and ``slow_mode_seconds`` loaded (any other
    field is read on first use, as with ``.only()``); it is the instance the new comment is
    saved under.
    ``has_subscribers`` tells whether anyone gets the thread's e-mails. ``parent`` is the
    comment the asked-for id names, in whatever thread and whoever may see it (the service
    decides), or None: no id asked, or no comment has it.
    """

    thread: Thread | None
    has_subscribers: bool
    parent: ReplyParent | None


class _Subscriber(TypedDict):
    # What the thread's query adds: any subscriber's id, or None.
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
def _parents() -> "QuerySet[Comment, tuple[Any, ...]]":
    # Plain values: a reply needs no model instance of its parent.
    return Comment.objects.order_by().values_list(*_PARENT_FIELDS)


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
    slow_mode_seconds: int = 0


def _thread_facts_load(article_id: int) -> _ThreadFacts | None:
    found = next(iter(_threads().filter(article_id=article_id)[:1]), None)
    if found is None:
        return None
    return _ThreadFacts(
        id=found.pk,
        is_closed=found.is_closed,
        is_locked=found.is_locked,
        has_subscribers=found.subscriber_id is not None,
        slow_mode_seconds=found.slow_mode_seconds,
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
        id=facts.id,
        article_id=article_id,
        is_closed=facts.is_closed,
        is_locked=facts.is_locked,
        slow_mode_seconds=facts.slow_mode_seconds,
    )
    return thread, facts.has_subscribers


def posting_place_get(*, article_id: int, parent_id: int | None = None) -> PostingPlace:
    """The article's thread and, with ``parent_id``, the comment a reply answers.

    The thread comes from this process's copy (a query when it has none); a reply costs one
    query more, for its parent's row. An id no database could hold (0, negative, past 64 bits)
    names no comment.
    """
    thread, has_subscribers = _thread_with_subscribers(article_id=article_id)
    parent = None
    if parent_id is not None and 0 < parent_id <= ID_MAX:
        row = next(iter(_parents().filter(pk=parent_id)[:1]), None)
        parent = ReplyParent(*row) if row is not None else None
    return PostingPlace(thread=thread, has_subscribers=has_subscribers, parent=parent)


# --- what the comment gate asks ------------------------------------------------------------
# Counting stops here: a text posted this many times lately is a repeat whatever the rest.
SAME_TEXT_COUNTED_MAX = 20


@cache
def _same_text_sql() -> str:
    # The identical-text read, written once per process from the model's own table and
    # column names (plain lowercase identifiers: no quoting needed on SQLite or PostgreSQL).
    # Every post asks it; through ``filter()`` Django builds and compiles it anew each time,
    # which costs eight times the query itself (130 µs against 15 µs; 0.3 ms of a 4 ms post,
    # ``bench/viral/post_stages``). ``Manager.raw`` keeps the rest of the ORM: the router
    # picks the database, the ORM adapts the parameters and builds the instances.
    meta = Comment._meta

    def column(name: str) -> str:
        field = meta.get_field(name)
        # A concrete column, for the type checker (``Field.column`` may be None in general).
        assert isinstance(field, Field) and field.column is not None
        return field.column

    return (
        f"SELECT {column('id')} FROM {meta.db_table}"  # noqa: S608 - names, not input
        f" WHERE {column('body_digest')} = %s AND {column('created_at')} >= %s"
        f" LIMIT {SAME_TEXT_COUNTED_MAX + 1}"
    )


def comments_with_text_count(*, text: str, since: datetime, excluding_id: int | None) -> int:
    """How many comments (any status, any thread) whose text is ``text`` (compared stripped,
    by ``body_digest``) were written at ``since`` or later, not counting ``excluding_id``
    (an edited comment itself), up to ``SAME_TEXT_COUNTED_MAX``.

    One query, on the ``comment_by_text`` index: the ids of at most that many such comments,
    on the database the router names for reading comments."""
    # ``raw()`` reads from the database ``router.db_for_read(Comment)`` names, as filter() does.
    found = Comment.objects.raw(_same_text_sql(), [body_digest(text), since])
    return min(sum(1 for comment in found if comment.pk != excluding_id), SAME_TEXT_COUNTED_MAX)


def comments_published_by_user_count(*, user_id: int, excluding_id: int | None = None) -> int:
    """How many of the account's comments are published and not shadowed, not counting
    ``excluding_id``. One query."""
    comments = Comment.objects.filter(
        user_id=user_id, status=CommentStatus.PUBLISHED, is_shadowed=False
    )
    if excluding_id is not None:
        comments = comments.exclude(pk=excluding_id)
    return comments.count()


@dataclass(frozen=True)
class AuthorRecord:
    """An account's record as a commenter (its comments but ``excluding_id``).

    ``published``: published and not shadowed; ``written``: any but deleted; ``decided``: the
    ones a moderator published, rejected or marked as spam (``status_changed_by`` set, the
    status still theirs), ``rejected`` of which they rejected or marked as spam. ``flags`` are
    the caller's own yes/no questions about the account, answered in the same query.
    """

    joined_at: datetime
    published: int
    written: int
    decided: int
    rejected: int
    flags: dict[str, bool]


_REJECTED = (CommentStatus.REJECTED, CommentStatus.SPAM)


def author_record_get(
    *,
    user_id: int,
    excluding_id: int | None = None,
    flags: Mapping[str, BaseExpression] | None = None,
) -> AuthorRecord | None:
    """The account's ``AuthorRecord``, or None when no account has ``user_id``.

    ``flags`` maps names to boolean expressions over the account's row (``OuterRef("pk")``
    in a subquery names it), such as moderation's "has a verified address": each is one
    more column of the same query. One query: the account's row joined to its comments,
    counted by condition (the comments' ``user`` index)."""
    flags = dict(flags or {})
    mine = ~Q(comments__pk=excluding_id) if excluding_id is not None else Q()
    decided = Q(comments__status_changed_by__isnull=False) & mine
    counts = {
        "published": Count(
            "comments",
            filter=Q(comments__status=CommentStatus.PUBLISHED, comments__is_shadowed=False) & mine,
        ),
        "written": Count("comments", filter=~Q(comments__status=CommentStatus.DELETED) & mine),
        "decided": Count(
            "comments",
            filter=decided & Q(comments__status__in=(CommentStatus.PUBLISHED, *_REJECTED)),
        ),
        "rejected": Count("comments", filter=decided & Q(comments__status__in=_REJECTED)),
    }
    # The flags first: annotated after the counts they would join the GROUP BY as columns.
    rows = (
        get_user_model()
        .objects.filter(pk=user_id)
        .annotate(**{f"flag_{name}": expression for name, expression in flags.items()})
        .annotate(**counts)
        .values("date_joined", *counts, *(f"flag_{name}" for name in flags))
    )
    row = next(iter(rows), None)
    if row is None:
        return None
    return AuthorRecord(
        joined_at=row["date_joined"],
        published=row["published"],
        written=row["written"],
        decided=row["decided"],
        rejected=row["rejected"],
        flags={name: bool(row[f"flag_{name}"]) for name in flags},
    )
