"""Readers' own controls (issue 22, item 4): ignore a commenter, how often discussion e-mails
come (immediately, hourly or daily as a digest), follow a thread.

Signed-in readers only: a guest keeps per-comment immediate reply e-mails and thread
subscriptions by confirmed address, as before. Every refusal is a ``DiscussionError`` raised
before anything is written. Following a thread is a thread ``Subscription`` under the
account's address, so it gets the same one-click unsubscribe link and the same double
opt-in (an account's verified address needs no confirmation) as a guest's subscription.
"""

from typing import TYPE_CHECKING

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsdesk.discussion.commenters import user_is_staff
from newsdesk.discussion.errors import InvalidComment, NotAllowed, NotFound
from newsdesk.discussion.models import (
    Comment,
    IgnoredCommenter,
    NotificationFrequency,
    ReaderSettings,
    Subscription,
)
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.services.comments import subscription_cancel, thread_get_or_create

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from newsdesk.articles.models import ArticlePage

# The digest's "stop all these e-mails" link (List-Unsubscribe): its own salt, so no other
# signed token of the site opens it.
ALL_UNSUBSCRIBE_SALT = "newsdesk.discussion.unsubscribe.all"
SIGN_IN_FIRST = gettext_lazy("Sign in to change your discussion settings.")


def _signed_in(reader: Reader) -> "User":
    if reader.user is None:
        raise NotAllowed(SIGN_IN_FIRST)
    return reader.user


def commenter_can_be_ignored(*, user: "User") -> bool:
    """Staff and moderators cannot be ignored (Coral's rule): readers must see them."""
    return not (user_is_staff(user) or user.has_perm("discussion.change_comment"))


# --- ignoring -------------------------------------------------------------------------------
def commenter_ignore(*, reader: Reader, comment_id: int) -> IgnoredCommenter:
    """Ignore the author of comment ``comment_id`` (one the reader may see); idempotent.

    Refuses (``NotAllowed``/``NotFound``/``InvalidComment``, nothing written): a guest reader,
    a comment the reader cannot see, a guest's comment (guests cannot be ignored), the
    reader's own comment, and a staff member's or moderator's.
    """
    from newsdesk.discussion import selectors  # selectors import the services

    user = _signed_in(reader)
    comment = selectors.comment_for_reader(comment_id=comment_id, reader=reader)
    if comment is None or comment.status == "deleted":
        raise NotFound(_("No such comment."))
    author = comment.user
    if author is None:
        raise InvalidComment(_("Only commenters with an account can be ignored."))
    if author.pk == user.pk:
        raise InvalidComment(_("You cannot ignore yourself."))
    if not commenter_can_be_ignored(user=author):
        raise NotAllowed(_("Staff and moderators cannot be ignored."))
    name = comment.author_name[:150]
    try:
        with transaction.atomic():
            ignored, _created = IgnoredCommenter.objects.get_or_create(
                reader=user, ignored_user=author, defaults={"name": name}
            )
    except IntegrityError:  # the same click twice at once
        ignored = IgnoredCommenter.objects.get(reader=user, ignored_user=author)
    return ignored


def commenter_unignore(*, reader: Reader, ignored_id: int) -> None:
    """Stop ignoring: the reader's own ``IgnoredCommenter`` row ``ignored_id`` is deleted.
    Someone else's row, or none, is ``NotFound`` (nothing changed)."""
    user = _signed_in(reader)
    deleted, _by_model = IgnoredCommenter.objects.filter(pk=ignored_id, reader=user).delete()
    if not deleted:
        raise NotFound(_("You are not ignoring that commenter."))


# --- e-mail frequency -----------------------------------------------------------------------
def notification_frequency_set(*, reader: Reader, frequency: str) -> str:
    """Set how often the reader's reply and followed-thread e-mails come: ``immediate``,
    ``hourly`` or ``daily`` (a digest). Anything else is ``InvalidComment`` on ``frequency``.
    Notifications already waiting go out at the new period's end (immediately: within a
    minute)."""
    user = _signed_in(reader)
    if frequency not in NotificationFrequency.values:
        raise InvalidComment(
            _("Choose immediately, hourly or daily."),
            field="frequency",
        )
    ReaderSettings.objects.update_or_create(user=user, defaults={"frequency": frequency})
    return frequency


# --- following ------------------------------------------------------------------------------
def thread_follow(*, reader: Reader, article: "ArticlePage") -> Subscription:
    """Follow ``article``'s discussion: new published comments in it are e-mailed to the
    account's address at the reader's frequency. Idempotent. Refused without an address."""
    user = _signed_in(reader)
    email = (user.email or "").strip()
    if not email:
        raise InvalidComment(_("Add an e-mail address to your account to follow a discussion."))
    thread = thread_get_or_create(article=article)
    try:
        with transaction.atomic():
            subscription, _created = Subscription.objects.get_or_create(
                thread=thread, email=email, defaults={"user": user}
            )
    except IntegrityError:
        subscription = Subscription.objects.get(thread=thread, email=email)
    if subscription.user_id is None:
        # The same address subscribed as a guest before: it is this account's now.
        Subscription.objects.filter(pk=subscription.pk).update(user=user)
    return subscription


def thread_unfollow(*, reader: Reader, thread_id: int) -> int:
    """Stop following thread ``thread_id`` (the account's subscriptions and its address's);
    return how many subscriptions ended (0 when it was not followed)."""
    user = _signed_in(reader)
    from django.db.models import Q

    found = Subscription.objects.filter(thread_id=thread_id).filter(
        Q(user=user) | Q(email__iexact=user.email or "-")
    )
    # One by one: each delete tells the posting path's thread copies (a signal per row).
    count = 0
    for subscription in found:
        subscription.delete()
        count += 1
    return count


# --- the digest's one-click "stop all" link --------------------------------------------------
def all_unsubscribe_token(*, user_id: int) -> str:
    """The signed token of a digest's List-Unsubscribe link: stops every discussion e-mail
    of the account (followed threads and replies)."""
    return signing.dumps({"all": user_id}, salt=ALL_UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_any(*, token: str) -> str:
    """What an unsubscribe link (``discussion:unsubscribe``) does; return what was stopped.

    A digest's token stops all of the account's discussion e-mails (its followed threads are
    unfollowed and its comments no longer ask for replies); any other token is the existing
    subscription or reply link (``subscription_cancel``)."""
    try:
        payload = signing.loads(token, salt=ALL_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return subscription_cancel(token=token)
    if not isinstance(payload, dict) or not isinstance(payload.get("all"), int):
        raise NotFound(_("This unsubscribe link is not valid."))
    user_id = payload["all"]
    with transaction.atomic():
        for subscription in Subscription.objects.filter(user_id=user_id):
            subscription.delete()
        Comment.objects.filter(user_id=user_id, notify_replies=True).update(notify_replies=False)
    return _("You will no longer get e-mails about discussions: no followed threads, no replies.")
