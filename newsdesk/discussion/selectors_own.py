"""Reads of one account's own comments, whatever their state (for its "Your comments" page,
which the accounts app draws)."""

from django.db.models import QuerySet

from newsdesk.discussion.models import Comment, CommentStatus


def comments_written_by(*, user_id: int) -> "QuerySet[Comment]":
    """The account's comments but the ones it deleted, newest first, each with its thread
    and article (one query per page of them). Published, held, rejected and spam alike: the
    author sees what became of each; nobody else is given this list."""
    return (
        Comment.objects.filter(user_id=user_id)
        .exclude(status=CommentStatus.DELETED)
        .select_related("thread", "thread__article")
        .order_by("-created_at", "-pk")
    )
