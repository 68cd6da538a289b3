"""Sending an issue: schedule, start, send in batches through the task queue, resume.

The walk of one send (docs/newsletters.md tells it whole):

1. ``send_schedule`` writes a ``Send`` (scheduled) and queues ``send_start_task`` for its
   time; the worker's periodic duty (``sends_due_start``) starts any that task missed.
2. ``send_start`` renders the issue once (``rendering.issue_render``), and in one
   transaction moves the send to ``sending``, writes every recipient's ``SendRecord``
   streamed from the segment's query in bulk inserts, and queues the first batch.
3. ``send_batch_run`` (a task) takes the sending lock, opens ONE connection to
   ``NEWSLETTER_EMAIL_BACKEND`` and sends up to ``NEWSLETTER_BATCH_SIZE`` pending records,
   each with its own links and name, the RFC 8058 headers and a Message-ID of its own,
   paced to ``NEWSLETTER_SEND_RATE``; it marks each record sent as soon as the server
   accepted it, then lets the lock go and queues the next batch. The send is ``sent`` when
   no record is pending.

Resume after a ``kill -9``: the worker's successor queues the dead worker's task again
(``core/taskrecovery.py``); the task takes the lock over from the dead holder and goes on
with the records still pending. A record is "in flight" from just before its message is
handed over until it is marked sent (its ``message_id`` is written first); the one record
in flight at a kill may or may not have been accepted: it is sent again (at least once),
with the same Message-ID, and counted in the log. Everything else is exactly once.
"""

import logging
import smtplib
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from itertools import islice
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.core.conf import setting
from newsdesk.core.taskqueue import task_enqueue_with_commit
from newsdesk.core.taskrecovery import worker_dead, worker_id_for_this_process
from newsdesk.newsletters.errors import SendRefused
from newsdesk.newsletters.models import (
    Subscriber,
    Subscription,
    SubscriptionStatus,
    Suppression,
)
from newsdesk.newsletters.models_issues import NewsletterIssuePage
from newsdesk.newsletters.models_sending import (
    RecordStatus,
    Segment,
    Send,
    SendRecord,
    SendStatus,
)
from newsdesk.newsletters.selectors_segments import segment_recipients
from newsdesk.newsletters.services.messages import (
    RECIPIENT_REFUSED,
    Mail,
    accepted_id,
    email_backend,
    from_email,
    mail_prepare,
    message_build,
    message_id_for,
)

logger = logging.getLogger("newsdesk.newsletters")

# One lock for all sends: the provider's rate is the account's, whatever the issue.
LOCK_KEY = "newsletters:sending-lock"
# A holder on another host cannot be checked for life: its lock lapses after this long
# without being renewed (its holder renews it every quarter of that while it sends).
LOCK_SECONDS = 120
# Pacing is kept on average: time lost (a slow message, a long sleep) is made up, at most
# this much of it at once.
PACE_CATCH_UP_SECONDS = 1.0
# A batch that finds the lock taken runs again this much later.
BUSY_RETRY_SECONDS = 5
# How many recipients are checked against the suppression list and their subscription at
# once, just before their turn.
CHECK_CHUNK = 100
# Records written per INSERT when a send starts (the recipients stream in chunks this size).
RECORDS_CHUNK = 2000


# --- settings -----------------------------------------------------------------------------
def send_rate() -> float:
    return float(setting("NEWSLETTER_SEND_RATE"))


def batch_size() -> int:
    return max(1, int(setting("NEWSLETTER_BATCH_SIZE")))


# --- scheduling ---------------------------------------------------------------------------
def _backend_defers(task: object) -> bool:
    return bool(getattr(task.get_backend(), "supports_defer", False))  # type: ignore[attr-defined]


def send_schedule(
    *, issue: NewsletterIssuePage, segment: str, at: datetime | None, user: Any
) -> Send:
    """Schedule a send of ``issue`` to ``segment`` of its list, at ``at`` (None: now).

    Raises ``SendRefused`` (nothing written) for an unknown segment, or when a send of this
    issue to this segment is already scheduled or under way. The send starts at its time
    (a task queued for then; the worker's periodic duty as the safety net).
    """
    from newsdesk.newsletters.tasks import send_start_task

    if segment not in Segment.values:
        raise SendRefused(_("Unknown segment %(segment)s.") % {"segment": repr(segment)})
    now = timezone.now()
    when = now if at is None or at < now else at
    created_by = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        busy = Send.objects.filter(
            issue=issue, segment=segment, status__in=[SendStatus.SCHEDULED, SendStatus.SENDING]
        )
        if busy.exists():
            raise SendRefused(_("This issue is already scheduled or being sent to this segment."))
        send = Send.objects.create(
            issue=issue,
            newsletter_id=issue.newsletter_id,
            segment=segment,
            scheduled_at=when,
            created_by=created_by,
        )
        task = send_start_task
        if when > now and _backend_defers(task):
            task = task.using(run_after=when)
        task_enqueue_with_commit(task, send_id=send.pk)
    return send


