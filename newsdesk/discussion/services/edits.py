"""Readers' changes to a comment they posted: edit it within the edit window, or delete it
(a moderator may delete any). The comment is named by id, so it is loaded by the one
visibility rule (``selectors.comment_for_reader``): a comment hidden from the reader is not
found, whatever the reason. An edited text passes ``pipeline.comment_assess`` as a new one
does (``comments``).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.discussion import conf
from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.errors import (
    AlreadyDone,
    DiscussionError,
    InvalidComment,
    NotAllowed,
    NotFound,
)
from newsdesk.discussion.models import (
    ID_MAX,
    STATUS_REASON_MAX,
    Comment,
    CommentStatus,
    body_digest,
)
from newsdesk.discussion.pipeline import CommentCandidate, comment_assess, comment_assessed_notify
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.rendering import markdown_to_html
from newsdesk.discussion.services.comments import (
    STATUS_OF_VERDICT,
    _body_clean,
    _notifications_enqueue,
)


def comment_for_change(comment_id: int, *, reader: Reader) -> Comment:
    """The comment a reader's edit, deletion or vote names, if the one visibility rule
    (``selectors.comment_visible_to``) lets them see it; NotFound otherwise, whatever the
    reason, so the answer tells nothing of a comment hidden from them."""
    from newsdesk.discussion import selectors  # selectors import this module

    comment = selectors.comment_for_reader(comment_id=comment_id, reader=reader)
    if comment is None:
        raise NotFound(_("That comment does not exist."))
    return comment


def comment_editable_until(comment: Comment) -> datetime:
    return comment.created_at + timedelta(minutes=conf.DISCUSSION_EDIT_WINDOW_MINUTES)


def comment_edit_refusal(*, comment: Comment, reader: Reader) -> DiscussionError | None:
    """Why ``reader`` may not edit ``comment`` now, or None when they may."""
    if not reader.wrote(comment):
        return NotAllowed(_("You can only edit your own comments."))
    if comment.status == CommentStatus.DELETED:
        return InvalidComment(_("A deleted comment cannot be edited."))
    if comment.status not in (CommentStatus.PUBLISHED, CommentStatus.HELD):
        # The new text would be assessed afresh: a moderator's rejection must not be
        # undone by an edit.
        return NotAllowed(_("A comment that was not published cannot be edited."))
    if comment.thread.is_locked:
        return NotAllowed(_("This discussion is locked."))
    if timezone.now() > comment_editable_until(comment):
        return NotAllowed(
            _("Comments can be edited for %(minutes)s minutes after posting; that time has passed.")
            % {"minutes": conf.DISCUSSION_EDIT_WINDOW_MINUTES}
        )
    return None


def comment_edit(*, comment_id: int, reader: Reader, body: str) -> Comment:
    """Replace the text of the reader's own comment, within the edit window.

    The new text is assessed like a new comment: an edit can send a comment back to
    moderation, but a held comment stays held until a moderator decides.
    """
    comment = comment_for_change(comment_id, reader=reader)
    refusal = comment_edit_refusal(comment=comment, reader=reader)
    if refusal is not None:
        raise refusal
    body = _body_clean(body)
    assessment = comment_assess(
        candidate=CommentCandidate(
            body=body,
            thread_key=str(comment.thread.article_id or comment.thread_id),
            author_name=comment.author_name,
            author_email=comment.notification_email,
            author_user_id=comment.user_id,
            ip_address=reader.ip_address,
            user_agent=reader.user_agent,
            parent_body=comment.parent.body_source if comment.parent else "",
            is_edit=True,
            comment_id=comment.pk,
            created_at=comment.created_at,
            has_image=bool(comment.image),
            author_guest_key_hash=comment.guest_key_hash,
        )
    )
    now = timezone.now()
    comment.body_source = body
    comment.body_digest = body_digest(body)
    comment.body_html = markdown_to_html(body)
    comment.edited_at = now
    # An edit can send a comment back to moderation, never out of it: a held comment waits
    # for a moderator whatever its author writes (else an edit undoes readers' reports, and
    # the filter can be probed one spelling at a time).
    verdict_status = STATUS_OF_VERDICT[assessment.verdict]
    if comment.status == CommentStatus.HELD and verdict_status == CommentStatus.PUBLISHED:
        verdict_status = CommentStatus.HELD  # and the reason it was held for stands
    else:
        # The reason the commenter and the moderators read is the edited text's.
        comment.status_reason = "; ".join(assessment.reasons)[:STATUS_REASON_MAX]
    comment.status = verdict_status
    comment.is_shadowed = comment.is_shadowed or assessment.shadow
    notify = comment.is_public and comment.notified_at is None
    if notify:
        comment.notified_at = now
    with transaction.atomic():
        comment.save(
            update_fields=[
                "body_source",
                "body_digest",
                "body_html",
                "edited_at",
                "status",
                "status_reason",
                "is_shadowed",
                "notified_at",
            ]
        )
        if notify:
            _notifications_enqueue(comment)
        comment_assessed_notify(comment=comment, assessment=assessment)
    return comment


def comment_delete_check(*, comment_id: int, reader: Reader) -> Comment:
    """The comment ``reader`` may delete now, or the refusal ``comment_delete`` would give
    (NotFound, NotAllowed, AlreadyDone): the no-script confirmation page asks only then."""
    try:
        comment = comment_for_change(comment_id, reader=reader)
    except NotFound:
        if _own_deleted_exists(comment_id=comment_id, reader=reader):
            raise AlreadyDone(_("That comment is already deleted.")) from None
        raise
    is_moderator = reader.can_moderate
    if not (reader.wrote(comment) or is_moderator):
        raise NotAllowed(_("You can only delete your own comments."))
    if comment.status == CommentStatus.DELETED:
        raise AlreadyDone(_("That comment is already deleted."))
    if comment.thread.is_locked and not is_moderator:
        raise NotAllowed(_("This discussion is locked."))
    return comment


def comment_delete(*, comment_id: int, reader: Reader) -> Comment:
    """Delete a comment (its author, or a moderator). Its replies stay, under "deleted".

    A comment the reader may not see is not found; their own deleted one is already done.
    """
    comment = comment_delete_check(comment_id=comment_id, reader=reader)
    is_moderator, is_author = reader.can_moderate, reader.wrote(comment)
    changed = ["status", "status_changed_at", "status_changed_by", "pinned"]
    with transaction.atomic():
        comment.status = CommentStatus.DELETED
        comment.status_changed_at = timezone.now()
        comment.status_changed_by = reader.user if is_moderator else None
        comment.pinned = False
        if is_author:
            # A guest's address was kept for reply e-mails (none now: nobody can reply to a
            # deleted comment) and e-mail bans; a reader who withdraws their words takes it.
            # A moderator's removal keeps it, for the ban that may follow.
            comment.guest_email = ""
            comment.notify_replies = False
            changed += ["guest_email", "notify_replies"]
        comment.save(update_fields=changed)
        article_discussion_changed(article_ids=[comment.thread.article_id])
    return comment


def _own_deleted_exists(*, comment_id: int, reader: Reader) -> bool:
    """Whether ``comment_id`` is the reader's own deleted comment (they know of it)."""
    try:
        pk = int(comment_id)
    except (TypeError, ValueError):
        return False
    if not (0 < pk <= ID_MAX and reader.voter_key):
        return False
    mine = Comment.objects.filter(pk=pk, status=CommentStatus.DELETED)
    if reader.user is not None:
        return mine.filter(user=reader.user).exists()
    return mine.filter(user__isnull=True, guest_key_hash=reader.guest_hash).exists()
