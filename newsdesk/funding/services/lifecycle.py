"""The donor's lifecycle e-mails: queued once per occasion, sent at most once.

CONTRACT (other parts call this): ``lifecycle_mail_queue`` claims the occasion (a
``LifecycleMail`` row, ``occasion`` unique) and queues its sending task with the current
transaction (``core/taskqueue.py``). Call it inside the transaction that records what the mail
is about (a payment, a failed charge), so the mail exists exactly when that record does.

The walk of one mail:

1. An occasion is claimed here: by the ledger when a payment is recorded (the welcome, the
   receipt of a monthly charge: ``lifecycle_payment_mails_queue``), by the giving part's
   ``invoice.payment_failed`` handler, or by the worker's hourly duty
   (``lifecycle_duty_run``: cards about to expire, renewal reminders, lapsed donors). The
   unique ``occasion`` makes a rerun, or two workers scanning at once, claim each once.
2. ``tasks_lifecycle.lifecycle_mail_send`` renders the kind's ``LifecycleMessage`` and hands
   the mail to the server, once (see there for what a worker killed mid-send does).
3. A row still queued an hour on (its task failed, the mail server was down) is queued again
   by the duty; the send itself guards against sending twice.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from newsdesk.core.taskqueue import task_enqueue_with_commit
from newsdesk.funding import selectors_lifecycle as selectors
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.models_lifecycle import (
    MARKETING_KINDS,
    LifecycleKind,
    LifecycleMail,
    LifecycleOptOut,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "newsdesk.funding.lifecycle-unsubscribe"
# The duty runs at most this often, whichever worker (or how many) calls it.
DUTY_CACHE_KEY = "funding:lifecycle:duty-last-run"
DUTY_EVERY_SECONDS = 3600
# A row queued this long ago and still not sent is queued again (its task was lost or failed).
STALE_QUEUED_AFTER = timedelta(hours=1)
BATCH_SIZE = 200


def _normalise(email: str) -> str:
    return (email or "").strip().lower()


def lifecycle_mail_queue(
    *,
    kind: LifecycleKind,
    occasion: str,
    email: str,
    donation: Donation | None = None,
    recurring_gift: RecurringGift | None = None,
) -> bool:
    """Claim ``occasion`` for one ``kind`` e-mail to ``email``; True when this call claimed it
    (and the mail will be sent), False when it was claimed before or nothing can be sent.

    A marketing kind to an address that opted out is claimed as skipped (so the admin's list
    says why, and no later scan tries again) and returns False. The sending task is queued
    with the caller's transaction: rolled back, neither the row nor the task exists.
    """
    email = _normalise(email)
    if not email or not occasion:
        return False
    opted_out = kind in MARKETING_KINDS and LifecycleOptOut.objects.filter(email=email).exists()
    try:
        # A savepoint: a claim lost to a concurrent one leaves the caller's transaction usable.
        with transaction.atomic():
            row, created = LifecycleMail.objects.get_or_create(
                occasion=occasion[:200],
                defaults={
                    "kind": kind,
                    "email": email,
                    "donation": donation,
                    "recurring_gift": recurring_gift,
                    "status": (
                        LifecycleMail.Status.SKIPPED if opted_out else LifecycleMail.Status.QUEUED
                    ),
                    "note": "The address left the donor e-mails." if opted_out else "",
                },
            )
    except IntegrityError:
        # Claimed by a concurrent transaction that committed between our read and write.
        return False
    if not created or opted_out:
        return False
    _send_enqueue(mail_id=row.pk)
    return True


def _send_enqueue(*, mail_id: int) -> None:
    from newsdesk.funding.tasks_lifecycle import lifecycle_mail_send

    # robust: a mail that cannot be queued must not undo the payment it is about; the row
    # stays queued and the duty queues it again (``lifecycle_stale_requeue``).
    task_enqueue_with_commit(lifecycle_mail_send, robust=True, mail_id=mail_id)


# --- occasions at the ledger ---------------------------------------------------------------
def lifecycle_payment_mails_queue(*, donation: Donation) -> bool:
    """The lifecycle mails a payment just recorded calls for (call inside its transaction).

    - the welcome, when it is the first standing payment ever from its address;
    - the receipt of a monthly charge, for every charge of a monthly gift after its first.

    Returns True when the monthly charge's receipt was claimed, so the ledger queues no
    generic receipt for it; False when the generic receipt is still the one to send (the
    first monthly charge, one-time gifts), or the charge's receipt was already claimed.
    """
    email = _normalise(donation.donor_email)
    if donation.kind != Donation.Kind.PAYMENT or not email:
        return False
    monthly = donation.recurring and bool(donation.subscription_id)
    # A monthly gift's mails carry its manage link (the welcome of its first charge too).
    gift = (
        RecurringGift.objects.filter(
            provider=donation.provider, subscription_id=donation.subscription_id
        ).first()
        if monthly
        else None
    )
    if selectors.first_standing_payment(donation=donation):
        lifecycle_mail_queue(
            kind=LifecycleKind.WELCOME,
            occasion=f"welcome:{selectors.email_hash(email=email)}",
            email=email,
            donation=donation,
            recurring_gift=gift,
        )
    if not monthly:
        return False
    if not selectors.monthly_charge_after_first(donation=donation):
        return False
    lifecycle_mail_queue(
        kind=LifecycleKind.MONTHLY_RECEIPT,
        occasion=f"receipt:{donation.pk}",
        email=email,
        donation=donation,
        recurring_gift=gift,
    )
    # Claimed now or before: either way this charge's receipt is the lifecycle one.
    return True


def charged_total(*, donation: Donation) -> tuple[Decimal, str]:
    """What the donor was charged for ``donation``: the gift and the fees they covered."""
    fee = donation.reversals.filter(kind=Donation.Kind.FEE_COVER).aggregate(s=Sum("amount"))["s"]
    return donation.amount + (fee or 0), donation.currency


# --- one-click unsubscribe (RFC 8058) ------------------------------------------------------
def lifecycle_unsubscribe_token(*, email: str) -> str:
    """A signed token naming ``email`` for the unsubscribe link of marketing mails (it does
    not expire: a link in an old e-mail must still work)."""
    return signing.dumps({"e": _normalise(email)}, salt=UNSUBSCRIBE_SALT, compress=True)


def lifecycle_email_from_token(*, token: str) -> str | None:
    """The address an unsubscribe token names, or None for a forged or damaged one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    email = data.get("e") if isinstance(data, dict) else None
    return _normalise(email) if isinstance(email, str) and email else None


