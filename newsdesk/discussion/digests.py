"""Digest e-mails: a reader who chose hourly or daily e-mails (``ReaderSettings``) gets their
reply and followed-thread notifications gathered into one e-mail per period.

1. **Held back.** ``notifications.comment_notifications_deliver`` asks ``recipients_routed``
   which of a comment's account recipients wait for a digest (or ignore its author), and
   stores a ``DigestItem`` for each waiting one (``digest_items_store``; unique per reader
   and comment, so a notification task run twice stores it once).
2. **Gathered.** Every minute the worker (``WORKER_PERIODIC``) runs ``digests_gather``: for
   each reader whose waiting items began before the end of their last whole period (the top
   of the hour, or local midnight), one ``Digest`` is made and the items are tied to it in
   one transaction, with the task that sends it (``core/taskqueue.py``). An item is tied
   once, so it is in exactly one digest, whatever runs twice or dies.
3. **Sent.** ``digest_deliver`` sends a digest's one e-mail and only then marks it sent: a
   task re-run after a worker died mid-send sends the same digest (the same items); a run
   after a finished one sends nothing. Digests left unsent (a lost task) are queued again by
   the gathering after ``RESEND_AFTER``.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsdesk.core.siteurl import absolute_url, site_name
from newsdesk.core.taskqueue import task_enqueue_with_commit
from newsdesk.discussion.models import (
    Comment,
    Digest,
    DigestItem,
    IgnoredCommenter,
    NotificationFrequency,
    NotificationKind,
    ReaderSettings,
    Subscription,
)
from newsdesk.discussion.services.comments import reply_unsubscribe_token
from newsdesk.discussion.services.email_confirmations import emails_confirmed

logger = logging.getLogger(__name__)

DIGEST = "digest"
IGNORED = "ignored"
# A digest still unsent this long after it was made lost its task: it is queued again.
RESEND_AFTER = timedelta(minutes=10)
DIGEST_FREQUENCIES = (NotificationFrequency.HOURLY, NotificationFrequency.DAILY)


# --- 1. held back ---------------------------------------------------------------------------
def recipients_routed(*, comment: Comment, user_ids: set[int]) -> dict[int, str]:
    """Of the accounts ``user_ids`` a comment's e-mails would go to, those that get none now:
    ``"digest"`` (hourly or daily readers) or ``"ignored"`` (they ignore its author). Two
    queries at most; none for a comment with no account recipient."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    routed = {
        user_id: DIGEST
        for user_id in ReaderSettings.objects.filter(
            user_id__in=ids, frequency__in=DIGEST_FREQUENCIES
        ).values_list("user_id", flat=True)
    }
    if comment.user_id is not None:
        for user_id in IgnoredCommenter.objects.filter(
            reader_id__in=ids, ignored_user_id=comment.user_id
        ).values_list("reader_id", flat=True):
            routed[user_id] = IGNORED
    return routed


def digest_items_store(*, comment: Comment, items: list[tuple[int, str]]) -> int:
    """Keep ``(user_id, kind)`` notifications of ``comment`` for their readers' digests;
    one per reader and comment, however often this runs. Returns how many were asked for."""
    now = timezone.now()
    DigestItem.objects.bulk_create(
        [
            DigestItem(user_id=user_id, comment=comment, kind=kind, created_at=now)
            for user_id, kind in items
        ],
        ignore_conflicts=True,
    )
    return len(items)


# --- 2. gathered ----------------------------------------------------------------------------
def period_end(*, frequency: str, now: datetime) -> datetime:
    """The end of the reader's last whole period at ``now``: the top of the hour (hourly),
    local midnight (daily); ``now`` itself for a reader back on immediate e-mails."""
    local = timezone.localtime(now)
    if frequency == NotificationFrequency.HOURLY:
        return local.replace(minute=0, second=0, microsecond=0)
    if frequency == NotificationFrequency.DAILY:
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    return now


