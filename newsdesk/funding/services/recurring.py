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
    if not isinstance(data, dict):
        return None
    return RecurringGift.objects.filter(
        provider=data.get("provider"), subscription_id=data.get("subscription")
    ).first()


def recurring_gift_cancel(*, gift: RecurringGift) -> RecurringGift:
    """Stop a monthly gift: ask the provider, and let its signed event record the end.

    Stripe cancels the subscription (one idempotency key per subscription: asked twice, it
    cancels once) and its ``customer.subscription.deleted`` event marks the gift cancelled
    (``events_subscriptions.py``), a moment later. The demo provider sends that event at once.
    A gift a treasurer recorded has no provider to ask and is marked cancelled here. A Stripe
    error propagates (``stripe.StripeError``) and nothing changes, so the donor can try again.
    Returns the gift as it now stands.
    """
    if gift.status == RecurringGift.Status.CANCELLED:
        return gift
    if gift.provider == Donation.Provider.STRIPE:
        stripe_subscription_cancel(subscription_id=gift.subscription_id)
    elif gift.provider == Donation.Provider.DEMO:
        from newsdesk.funding.services.giving import demo_subscription_deleted

        demo_subscription_deleted(gift=gift)
    else:
        with transaction.atomic():
            RecurringGift.objects.filter(
                pk=gift.pk, status__in=[RecurringGift.Status.ACTIVE, RecurringGift.Status.PAUSED]
            ).update(status=RecurringGift.Status.CANCELLED, cancelled_at=timezone.now())
    gift.refresh_from_db()
    return gift
