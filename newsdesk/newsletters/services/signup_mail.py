"""The e-mails the sign-up sends an address: the confirmation of a double opt-in and a new
link to the preferences page. They go through Django's default mail, as the site's other
own e-mails do (``settings/mail.py``); issues go through the sending part's connection.

- ``signup_mail_request`` runs inside the request's transaction and queues at most one
  e-mail: none while one of the same kind went out less than
  ``NEWSLETTER_CONFIRM_RESEND_MINUTES`` ago (the claim is one conditional UPDATE of
  ``SignupMail.requested_at``, so two requests at once queue one), none past
  ``NEWSLETTER_CONFIRM_MAILS_PER_ADDRESS`` a day to the address, whoever asks (nobody can
  fill a stranger's inbox through the form), none to an address suppressed for a complaint
  or by staff.
- ``signup_mail_deliver`` is what the worker runs (``tasks_signup``): it sends only the
  request it was queued for and marks it sent once the mail server took it, so a task run
  twice sends one e-mail and a worker killed mid-send leaves it for the re-queued task.

The answer a reader sees never says whether an e-mail went (the same "check your inbox"),
so the form tells a stranger nothing about an address.
"""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from newsdesk.core.conf import setting
from newsdesk.core.ratelimit import RateLimit, rate_limit_exceeded
from newsdesk.core.siteurl import site_name
from newsdesk.core.taskqueue import task_enqueue_with_commit
from newsdesk.newsletters import links
from newsdesk.newsletters.models import Subscriber, Suppression, SuppressionReason
from newsdesk.newsletters.models_signup import SignupMail, SignupMailKind

CONFIRM_SALT = "newsdesk.newsletters.confirm"
# Addresses whose owner said no to our mail (a complaint) or that staff blocked get no
# confirmation e-mail from a form anyone can fill in.
NO_MAIL_REASONS = (SuppressionReason.COMPLAINT, SuppressionReason.STAFF)


def address_digest(email: str) -> str:
    """SHA-256 of the normalised address: names it in rate-limit keys and signed links."""
    return hashlib.sha256(email.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()


def confirm_max_age() -> timedelta:
    return timedelta(days=int(setting("NEWSLETTER_CONFIRM_DAYS")))


def confirm_token(*, subscriber: Subscriber) -> str:
    """The signed token of a confirmation link: it names the subscriber and their address
    (a link for an address that has since changed hands does not confirm the new one)."""
    return signing.dumps(
        {"s": subscriber.pk, "a": address_digest(subscriber.email)[:32]}, salt=CONFIRM_SALT
    )


def confirm_token_read(*, token: str) -> tuple[int, str]:
    """``(subscriber id, address digest)`` of a confirmation token; ``signing`` errors
    (``SignatureExpired``, ``BadSignature``) for a forged, damaged or expired one."""
    payload = signing.loads(token or "", salt=CONFIRM_SALT, max_age=confirm_max_age())
    if not isinstance(payload, dict):
        raise signing.BadSignature("not a confirmation token")
    subscriber_id, digest = payload.get("s"), payload.get("a")
    if not isinstance(subscriber_id, int) or not isinstance(digest, str):
        raise signing.BadSignature("not a confirmation token")
    return subscriber_id, digest


def _mail_blocked(*, email: str) -> bool:
    return Suppression.objects.filter(email=email, reason__in=NO_MAIL_REASONS).exists()


def signup_mail_request(*, subscriber: Subscriber, kind: str) -> bool:
    """Queue one e-mail of ``kind`` (``SignupMailKind``) to ``subscriber``; True when one
    was queued. Call it inside the transaction of the request: the task commits with it.
    Nothing is queued within the resend window, past the address's daily limit, or to an
    address suppressed for a complaint or by staff."""
    now = timezone.now()
    resend_after = now - timedelta(minutes=int(setting("NEWSLETTER_CONFIRM_RESEND_MINUTES")))
    row = SignupMail.objects.filter(subscriber=subscriber, kind=kind).first()
    if row is not None and row.requested_at is not None and row.requested_at >= resend_after:
        return False  # one is on its way
    if _mail_blocked(email=subscriber.email):
        return False
    daily = RateLimit(int(setting("NEWSLETTER_CONFIRM_MAILS_PER_ADDRESS")), 24 * 3600)
    if rate_limit_exceeded(
        action="newsletter-signup-mail", who=address_digest(subscriber.email), rate=daily
    ):
        return False
    if row is None:
        try:
            with transaction.atomic():
                row = SignupMail.objects.create(subscriber=subscriber, kind=kind)
        except IntegrityError:  # the same address asked at the same moment
            row = SignupMail.objects.get(subscriber=subscriber, kind=kind)
    # The claim: of two requests racing here, one UPDATE changes the row and queues the mail.
    claimed = (
        SignupMail.objects.filter(pk=row.pk)
        .filter(Q(requested_at__isnull=True) | Q(requested_at__lt=resend_after))
        .update(requested_at=now, sent_at=None)
    )
    if not claimed:
        return False
    from newsdesk.newsletters.tasks_signup import signup_mail_send

    task_enqueue_with_commit(signup_mail_send, mail_id=row.pk, requested_at=now.isoformat())
    return True


def _context(*, subscriber: Subscriber, kind: str) -> dict:
    pending = [
        s.newsletter.name
        for s in subscriber.subscriptions.select_related("newsletter").order_by(
            "newsletter__sort_order", "newsletter__name"
        )
        if s.status == "pending"
    ]
    return {
        "kind": kind,
        "lists": pending,
        "confirm_link": links.confirm_url(token=confirm_token(subscriber=subscriber)),
        "preferences_link": links.preferences_url(token=subscriber.token),
        "days": int(setting("NEWSLETTER_CONFIRM_DAYS")),
        "site_name": site_name(),
    }


def signup_mail_deliver(*, mail_id: int, requested_at: str) -> bool:
    """Send the e-mail of request ``requested_at`` of row ``mail_id``; True when sent.

    Run by the worker. Nothing is sent for a request replaced by a later one (that one has
    its own task), one already sent, or a subscriber erased meanwhile. If the sending fails,
    the request is dropped (the address may ask again at once) and the error raised for
    the task's log.
    """
    row = SignupMail.objects.select_related("subscriber").filter(pk=mail_id).first()
    if row is None or row.sent_at is not None or row.requested_at is None:
        return False
    if row.requested_at != datetime.fromisoformat(requested_at):
        return False  # a later request took the row; its own task sends
    subscriber = row.subscriber
    context = _context(subscriber=subscriber, kind=row.kind)
    if row.kind == SignupMailKind.CONFIRM and not context["lists"]:
        return False  # confirmed (or left) meanwhile: nothing to confirm
    prefix = (
        "newsletters/email/confirm"
        if row.kind == SignupMailKind.CONFIRM
        else ("newsletters/email/confirm_link")
    )
    message = EmailMultiAlternatives(
        subject=render_to_string(f"{prefix}_subject.txt", context).strip(),
        body=render_to_string(f"{prefix}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
    )
    message.attach_alternative(render_to_string(f"{prefix}.html", context), "text/html")
    try:
        message.send()
    except Exception:
        SignupMail.objects.filter(pk=row.pk, sent_at__isnull=True).update(requested_at=None)
        raise
    SignupMail.objects.filter(pk=row.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True
