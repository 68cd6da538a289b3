"""Double opt-in for the discussion's e-mails (reply notifications and thread subscriptions).

An address gets those e-mails only once its owner has shown they read it: a verified
address of their account (allauth), or an address that followed the link of the one
confirmation e-mail this module sends. Until then nothing is sent to it, so nobody can sign a
stranger's address up for e-mails by typing it into the comment form.

- ``email_confirmation_request`` runs inside the comment's transaction: one e-mail per
  address while its link is valid (``DISCUSSION_EMAIL_CONFIRM_DAYS``), none for an address
  already confirmed, at most ``DISCUSSION_EMAIL_CONFIRMS_PER_IP`` an hour per client address.
  The claim is one conditional UPDATE, so two posts at once queue one e-mail.
- ``email_confirmation_deliver`` is what the worker runs (``tasks``): it marks the request
  taken before sending, so a task run twice (a retry, a re-queued task) sends one e-mail.
- ``email_confirm`` checks the link's signature and age, then records the moment.

The address itself is never stored here, only the SHA-256 of its normalised form
(``EmailConfirmation.address_hash``): the comment keeps the address, and loses it as before
when its author deletes it.
"""

import hashlib
import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.core.ratelimit import rate_limit_exceeded
from newsdesk.core.siteurl import absolute_url, site_name
from newsdesk.core.taskqueue import task_enqueue_with_commit
from newsdesk.discussion import conf
from newsdesk.discussion.errors import InvalidComment
from newsdesk.discussion.models import Comment, CommentStatus, EmailConfirmation

logger = logging.getLogger(__name__)

CONFIRM_SALT = "newsdesk.discussion.email-confirm"
# The statuses of a comment whose author may be asked to confirm an address (a rejected or
# spam comment asks nothing of anyone's inbox).
_MAY_ASK = {CommentStatus.PUBLISHED, CommentStatus.HELD}


def address_normalise(email: str) -> str:
    """The form an address is compared in: trimmed and lower-cased (mail providers treat
    the local part without regard to case, in practice)."""
    return (email or "").strip().lower()


def address_hash(email: str) -> str:
    """SHA-256 of the normalised address ("" for no address)."""
    normal = address_normalise(email)
    return hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest() if normal else ""


def _confirm_max_age() -> timedelta:
    return timedelta(days=conf.DISCUSSION_EMAIL_CONFIRM_DAYS)


def _verified_for_account(*, email: str, user_id: int | None) -> bool:
    if user_id is None or not email:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(
        user_id=user_id, email__iexact=address_normalise(email), verified=True
    ).exists()


def email_confirmed(*, email: str, user_id: int | None = None) -> bool:
    """Whether discussion e-mails may go to ``email``: a verified address of account
    ``user_id``, or an address whose owner followed a confirmation link."""
    if not email:
        return False
    if _verified_for_account(email=email, user_id=user_id):
        return True
    return EmailConfirmation.objects.filter(
        address_hash=address_hash(email), confirmed_at__isnull=False
    ).exists()


def emails_confirmed(*, recipients: Iterable[tuple[str, int | None]]) -> set[str]:
    """Of ``(email, user_id)`` pairs, the normalised addresses e-mails may go to (two
    queries, however many recipients)."""
    pairs = [(address_normalise(email), user_id) for email, user_id in recipients if email]
    if not pairs:
        return set()
    from allauth.account.models import EmailAddress

    user_ids = {user_id for _, user_id in pairs if user_id is not None}
    verified = set()
    if user_ids:
        verified = {
            (address_normalise(email), user_id)
            for email, user_id in EmailAddress.objects.filter(
                user_id__in=user_ids, verified=True
            ).values_list("email", "user_id")
        }
    by_hash = {address_hash(email): email for email, _ in pairs}
    confirmed = {
        by_hash[h]
        for h in EmailConfirmation.objects.filter(
            address_hash__in=list(by_hash), confirmed_at__isnull=False
        ).values_list("address_hash", flat=True)
    }
    return {email for email, user_id in pairs if (email, user_id) in verified} | confirmed


def email_confirmation_request(
    *, comment: Comment, email: str, user_id: int | None, ip_address: str
) -> bool:
    """Queue the one confirmation e-mail ``email`` needs before discussion e-mails go to it;
    True when one was queued. Call it inside the transaction that stores ``comment`` (whose
    author asked for reply or thread e-mails at ``email``): the task commits with it.

    Nothing is queued for an address already confirmed (or verified for the account), while
    an earlier link is still valid, for a rejected comment, or when ``ip_address`` has
    caused ``DISCUSSION_EMAIL_CONFIRMS_PER_IP`` of them in the past hour.
    """
    if not email or comment.status not in _MAY_ASK:
        return False
    if _verified_for_account(email=email, user_id=user_id):
        return False
    digest = address_hash(email)
    now = timezone.now()
    expired_before = now - _confirm_max_age()
    claimable = Q(confirmed_at__isnull=True) & (
        Q(requested_at__isnull=True) | Q(requested_at__lt=expired_before)
    )
    row = EmailConfirmation.objects.filter(address_hash=digest).first()
    # Not ``claimable``, as the row read says (the claim's UPDATE below checks it again):
    if row is not None and (
        row.confirmed_at is not None
        or (row.requested_at is not None and row.requested_at >= expired_before)
    ):
        return False  # confirmed already, or an e-mail went out lately
    if rate_limit_exceeded(
        action="discussion-email-confirm", who=ip_address or "unknown", rate=conf.RATE_EMAIL_CONFIRM
    ):
        return False
    if row is None:
        try:
            with transaction.atomic():
                row = EmailConfirmation.objects.create(address_hash=digest)
        except IntegrityError:  # another post with the same address, at the same moment
            row = EmailConfirmation.objects.get(address_hash=digest)
    # The claim: of two posts racing here, one UPDATE changes the row and queues the e-mail.
    claimed = (
        EmailConfirmation.objects.filter(pk=row.pk)
        .filter(claimable)
        .update(requested_at=now, sent_at=None)
    )
    if not claimed:
        return False
    from newsdesk.discussion.tasks import email_confirmation_send

    task_enqueue_with_commit(email_confirmation_send, comment_id=comment.pk)
    return True


