"""Demo content of the donor e-mails: their default words (migration 0006; restored here if a
demo site lost them), a few mails recorded as sent for the admin's list, and a monthly donor
whose card expires this month, so the demo's worker sends the reminder on its first hourly
duty. Safe to run twice: each row is keyed by its occasion or address.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from newsdesk.funding.models import Campaign, Donation, RecurringGift
from newsdesk.funding.models_lifecycle import LifecycleKind, LifecycleMail, LifecycleMessage
from newsdesk.funding.services.checkout import GiftRequest, demo_checkout_complete

CARD_DONOR = ("Lena Brandt", "lena.brandt@example.org")
# (kind, address, days ago): mails the demo site "sent" before today.
SENT = [
    (LifecycleKind.WELCOME, "tomas.reyes@example.org", 40),
    (LifecycleKind.WELCOME, "priya.n@example.org", 33),
    (LifecycleKind.MONTHLY_RECEIPT, "priya.n@example.org", 3),
    (LifecycleKind.RENEWAL_REMINDER, "gus.holm@example.org", 12),
    (LifecycleKind.LAPSED, "old.friend@example.org", 6),
]


def _words_ensure() -> None:
    from importlib import import_module

    defaults = import_module("newsdesk.funding.migrations.0006_lifecycle_default_messages")
    for kind, (subject, body) in defaults.MESSAGES.items():
        LifecycleMessage.objects.get_or_create(
            kind=kind, defaults={"subject": subject, "body": body}
        )


def _card_expiring_donor() -> RecurringGift | None:
    """A monthly gift given through the demo checkout, its card expiring this month."""
    name, email = CARD_DONOR
    gift = RecurringGift.objects.filter(donor_email=email).first()
    if gift is None:
        campaign = Campaign.objects.filter(is_active=True).order_by("-starts_at").first()
        if campaign is None:
            return None
        demo_checkout_complete(
            gift=GiftRequest(
                campaign_id=campaign.pk,
                amount=Decimal("12"),
                currency=campaign.currency,
                monthly=True,
                email=email,
                donor_name=name,
                message="",
                attempt_key="demo-donor-emails-card",
            )
        )
        gift = RecurringGift.objects.filter(donor_email=email).first()
    if gift is None:
        return None
    today = timezone.localdate()
    RecurringGift.objects.filter(pk=gift.pk).update(
        card_brand="visa", card_last4="4242", card_exp_month=today.month, card_exp_year=today.year
    )
    return gift


def load(*, stdout) -> None:
    _words_ensure()
    gift = _card_expiring_donor()
    now = timezone.now()
    recorded = 0
    for number, (kind, email, days_ago) in enumerate(SENT, start=1):
        when = now - timedelta(days=days_ago)
        _, created = LifecycleMail.objects.get_or_create(
            occasion=f"demo:{kind}:{number}",
            defaults={
                "kind": kind,
                "email": email,
                "status": LifecycleMail.Status.SENT,
                "created_at": when,
                "sent_at": when + timedelta(seconds=20),
                "note": "Demo content",
                "donation": Donation.objects.filter(donor_email=email).first(),
            },
        )
        recorded += created
    stdout.write(
        f"Donor e-mails: {recorded} recorded as sent; "
        + (f"{CARD_DONOR[1]}'s card expires this month" if gift else "no campaign for the card")
    )