def send_cancel(*, send: Send, user: Any) -> Send:
    """Cancel a scheduled send, or stop one under way (records not yet sent stay pending
    and are never sent). Raises ``SendRefused`` when it is already sent or cancelled."""
    stopped = Send.objects.filter(
        pk=send.pk, status__in=[SendStatus.SCHEDULED, SendStatus.SENDING]
    ).update(status=SendStatus.CANCELLED, finished_at=timezone.now())
    if not stopped:
        raise SendRefused(_("This send has already been sent or cancelled."))
    logger.info("Send %s cancelled by %s", send.pk, getattr(user, "pk", None))
    send.refresh_from_db()
    return send


def sends_due_start() -> int:
    """Start the scheduled sends whose time has come (the worker's periodic duty, the
    safety net of the task queued for that time); return how many started."""
    due = Send.objects.filter(status=SendStatus.SCHEDULED, scheduled_at__lte=timezone.now())
    return sum(1 for send in due if send_start(send=send))


# --- starting -----------------------------------------------------------------------------
def _records_insert(*, send: Send) -> int:
    """Write one pending record per recipient, in batches of ``RECORDS_CHUNK`` rows: the
    recipients stream from the database (never the whole list in memory) and each batch is
    one INSERT. The unique constraint per send and subscriber makes a second run (a start
    killed half-way) add only the missing ones."""
    recipients = (
        segment_recipients(newsletter=send.newsletter, segment=send.segment)
        .values_list("subscriber_id", "subscriber__email")
        .iterator(chunk_size=RECORDS_CHUNK)
    )
    written = 0
    while chunk := list(islice(recipients, RECORDS_CHUNK)):
        SendRecord.objects.bulk_create(
            [
                SendRecord(send=send, subscriber_id=subscriber_id, email=email)
                for subscriber_id, email in chunk
            ],
            ignore_conflicts=True,
        )
        written += len(chunk)
    return written


def send_start(*, send: Send) -> bool:
    """Start a scheduled send that is due: render the issue once, write every recipient's
    record, queue the first batch. Returns False (does nothing) when the send is not
    scheduled any more (started by another run, cancelled) or not yet due."""
    from newsdesk.newsletters.rendering import issue_render
    from newsdesk.newsletters.tasks import send_batch_task

    send = Send.objects.select_related("newsletter").get(pk=send.pk)
    if send.status != SendStatus.SCHEDULED or send.scheduled_at > timezone.now():
        return False
    # The published issue, as its archive page shows it; a draft never published, as the
    # editor last saved it (what its test copy showed).
    issue = send.issue if send.issue.live else send.issue.get_latest_revision_as_object()
    rendered = issue_render(issue=issue)
    html = rendered.html
    if setting("NEWSLETTER_CLICK_COUNTS"):
        from newsdesk.newsletters.views_clicks import links_counted

        html = links_counted(html=html, send_id=send.pk)
    with transaction.atomic():
        taken = Send.objects.filter(pk=send.pk, status=SendStatus.SCHEDULED).update(
            status=SendStatus.SENDING,
            started_at=timezone.now(),
            subject=rendered.subject[:255],
            html=html,
            text=rendered.text,
        )
        if not taken:
            return False
        count = _records_insert(send=send)
        Send.objects.filter(pk=send.pk).update(recipients_count=count)
        task_enqueue_with_commit(send_batch_task, send_id=send.pk)
    logger.info("Send %s started: %d recipient(s)", send.pk, count)
    return True


