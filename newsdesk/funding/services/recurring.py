"""Monthly gifts: the signed cancel link in receipts, and cancelling."""

from django.core import signing
from django.db import transaction
from django.utils import timezone

from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.services.stripe_gateway import stripe_subscription_cancel

CANCEL_SALT = "newsdesk.funding.cancel-monthly-gift"


def recurring_gift_cancel_token(*, gift: RecurringGift) -> str:
    """A token naming ``gift``, for the cancel link in its receipts (it does not expire)."""
    return signing.dumps(
        {"provider": gift.provider, "subscription": gift.subscription_id}, salt=CANCEL_SALT
    )


def recurring_gift_from_token(*, token: str) -> RecurringGift | None:
    """The gift a cancel link names, or None for a forged or unknown one."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return RecurringGift.objects.filter(
        provider=data.get("provider"), subscription_id=data.get("subscription")
    ).first()


def recurring_gift_cancel(*, gift: RecurringGift) -> RecurringGift:
    """Stop a monthly gift: Stripe cancels the subscription (idempotently), then we record it.

    The demo and manual providers have no one to tell; the gift is marked cancelled. A Stripe
    error propagates and nothing changes here, so the donor can try again.
    """
    if gift.status == RecurringGift.Status.CANCELLED:
        return gift
    if gift.provider == Donation.Provider.STRIPE:
        stripe_subscription_cancel(subscription_id=gift.subscription_id)
    with transaction.atomic():
        RecurringGift.objects.filter(pk=gift.pk, status=RecurringGift.Status.ACTIVE).update(
            status=RecurringGift.Status.CANCELLED, cancelled_at=timezone.now()
        )
    gift.refresh_from_db()
    return gift