def digests_gather(*, now: datetime | None = None) -> int:
    """Make the digests that are due and queue their sending; return how many were made.

    Also queues again the digests whose task was lost (unsent after ``RESEND_AFTER``)."""
    from newsdesk.discussion.tasks import digest_send

    now = now or timezone.now()
    waiting = dict(
        DigestItem.objects.filter(digest__isnull=True)
        .values("user_id")
        .annotate(first=Min("created_at"))
        .values_list("user_id", "first")
    )
    frequencies = dict(
        ReaderSettings.objects.filter(user_id__in=list(waiting)).values_list("user_id", "frequency")
    )
    made = 0
    for user_id, first in waiting.items():
        frequency = frequencies.get(user_id, NotificationFrequency.IMMEDIATE)
        end = period_end(frequency=frequency, now=now)
        if first >= end:
            continue
        with transaction.atomic():
            digest, created = Digest.objects.get_or_create(
                user_id=user_id, period_end=end, defaults={"frequency": frequency}
            )
            pending = DigestItem.objects.filter(
                user_id=user_id, digest__isnull=True, created_at__lt=end
            )
            if not created:
                # Late for this period's digest, made already (and maybe being sent, its
                # items read): a digest's items never change once made, so the next one.
                pending.update(created_at=end)
                continue
            pending.update(digest=digest)
            made += 1
            task_enqueue_with_commit(digest_send, digest_id=digest.pk)
    for digest_id in Digest.objects.filter(
        sent_at__isnull=True, created_at__lt=now - RESEND_AFTER
    ).values_list("pk", flat=True):
        digest_send.enqueue(digest_id=digest_id)
    return made


# --- 3. sent --------------------------------------------------------------------------------
def _absolute(path: str) -> str:
    return absolute_url(path=path)


def _digest_message(digest: Digest, items: list[DigestItem]) -> EmailMessage:
    from newsdesk.discussion.services.reader_controls import all_unsubscribe_token

    user = digest.user
    followed = {
        s.thread_id: s.token
        for s in Subscription.objects.filter(
            user_id=user.pk, thread_id__in={i.comment.thread_id for i in items}
        )
    }
    entries = []
    for item in items:
        comment = item.comment
        if item.kind == NotificationKind.REPLY and comment.parent is not None:
            stop = reverse(
                "discussion:unsubscribe", args=[reply_unsubscribe_token(comment=comment.parent)]
            )
            stop_label = _("Stop e-mails about replies to your comment")
        elif comment.thread_id in followed:
            stop = reverse("discussion:unsubscribe", args=[followed[comment.thread_id]])
            stop_label = _("Unfollow this discussion")
        else:
            stop, stop_label = "", ""
        entries.append(
            {
                "kind": item.kind,
                "comment": comment,
                "author_name": comment.author_name,
                "title": str(comment.thread),
                "permalink": _absolute(reverse("discussion:permalink", args=[comment.pk])),
                "stop_url": _absolute(stop) if stop else "",
                "stop_label": stop_label,
            }
        )
    unsubscribe_url = _absolute(
        reverse("discussion:unsubscribe", args=[all_unsubscribe_token(user_id=user.pk)])
    )
    period = "hour" if digest.frequency == NotificationFrequency.HOURLY else "day"
    count = len(entries)
    context = {
        "entries": entries,
        "count": count,
        "period": period,
        "hourly": period == "hour",
        "site_name": site_name(),
        "settings_url": _absolute("/accounts/discussion/"),
        "unsubscribe_url": unsubscribe_url,
    }
    subject = ngettext(
        "%(count)s new comment in discussions you follow (%(site)s)",
        "%(count)s new comments in discussions you follow (%(site)s)",
        count,
    ) % {"count": count, "site": site_name()}
    return EmailMessage(
        subject=subject,
        body=render_to_string("discussion/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def digest_deliver(*, digest_id: int) -> int:
    """Send digest ``digest_id``'s one e-mail (unless sent already); return 1 if sent.

    Items whose comment is no longer public (removed since) are left out; a digest left
    with none, or whose reader's address is no longer verified or confirmed, is marked
    sent without an e-mail."""
    digest = (
        Digest.objects.select_related("user").filter(pk=digest_id, sent_at__isnull=True).first()
    )
    if digest is None:
        return 0
    items = [
        item
        for item in DigestItem.objects.filter(digest=digest)
        .select_related("comment__thread__article", "comment__user", "comment__parent")
        .order_by("created_at", "pk")
        if item.comment.is_public
    ]
    email = digest.user.email
    sent = 0
    if items and email and emails_confirmed(recipients=[(email, digest.user.pk)]):
        message = _digest_message(digest, items)
        with get_connection() as connection:
            connection.send_messages([message])
        sent = 1
    # Marked only once sent: a worker killed while sending leaves it unsent, and the task run
    # again (or queued again by the gathering) sends it, with the same items.
    Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent
