"""E-mails about new comments: to the author of the comment replied to (if they asked) and to
the thread's subscribers. Each carries a one-click unsubscribe link (and the List-Unsubscribe
headers mail programs show as a button). Sent by the worker (``tasks``), never in a request.

Only to confirmed addresses (double opt-in, ``services.email_confirmations``): an address
typed into the form gets nothing until its owner followed the confirmation link, or is a
verified address of the reader's account. A comment's e-mails are marked sent
(``Comment.notifications_sent_at``) once handed to the mail server, so a task that runs again
after a finished run sends nothing, and one whose worker died while sending sends them all.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.core.siteurl import absolute_url, site_name
from newsdesk.discussion.digests import DIGEST, digest_items_store, recipients_routed
from newsdesk.discussion.models import Comment, CommentStatus, NotificationKind, Subscription
from newsdesk.discussion.services.comments import reply_unsubscribe_token
from newsdesk.discussion.services.email_confirmations import address_normalise, emails_confirmed


def _absolute(path: str) -> str:
    # Sent by the worker, outside any request: the site's address (core/siteurl.py).
    return absolute_url(path=path)


def _same_author(a: Comment, b: Comment) -> bool:
    if a.user_id or b.user_id:
        return a.user_id == b.user_id
    return bool(a.guest_key_hash) and a.guest_key_hash == b.guest_key_hash


def _message(*, to: str, subject: str, template: str, context: dict, unsubscribe_url: str):
    body = render_to_string(template, {**context, "unsubscribe_url": unsubscribe_url})
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def comment_notifications_deliver(*, comment_id: int) -> int:
    """Send the e-mails a newly published comment calls for; return how many were sent."""
    comment = (
        Comment.objects.select_related("thread", "thread__article", "user", "parent__user")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or not comment.is_public:
        return 0
    # Marked sent only once sent: a worker killed while sending leaves no mark, so the task
    # re-queued after it sends the e-mails (never lost); a run after a finished one finds the
    # mark and sends nothing. Only two runs at the very same time could both send.
    if comment.notifications_sent_at is not None:
        return 0
    sent = _deliver(comment)
    Comment.objects.filter(pk=comment.pk, notifications_sent_at__isnull=True).update(
        notifications_sent_at=timezone.now()
    )
    return sent


def _deliver(comment: Comment) -> int:
    title = str(comment.thread)
    context = {
        "comment": comment,
        "title": title,
        "author_name": comment.author_name,
        "permalink": _absolute(reverse("discussion:permalink", args=[comment.pk])),
        "site_name": site_name(),
    }
    author_email = address_normalise(comment.notification_email)
    messages, told = [], {author_email} if author_email else set()
    parent = comment.parent
    asked = parent is not None and parent.notify_replies
    parent_email = parent.notification_email if asked else ""
    subscriptions = list(Subscription.objects.filter(thread=comment.thread).order_by("pk"))
    recipients = [(s.email, s.user_id) for s in subscriptions]
    if parent_email:
        recipients.append((parent_email, parent.user_id))
    # Whether each address is confirmed: two queries for them all.
    confirmed = emails_confirmed(recipients=recipients)
    # Accounts that chose digests get theirs later; those who ignore the author get none.
    routed = recipients_routed(
        comment=comment, user_ids={uid for _address, uid in recipients if uid}
    )
    digest_items: list[tuple[int, str]] = []
    parent_address = address_normalise(parent_email)
    if (
        parent_address
        and parent.status == CommentStatus.PUBLISHED
        and not _same_author(parent, comment)
        and parent_address in confirmed
        and parent_address not in told
    ):
        told.add(parent_address)
        route = routed.get(parent.user_id) if parent.user_id else None
        if route == DIGEST:
            digest_items.append((parent.user_id, NotificationKind.REPLY))
        elif route is None:
            token = reply_unsubscribe_token(comment=parent)
            messages.append(
                _message(
                    to=parent_email,
                    subject=_("%(name)s replied to your comment on “%(title)s”")
                    % {"name": comment.author_name, "title": title},
                    template="discussion/email/reply.txt",
                    context={**context, "parent": parent},
                    unsubscribe_url=_absolute(reverse("discussion:unsubscribe", args=[token])),
                )
            )
    for subscription in subscriptions:
        address = address_normalise(subscription.email)
        if address in told or address not in confirmed:
            continue
        told.add(address)
        if subscription.user_id in routed:
            if routed[subscription.user_id] == DIGEST:
                digest_items.append((subscription.user_id, NotificationKind.THREAD))
            continue
        messages.append(
            _message(
                to=subscription.email,
                subject=_("New comment on “%(title)s”") % {"title": title},
                template="discussion/email/new_comment.txt",
                context=context,
                unsubscribe_url=_absolute(
                    reverse("discussion:unsubscribe", args=[subscription.token])
                ),
            )
        )
    if digest_items:
        digest_items_store(comment=comment, items=digest_items)
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)
