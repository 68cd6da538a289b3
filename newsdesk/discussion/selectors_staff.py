"""Reads of comments for moderators and moderation (its queue, bans, reports' history):
whatever a comment's visibility, so never for a reader's request (those go through
``selectors.comment_for_reader``). Moderation reads comments only through these.
"""

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from newsdesk.discussion.models import Comment, CommentStatus

PUBLIC = Q(status=CommentStatus.PUBLISHED, is_shadowed=False)


# --- for moderators ---------------------------------------------------------------------------
def comment_with_context_get(*, comment_id: int) -> Comment | None:
    """A comment with its thread, article, parent and authors, in one query, whoever may
    see it: for moderators' screens. An id from a reader goes through ``comment_for_reader``."""
    return (
        Comment.objects.select_related(
            "thread", "thread__article", "parent", "parent__user", "user", "status_changed_by"
        )
        .filter(pk=comment_id)
        .first()
    )


def user_has_published_comment(*, user_id: int) -> bool:
    """Whether the account has a published comment that is not shadowed (a reporter's
    history, for moderation). One query."""
    return Comment.objects.filter(PUBLIC, user_id=user_id).exists()


def comment_status_counts(*, comment_ids: Iterable[int]) -> dict[str, int]:
    """How many of the comments ``comment_ids`` names have each status (a status none has is
    absent). ``comment_ids`` may be another app's ``values_list(..., flat=True)`` query,
    which then runs inside this one as a subquery: one query, however many ids."""
    rows = (
        Comment.objects.filter(pk__in=comment_ids)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    return dict(rows)


def comment_texts(*, comment_ids: Iterable[int]) -> dict[int, str]:
    """The text (``body_source``) of each comment ``comment_ids`` names, by id (a missing
    comment is absent); ``comment_ids`` may be a query, as for ``comment_status_counts``.
    One query."""
    return dict(Comment.objects.filter(pk__in=comment_ids).values_list("pk", "body_source"))


# --- for moderation's queue and bans (moderation reads comments only through these) -----------
def comments_for_staff(
    *,
    status: str | None = None,
    or_among: Iterable[int] | None = None,
    among: Iterable[Iterable[int]] = (),
    article_id: int | None = None,
) -> "QuerySet[Comment]":
    """Comments whatever their visibility, for moderators' screens, oldest first, each with
    its thread, article, parent (and its author) and author: those with ``status`` (any
    status when None) or, given ``or_among``, named by it; then only those named by every
    one of ``among``, and with ``article_id`` only that article's thread.

    Each collection of ids may be another app's ``values_list(..., flat=True)`` query (it
    runs inside this one as a subquery), so the caller keeps one query however many ids; it
    may add its own models' annotations and prefetches to the returned query.
    """
    comments = Comment.objects.all()
    if status is not None:
        matches = Q(status=status)
        if or_among is not None:
            matches |= Q(pk__in=or_among)
        comments = comments.filter(matches)
    for ids in among:
        comments = comments.filter(pk__in=ids)
    if article_id is not None:
        comments = comments.filter(thread__article_id=article_id)
    return comments.select_related(
        "thread", "thread__article", "parent", "parent__user", "user"
    ).order_by("created_at", "pk")


def comments_count(*, status: str, among: Iterable[int] | None = None) -> int:
    """How many comments have ``status`` (shadowed ones included), only among ``among`` if
    given (ids, or a query as for ``comments_for_staff``). One query."""
    comments = Comment.objects.filter(status=status)
    if among is not None:
        comments = comments.filter(pk__in=among)
    return comments.count()


def comment_articles_list(*, status: str) -> list[tuple[int, str]]:
    """``(article id, title)`` of the articles with comments of ``status``, by title (the
    moderators' queue's filter). One query."""
    rows = (
        Comment.objects.filter(status=status, thread__article__isnull=False)
        .values_list("thread__article_id", "thread__article__title")
        .distinct()
        .order_by("thread__article__title")
    )
    return list(rows)


def comment_ids_published_by(
    *,
    excluding_id: int,
    user_id: int | None = None,
    guest_email: str = "",
    ip_address: str = "",
    guest_key_hash: str = "",
) -> list[int]:
    """The ids of the published, not shadowed comments (but ``excluding_id``) of one author,
    named by exactly one of: ``user_id``; ``guest_email`` (a guest's, any case); the exact
    ``ip_address`` stored with them; a guest's ``guest_key_hash``. For a shadow ban's other
    comments. One query."""
    named = [user_id is not None, bool(guest_email), bool(ip_address), bool(guest_key_hash)]
    if sum(named) != 1:
        raise ValueError(
            "Name the author by exactly one of user_id, guest_email, ip_address, guest_key_hash."
        )
    comments = Comment.objects.filter(PUBLIC).exclude(pk=excluding_id)
    if user_id is not None:
        comments = comments.filter(user_id=user_id)
    elif guest_email:
        comments = comments.filter(guest_email__iexact=guest_email, user__isnull=True)
    elif guest_key_hash:
        comments = comments.filter(guest_key_hash=guest_key_hash, user__isnull=True)
    else:
        comments = comments.filter(ip_address=ip_address)
    return list(comments.values_list("pk", flat=True))
