"""The donor's lifecycle e-mails: queued once per occasion, sent at most once.

CONTRACT (other parts call this; its body is completed by the lifecycle part):
``lifecycle_mail_queue`` claims the occasion (a ``LifecycleMail`` row, ``occasion`` unique)
and queues its sending task when the transaction commits. Call it inside the transaction
that records what the mail is about (a payment, a failed charge), so the mail exists exactly
when that record does.
"""

from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.models_lifecycle import LifecycleKind, LifecycleMail


def lifecycle_mail_queue(
    *,
    kind: LifecycleKind,
    occasion: str,
    email: str,
    donation: Donation | None = None,
    recurring_gift: RecurringGift | None = None,
) -> bool:
    """Claim ``occasion`` for one ``kind`` e-mail to ``email``; True when this call claimed it
    (and the mail will be sent), False when it was claimed before or nothing can be sent."""
    email = (email or "").strip().lower()
    if not email:
        return False
    _, created = LifecycleMail.objects.get_or_create(
        occasion=occasion,
        defaults={
            "kind": kind,
            "email": email,
            "donation": donation,
            "recurring_gift": recurring_gift,
        },
    )
    return created