# --- the lock -----------------------------------------------------------------------------
@dataclass
class _Lock:
    holder: str
    renewed: float = 0.0

    @classmethod
    def take(cls) -> "_Lock | None":
        """The sending lock, or None while a live worker holds it (taken over from a
        holder of this host whose process is gone)."""
        holder = f"{worker_id_for_this_process()}|{uuid.uuid4().hex}"
        if cache.add(LOCK_KEY, holder, LOCK_SECONDS):
            return cls(holder, time.monotonic())
        current = cache.get(LOCK_KEY)
        if current is not None and not worker_dead(str(current).split("|", 1)[0]):
            return None
        cache.delete(LOCK_KEY)
        if cache.add(LOCK_KEY, holder, LOCK_SECONDS):
            logger.warning("Took the sending lock over from a worker that died (%s)", current)
            return cls(holder, time.monotonic())
        return None

    def renew_if_due(self) -> None:
        """Keep the lock while sending, however slow the server: renewed every quarter of
        its life (a read of the clock otherwise)."""
        if time.monotonic() - self.renewed < LOCK_SECONDS / 4:
            return
        if cache.get(LOCK_KEY) == self.holder:
            cache.set(LOCK_KEY, self.holder, LOCK_SECONDS)
        self.renewed = time.monotonic()

    def release(self) -> None:
        if cache.get(LOCK_KEY) == self.holder:
            cache.delete(LOCK_KEY)


# --- a batch ------------------------------------------------------------------------------
@dataclass
class BatchOutcome:
    """What one run of a batch did (for the log, the tests and the benchmark)."""

    state: str  # "sent", "more", "busy", "stopped", "failed"
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    resent_in_flight: int = 0


def _skip_gone(*, send: Send, record_ids: list[int]) -> set[int]:
    """Mark skipped the records whose address was suppressed or whose subscription ended
    since the send started; return their ids."""
    still = Subscription.objects.filter(
        newsletter_id=send.newsletter_id,
        subscriber_id=OuterRef("subscriber_id"),
        status=SubscriptionStatus.SUBSCRIBED,
    )
    gone = set(
        SendRecord.objects.filter(pk__in=record_ids, status=RecordStatus.PENDING)
        .filter(
            Q(subscriber__isnull=True)
            | Exists(Suppression.objects.filter(email=OuterRef("email")))
            | ~Exists(still)
        )
        .values_list("pk", flat=True)
    )
    if gone:
        SendRecord.objects.filter(pk__in=gone, status=RecordStatus.PENDING).update(
            status=RecordStatus.SKIPPED
        )
    return gone


def _send_finish_if_done(*, send_id: int) -> bool:
    if SendRecord.objects.filter(send_id=send_id, status=RecordStatus.PENDING).exists():
        return False
    Send.objects.filter(pk=send_id, status=SendStatus.SENDING).update(
        status=SendStatus.SENT, finished_at=timezone.now()
    )
    return True


def send_batch_run(*, send_id: int) -> BatchOutcome:
    """Send the next ``NEWSLETTER_BATCH_SIZE`` pending records of a send, under the
    sending lock, then queue the next batch or finish the send.

    Safe to run twice or at once (the lock; records already sent are never sent again); a
    run that finds the lock held by a live worker queues itself again a little later.
    """
    from newsdesk.newsletters.tasks import send_batch_task

    send = Send.objects.select_related("newsletter").filter(pk=send_id).first()
    if send is None or send.status != SendStatus.SENDING:
        return BatchOutcome(state="stopped")
    lock = _Lock.take()
    if lock is None:
        if _backend_defers(send_batch_task):
            later = timezone.now() + timedelta(seconds=BUSY_RETRY_SECONDS)
            send_batch_task.using(run_after=later).enqueue(send_id=send_id)
        return BatchOutcome(state="busy")
    try:
        outcome = _batch_send(send=send, lock=lock)
    finally:
        lock.release()
    if outcome.state == "more":
        send_batch_task.enqueue(send_id=send_id)
    elif outcome.state == "failed" and _backend_defers(send_batch_task):
        # The server or provider did not answer: try again later from the records.
        later = timezone.now() + timedelta(seconds=BUSY_RETRY_SECONDS * 6)
        send_batch_task.using(run_after=later).enqueue(send_id=send_id)
    return outcome


