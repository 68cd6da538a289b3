"""Staff writes: what moderators and editors do to comments and threads.

The moderation app calls these (it owns reports, bans and the audit log); the admin actions
call them too. ``actor`` is the staff user acting (None for the system itself, such as the
worker or an import); a user without the permission is refused.
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.core.taskqueue import task_enqueue_with_commit
from newsdesk.discussion import conf
from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.errors import InvalidComment, NotAllowed
from newsdesk.discussion.models import Comment, CommentStatus, Thread
from newsdesk.discussion.selectors_posting import threads_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _require(actor: "User | None", permission: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise NotAllowed(_("You do not have permission to do that."))


def comment_status_set(
    *,
    comment: Comment,
    status: str,
    actor: "User | None" = None,
    reason: str = "",
    shadowed: bool | None = None,
) -> Comment:
    """Publish, hold, reject, mark as spam or delete a comment, recording who and why.

    A comment published for the first time queues its reply and subscriber e-mails.
    """
    _require(actor, "discussion.change_comment")
    if status not in CommentStatus.values:
        raise InvalidComment(_("Unknown status %(status)s.") % {"status": repr(status)})
    now = timezone.now()
    was_public = comment.is_public
    comment.status = status
    comment.status_reason = reason[:300]
    comment.status_changed_at = now
    comment.status_changed_by = actor
    if shadowed is not None:
        comment.is_shadowed = shadowed
    notify = comment.is_public and comment.notified_at is None
    if notify:
        comment.notified_at = now
    with transaction.atomic():
        comment.save(
            update_fields=[
                "status",
                "status_reason",
                "status_changed_at",
                "status_changed_by",
                "is_shadowed",
                "notified_at",
            ]
        )
        if was_public or comment.is_public:
            article_discussion_changed(article_ids=[comment.thread.article_id])
        if notify:
            from newsdesk.discussion.tasks import comment_notifications_send

            task_enqueue_with_commit(comment_notifications_send, comment_id=comment.pk)
    return comment


def comment_pin(*, comment: Comment, pinned: bool = True, actor: "User | None" = None) -> Comment:
    """Pin a published top-level comment above the others (or unpin it)."""
    _require(actor, "discussion.change_comment")
    if pinned and (comment.parent_id is not None or not comment.is_public):
        raise InvalidComment(_("Only a published top-level comment can be pinned."))
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(pinned=pinned)
        article_discussion_changed(article_ids=[comment.thread.article_id])
    comment.pinned = pinned
    return comment


def comments_shadow(*, comment_ids: list[int], reason: str) -> int:
    """Shadow the published comments ``comment_ids`` (a shadow ban's other comments: their
    author alone still sees them), recording ``reason``; return how many changed.

    The caller checks the actor's permission and logs the decisions (moderation's bans).
    """
    comments = Comment.objects.filter(pk__in=comment_ids)
    with transaction.atomic():
        article_ids = set(comments.values_list("thread__article_id", flat=True))
        count = comments.update(
            is_shadowed=True, status_reason=reason[:300], status_changed_at=timezone.now()
        )
        article_discussion_changed(article_ids=article_ids)
    return count


def thread_close(*, thread: Thread, closed: bool = True, actor: "User | None" = None) -> Thread:
    """Close a thread to new comments (its comments stay visible), or reopen it."""
    _require(actor, "discussion.change_thread")
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(is_closed=closed)
        threads_changed()  # update() sends no signal: posting's copies
        article_discussion_changed(article_ids=[thread.article_id])
    thread.is_closed = closed
    return thread


def thread_lock(*, thread: Thread, locked: bool = True, actor: "User | None" = None) -> Thread:
    """Freeze a thread: no comments, edits, deletions by readers or votes (or unfreeze it)."""
    _require(actor, "discussion.change_thread")
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(is_locked=locked)
        threads_changed()  # update() sends no signal: posting's copies
        article_discussion_changed(article_ids=[thread.article_id])
    thread.is_locked = locked
    return thread


def threads_auto_close() -> int:
    """Mark closed the threads whose article is older than the auto-close age; return how many.

    Threads already behave as closed at that age (``thread_is_open``); this records it, so
    the admin's lists and filters show it.
    """
    days = conf.DISCUSSION_AUTO_CLOSE_DAYS
    if not days:
        return 0
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        count = Thread.objects.filter(
            is_closed=False, article__first_published_at__lt=cutoff
        ).update(is_closed=True)
        if count:
            threads_changed()  # update() sends no signal: posting's copies
        return count


# --- locks for moderation's actions (moderation changes comments only through this module) ---
def comment_lock(*, comment_id: int) -> Comment | None:
    """The comment ``comment_id`` names with its row locked (``select_for_update``) until the
    caller's transaction ends, or None if there is none. Call inside ``transaction.atomic``:
    a moderator's decision, a ban or a report reads the status, then sets it with
    ``comment_status_set``, and no concurrent action may slip in between. One query."""
    return Comment.objects.select_for_update().filter(pk=comment_id).first()


def comments_lock(*, comment_ids: list[int]) -> list[Comment]:
    """The comments ``comment_ids`` names (those that exist), locked as ``comment_lock``
    locks one: for a decision on many comments at once. One query."""
    return list(Comment.objects.select_for_update().filter(pk__in=comment_ids))
