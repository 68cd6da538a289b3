"""Writes of the discussion app: every one a keyword-only function in one transaction.

Readers' writes are in ``comments`` (posting), ``edits`` and ``votes``; staff actions that
moderation and the admin call are in ``staff``; imports in ``imports``.
"""

from newsdesk.discussion.services.comments import (
    STATUS_MESSAGES,
    CommentDraft,
    comment_create,
    subscription_cancel,
    thread_get_or_create,
    thread_is_open,
)
from newsdesk.discussion.services.edits import comment_delete, comment_edit
from newsdesk.discussion.services.staff import (
    comment_pin,
    comment_status_set,
    thread_close,
    thread_lock,
    threads_auto_close,
)
from newsdesk.discussion.services.votes import comment_vote

__all__ = [
    "STATUS_MESSAGES",
    "CommentDraft",
    "comment_create",
    "comment_delete",
    "comment_edit",
    "comment_pin",
    "comment_status_set",
    "comment_vote",
    "subscription_cancel",
    "thread_close",
    "thread_get_or_create",
    "thread_is_open",
    "thread_lock",
    "threads_auto_close",
]