def lifecycle_opt_out(*, email: str) -> bool:
    """Take ``email`` out of the donor marketing mails (renewal reminders, lapsed asks); its
    queued ones are skipped. Idempotent; True when it was in them until now. Payment mails
    (receipts, failed charges, expiring cards) still go."""
    email = _normalise(email)
    with transaction.atomic():
        _, created = LifecycleOptOut.objects.get_or_create(email=email)
        LifecycleMail.objects.filter(
            email=email, kind__in=list(MARKETING_KINDS), status=LifecycleMail.Status.QUEUED
        ).exclude(note__startswith="sending:").update(
            status=LifecycleMail.Status.SKIPPED, note="The address left the donor e-mails."
        )
    return created


# --- the worker's duty -----------------------------------------------------------------------
@dataclass
class DutyOutcome:
    """What one run of the duty queued (for the log and the tests)."""

    ran: bool = True
    queued: dict[str, int] = field(default_factory=dict)
    requeued: int = 0


def _queue_all(candidates: list[selectors.Candidate], *, kind: LifecycleKind) -> int:
    """Claim each candidate's occasion (those already claimed are skipped in one query)."""
    if not candidates:
        return 0
    taken = set(
        LifecycleMail.objects.filter(
            occasion__in=[candidate.occasion for candidate in candidates]
        ).values_list("occasion", flat=True)
    )
    queued = 0
    with transaction.atomic():
        for candidate in candidates:
            if candidate.occasion in taken:
                continue
            queued += lifecycle_mail_queue(
                kind=kind,
                occasion=candidate.occasion,
                email=candidate.email,
                donation=candidate.donation,
                recurring_gift=candidate.recurring_gift,
            )
    return queued


def lifecycle_occasions_queue(
    *, now: datetime | None = None, batch: int = BATCH_SIZE
) -> dict[str, int]:
    """Scan for the time-driven occasions (cards expiring, renewal reminders, lapsed donors)
    in batches of ``batch`` and claim each new one; returns how many were queued by kind.
    Safe to run twice or at once: each occasion is claimed once."""
    now = now or timezone.now()
    queued: dict[str, int] = {}
    scans = (
        (LifecycleKind.CARD_EXPIRING, selectors.cards_expiring),
        (LifecycleKind.RENEWAL_REMINDER, selectors.renewals_due),
        (LifecycleKind.LAPSED, selectors.lapsed_donors),
    )
    for kind, scan in scans:
        count = 0
        for chunk in scan(now=now, batch=batch):
            count += _queue_all(chunk, kind=kind)
        queued[str(kind)] = count
    return queued


def lifecycle_stale_requeue(
    *,
    now: datetime | None = None,
    batch: int = BATCH_SIZE,
    older_than: timedelta = STALE_QUEUED_AFTER,
) -> int:
    """Queue again the mails still queued ``older_than`` after being claimed (their task
    failed or was lost); sending guards against a second copy. Returns how many."""
    cutoff = (now or timezone.now()) - older_than
    ids = list(
        LifecycleMail.objects.filter(status=LifecycleMail.Status.QUEUED, created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    for mail_id in ids:
        _send_enqueue(mail_id=mail_id)
    return len(ids)


def lifecycle_duty_run(*, now: datetime | None = None, force: bool = False) -> DutyOutcome:
    """The worker's periodic duty: at most hourly (a cache key; ``force`` ignores it), claim
    the time-driven occasions and queue again the mails left queued."""
    if not force and not cache.add(DUTY_CACHE_KEY, timezone.now().isoformat(), DUTY_EVERY_SECONDS):
        return DutyOutcome(ran=False)
    outcome = DutyOutcome(queued=lifecycle_occasions_queue(now=now))
    outcome.requeued = lifecycle_stale_requeue(now=now)
    if any(outcome.queued.values()) or outcome.requeued:
        logger.info("Donor e-mails: queued %s, queued again %d", outcome.queued, outcome.requeued)
    return outcome