def email_confirmation_notice(*, comment: Comment, asked: bool) -> str:
    """What to add to the "posted" message when the author ``asked`` for e-mails at an
    address that is not confirmed yet ("" otherwise)."""
    email = comment.notification_email if asked else ""
    if not email or comment.status not in _MAY_ASK:
        return ""
    if email_confirmed(email=email, user_id=comment.user_id):
        return ""
    return " " + _(
        "E-mails about replies start once you confirm your address: follow the link in "
        "the e-mail we send to it."
    )


def email_confirmation_token(*, email: str) -> str:
    """The signed token of the confirmation link of ``email`` (it names the address by its
    hash; ``email_confirm`` checks its age)."""
    return signing.dumps({"a": address_hash(email)}, salt=CONFIRM_SALT)


def email_confirmation_deliver(*, comment_id: int) -> bool:
    """Send the confirmation e-mail a comment's author asked for; True when it was sent.

    Run by the worker. The request is marked sent once the mail server took the e-mail, so
    a run after a finished one sends nothing and a run after a worker died mid-send sends
    it; if the sending fails, the request is dropped (the address may ask again) and the
    error raised for the task's log.
    """
    comment = (
        Comment.objects.select_related("thread", "thread__article", "user")
        .filter(pk=comment_id)
        .first()
    )
    email = comment.notification_email if comment is not None else ""
    if comment is None or not email:
        return False  # the comment, or its address, was deleted meanwhile
    row = EmailConfirmation.objects.filter(address_hash=address_hash(email)).first()
    if row is None:
        return False
    if row.confirmed_at is not None or row.requested_at is None or row.sent_at is not None:
        return False  # sent already (this task ran before), or confirmed meanwhile
    link = absolute_url(
        path=reverse("discussion:email_confirm", args=[email_confirmation_token(email=email)])
    )
    context = {
        "title": str(comment.thread),
        "link": link,
        "days": conf.DISCUSSION_EMAIL_CONFIRM_DAYS,
        "site_name": site_name(),
    }
    message = EmailMessage(
        subject=render_to_string("discussion/email/confirm_subject.txt", context).strip(),
        body=render_to_string("discussion/email/confirm.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    try:
        message.send()
    except Exception:
        # The address may ask again with its next comment.
        EmailConfirmation.objects.filter(pk=row.pk, sent_at__isnull=True).update(requested_at=None)
        raise
    # Marked once sent: a worker killed while sending leaves no mark, and the re-queued task
    # sends it (never lost); a run after a finished one sends nothing.
    EmailConfirmation.objects.filter(pk=row.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


def email_confirm(*, token: str) -> str:
    """Confirm the address a confirmation link names; return what the reader is told.

    Raises ``InvalidComment`` (nothing changed) for a link that is forged, damaged or older
    than ``DISCUSSION_EMAIL_CONFIRM_DAYS``. Following a link again changes nothing.
    """
    try:
        # signing takes the timedelta as is (and reads its seconds, as this did).
        payload = signing.loads(token or "", salt=CONFIRM_SALT, max_age=_confirm_max_age())
    except signing.SignatureExpired:
        raise InvalidComment(
            _(
                "This confirmation link has expired. Post a comment with “E-mail me replies” "
                "ticked to get a new one."
            )
        ) from None
    except signing.BadSignature:
        raise InvalidComment(
            _("This confirmation link is not valid: copy the whole link from the e-mail.")
        ) from None
    digest = payload.get("a") if isinstance(payload, dict) else None
    if not isinstance(digest, str) or len(digest) != 64:
        raise InvalidComment(_("This confirmation link is not valid: copy the whole link."))
    now = timezone.now()
    with transaction.atomic():
        row, _created = EmailConfirmation.objects.get_or_create(address_hash=digest)
        changed = EmailConfirmation.objects.filter(pk=row.pk, confirmed_at__isnull=True).update(
            confirmed_at=now
        )
    if not changed:
        return _("Your e-mail address was already confirmed.")
    return _(
        "Thank you: your e-mail address is confirmed. You will get the e-mails you asked "
        "for about replies and new comments."
    )


def email_confirmations_forget(*, emails: Iterable[str]) -> int:
    """Delete what is kept of ``emails`` (for an erased account); return how many rows."""
    hashes = [address_hash(email) for email in emails if email]
    if not hashes:
        return 0
    deleted, _by_model = EmailConfirmation.objects.filter(address_hash__in=hashes).delete()
    return deleted
