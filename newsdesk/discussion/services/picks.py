"""Editors' picks: editors and moderators feature a published comment (or stop featuring it).

A pick records who picked the comment and when; the thread shows picks first in its default
order and in a tab of their own, and ``/discussion/picks/`` lists the site's recent picks
(``selectors_picks``). A comment is shown as a pick only while it is public: one removed,
deleted or edited back into moderation stops being shown as one without being unpicked, so
a moderator's decision never has to remember the pick (and publishing it again restores it).

Each pick and unpick is told to the ``COMMENT_STAFF_ACTED`` listeners inside its transaction
(moderation writes it to its audit log), and announced as a change of the article's
discussion that listing pages show too (the page of picks is one: ``views_picks``).
"""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.errors import InvalidComment, NotAllowed, NotFound
from newsdesk.discussion.models import ID_MAX, Comment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Either makes an account "staff" for picks and answers: moderation's queue permission (the
# moderators) or discussion's own change permission (editors who pin, close and lock).
STAFF_PERMISSIONS = ("moderation.moderate_comment", "discussion.change_comment")

PICKED = "picked"
UNPICKED = "unpicked"


def is_discussion_staff(user: "User | AnonymousUser | None") -> bool:
    """Whether ``user`` is an active account with the moderators' or editors' permission:
    who may pick comments and answer questions."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return any(user.has_perm(permission) for permission in STAFF_PERMISSIONS)


def staff_acted_notify(*, comment: Comment, actor: "User", action: str, note: str) -> None:
    """Tell every ``COMMENT_STAFF_ACTED`` listener (moderation's audit log) what ``actor``
    did to ``comment``; call it inside the transaction of the change."""
    for listener in hooks.get_hooks(newsdesk_hooks.COMMENT_STAFF_ACTED):
        listener(comment=comment, actor=actor, action=action, note=note)


def comment_lock_for_staff(comment_id: object) -> Comment:
    try:
        pk = int(comment_id)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        raise NotFound(_("No such comment.")) from None
    if not 0 < pk <= ID_MAX:
        raise NotFound(_("No such comment."))
    comment = Comment.objects.select_for_update().select_related("thread").filter(pk=pk).first()
    if comment is None:
        raise NotFound(_("No such comment."))
    return comment


def comment_pick_set(
    *, comment_id: object, actor: "User | AnonymousUser | None", picked: bool = True
) -> Comment:
    """Feature the comment ``comment_id`` names as an editors' pick (``picked``), or stop
    featuring it, as ``actor``; return the comment.

    Refused (``NotAllowed``, nothing written) unless ``actor`` is discussion staff
    (``is_discussion_staff``); ``NotFound`` for an id naming no comment; ``InvalidComment``
    for picking a comment that is not public (held, removed, deleted, shadowed) or one of a
    thread without an article. Picking a pick again, or unpicking what is not one, changes
    nothing and logs nothing.
    """
    if not is_discussion_staff(actor):
        raise NotAllowed(_("Only editors and moderators may pick comments."))
    assert actor is not None and actor.is_authenticated  # is_discussion_staff said so
    with transaction.atomic():
        comment = comment_lock_for_staff(comment_id)
        if comment.thread.article_id is None:
            raise InvalidComment(_("Only a comment under an article can be an editors' pick."))
        if picked and not comment.is_public:
            raise InvalidComment(_("Only a published comment can be an editors' pick."))
        if picked == (comment.picked_at is not None):
            return comment
        comment.picked_at = timezone.now() if picked else None
        comment.picked_by = actor if picked else None
        comment.save(update_fields=["picked_at", "picked_by"])
        staff_acted_notify(
            comment=comment,
            actor=actor,
            action=PICKED if picked else UNPICKED,
            note=f"{'Picked' if picked else 'Unpicked'} by {actor.get_username()}",
        )
        article_discussion_changed(article_ids=[comment.thread.article_id], listings=True)
    return comment