def _batch_send(*, send: Send, lock: _Lock) -> BatchOutcome:
    records = list(
        SendRecord.objects.filter(send=send, status=RecordStatus.PENDING)
        .select_related("subscriber")
        .only("pk", "email", "message_id", "subscriber__name", "subscriber__token")
        .order_by("pk")[: batch_size()]
    )
    outcome = BatchOutcome(state="more")
    if not records:
        outcome.state = "sent" if _send_finish_if_done(send_id=send.pk) else "stopped"
        return outcome
    outcome.resent_in_flight = sum(1 for record in records if record.message_id)
    if outcome.resent_in_flight:
        logger.warning(
            "Send %s: %d message(s) were in flight when a worker died; sending them again",
            send.pk,
            outcome.resent_in_flight,
        )
    mail = mail_prepare(
        subject=send.subject, html=send.html, text=send.text, newsletter=send.newsletter
    )
    interval = 1.0 / send_rate() if send_rate() > 0 else 0.0
    next_at = time.monotonic()
    connection = get_connection(email_backend())
    connection.open()
    try:
        for start in range(0, len(records), CHECK_CHUNK):
            chunk = records[start : start + CHECK_CHUNK]
            # A cancel, an unsubscribe or a bounce that came since the send started counts.
            if not Send.objects.filter(pk=send.pk, status=SendStatus.SENDING).exists():
                outcome.state = "stopped"
                return outcome
            gone = _skip_gone(send=send, record_ids=[record.pk for record in chunk])
            outcome.skipped += len(gone)
            for record in chunk:
                if record.pk in gone:
                    continue
                now = time.monotonic()
                if now < next_at:
                    time.sleep(next_at - now)
                # A sleep that overran (a busy machine) is made up by the next messages,
                # never by more than PACE_CATCH_UP_SECONDS' worth at once.
                next_at = max(next_at, now - PACE_CATCH_UP_SECONDS) + interval
                if not _record_send(send=send, record=record, mail=mail, connection=connection):
                    outcome.failed += 1
                else:
                    outcome.sent += 1
                lock.renew_if_due()
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("Send %s: the mail server failed (%s); trying again later", send.pk, error)
        outcome.state = "failed"
        return outcome
    finally:
        connection.close()
    if _send_finish_if_done(send_id=send.pk):
        outcome.state = "sent"
        logger.info("Send %s finished", send.pk)
    return outcome


def _record_update(*, record_id: int, status: str, message_id: str) -> None:
    """One record's status and message id (and, once sent, its time)."""
    fields: dict[str, Any] = {"status": status, "message_id": message_id}
    if status == RecordStatus.SENT:
        fields["sent_at"] = timezone.now()
    SendRecord.objects.filter(pk=record_id).update(**fields)


def _record_send(*, send: Send, record: SendRecord, mail: Mail, connection: object) -> bool:
    """Hand one record's message over; mark it sent (True) or failed (False). A record
    is marked in flight (its Message-ID written) before, and sent right after."""
    own_id = message_id_for(send_id=send.pk, record_id=record.pk)
    subscriber: Subscriber = record.subscriber  # type: ignore[assignment]
    if record.message_id != own_id:
        _record_update(record_id=record.pk, status=RecordStatus.PENDING, message_id=own_id)
    message = message_build(
        mail=mail,
        to=record.email,
        name=subscriber.name,
        token=subscriber.token,
        message_id=own_id,
        connection=connection,
    )
    try:
        message.send()
    except RECIPIENT_REFUSED as error:
        logger.info("Send %s: %s refused (%s)", send.pk, record.email, error)
        _record_update(record_id=record.pk, status=RecordStatus.FAILED, message_id=own_id)
        return False
    _record_update(
        record_id=record.pk, status=RecordStatus.SENT, message_id=accepted_id(message, own_id)
    )
    return True


# --- a test copy --------------------------------------------------------------------------
def send_test(*, issue: NewsletterIssuePage, to: str, user: Any) -> None:
    """Send one copy of ``issue`` to ``to`` at once, "[Test]" before its subject, through
    the same connection and with the same headers as a send; no ``Send`` is written. The
    links are the subscriber's own when ``to`` subscribes, else links that lead nowhere.
    Raises ``SendRefused`` for an address that is not one."""
    from newsdesk.newsletters.rendering import issue_render

    address = (to or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise SendRefused(_("Not an e-mail address.")) from None
    rendered = issue_render(issue=issue)
    newsletter = issue.newsletter
    subscriber = Subscriber.objects.filter(email=address).first()
    token = subscriber.token if subscriber else "test-copy"
    name = subscriber.name if subscriber else str(getattr(user, "first_name", "") or "")
    host = parseaddr(from_email())[1].rpartition("@")[2] or "newsdesk.invalid"
    mail = mail_prepare(
        subject=_("[Test] %(subject)s") % {"subject": rendered.subject},
        html=rendered.html,
        text=rendered.text,
        newsletter=newsletter,
    )
    connection = get_connection(email_backend())
    message = message_build(
        mail=mail,
        to=address,
        name=name,
        token=token,
        message_id=f"newsletter.test.{uuid.uuid4().hex}@{host}",
        connection=connection,
    )
    message.send()
