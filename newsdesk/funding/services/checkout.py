"""Starting a gift: a Stripe Checkout Session, or the demo provider's local page.

The demo provider finishes a payment by building the events Stripe would send
(``checkout.session.completed``, and ``invoice.paid`` for a monthly gift) and handing them to
``provider_event_process``, the webhook's own path.
"""

import json
import time
import uuid
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from newsdesk.core.siteurl import site_url
from newsdesk.funding import conf
from newsdesk.funding.models import Campaign
from newsdesk.funding.money import to_minor_units
from newsdesk.funding.services.events import EventOutcome, provider_event_process
from newsdesk.funding.services.stripe_gateway import stripe_checkout_session_create

DEMO_SALT = "newsdesk.funding.demo-checkout"
DEMO_TOKEN_MAX_AGE = 60 * 60


@dataclass(frozen=True)
class GiftRequest:
    """A validated gift from the donate form. ``attempt_key`` identifies the form served."""

    campaign_id: int
    amount: Decimal
    currency: str
    monthly: bool
    email: str
    donor_name: str
    message: str
    attempt_key: str
    # What the donor adds to cover the provider's fees (``fees.fee_for``, computed by the
    # server), charged on top of ``amount``; and the live page the reader gave from.
    fee: Decimal = Decimal(0)
    source_page_id: int | None = None

    @property
    def total(self) -> Decimal:
        """What is charged: the gift and the fees the donor covers."""
        return self.amount + self.fee


def _metadata(gift: GiftRequest) -> dict[str, str]:
    # Stripe keeps metadata values up to 500 characters; the form caps the message at that.
    # ``fee_covered`` (minor units) tells the events which part of the charge is the fee.
    return {
        "campaign_id": str(gift.campaign_id),
        "donor_name": gift.donor_name,
        "message": gift.message,
        "source": "newsdesk",
        "fee_covered": str(to_minor_units(gift.fee, currency=gift.currency)),
        "source_page_id": str(gift.source_page_id or ""),
    }


def _product_name(*, gift: GiftRequest, campaign: Campaign) -> str:
    """What the provider's payment page calls the gift, in the reader's language."""
    values = {"campaign": campaign.name}
    if gift.monthly and gift.fee:
        return _("Monthly gift: %(campaign)s (card fees covered)") % values
    if gift.monthly:
        return _("Monthly gift: %(campaign)s") % values
    if gift.fee:
        return _("Gift: %(campaign)s (card fees covered)") % values
    return _("Gift: %(campaign)s") % values


def checkout_start(*, gift: GiftRequest, campaign: Campaign) -> str:
    """Start paying for ``gift``; returns the URL to send the reader to."""
    site = site_url()  # Stripe's return addresses: the site's (core/siteurl.py)
    if conf.payment_provider() == "stripe":
        session = stripe_checkout_session_create(
            attempt_key=gift.attempt_key,
            monthly=gift.monthly,
            amount=gift.total,
            currency=gift.currency,
            product_name=_product_name(gift=gift, campaign=campaign),
            email=gift.email,
            metadata=_metadata(gift),
            success_url=site
            + reverse("funding:thanks")
            + "?session_id={CHECKOUT_SESSION_ID}"
            + ("&monthly=1" if gift.monthly else ""),
            cancel_url=site + reverse("funding:donate"),
        )
        return session["url"]
    payload = {**asdict(gift), "amount": str(gift.amount), "fee": str(gift.fee)}
    token = signing.dumps(payload, salt=DEMO_SALT, compress=True)
    return reverse("funding:demo_checkout", kwargs={"token": token})


def demo_gift_read(*, token: str) -> GiftRequest:
    """The gift a demo checkout page is for; raises ``signing.BadSignature`` if forged."""
    data = signing.loads(token, salt=DEMO_SALT, max_age=DEMO_TOKEN_MAX_AGE)
    return GiftRequest(
        **{**data, "amount": Decimal(data["amount"]), "fee": Decimal(data.get("fee", "0"))}
    )


def demo_checkout_complete(*, gift: GiftRequest) -> list[EventOutcome]:
    """Pay ``gift`` with the demo provider: no money moves, the ledger records it as ``demo``.

    The event ids come from the attempt key, so completing the same checkout twice counts
    once, exactly as a replayed webhook would.
    """
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"newsdesk-demo:{gift.attempt_key}").hex
    now = int(time.time())
    minor = to_minor_units(gift.total, currency=gift.currency)
    metadata = _metadata(gift)
    session = {
        "id": f"cs_demo_{key}",
        "object": "checkout.session",
        "mode": "subscription" if gift.monthly else "payment",
        "payment_status": "paid",
        "status": "complete",
        "amount_total": minor,
        "currency": gift.currency.lower(),
        "customer_details": {"email": gift.email},
        "customer": f"cus_demo_{key}",
        "client_reference_id": str(gift.campaign_id),
        "metadata": metadata,
        "payment_intent": None if gift.monthly else f"pi_demo_{key}",
        "subscription": f"sub_demo_{key}" if gift.monthly else None,
    }
    events = [_event(f"evt_demo_{key}_checkout", "checkout.session.completed", session, now)]
    if gift.monthly:
        invoice = {
            "id": f"in_demo_{key}",
            "object": "invoice",
            "billing_reason": "subscription_create",
            "status": "paid",
            "amount_paid": minor,
            "currency": gift.currency.lower(),
            "customer_email": gift.email,
            "customer": f"cus_demo_{key}",
            "payment_intent": f"pi_demo_{key}",
            "subscription": f"sub_demo_{key}",
            "subscription_details": {"metadata": metadata},
        }
        events.append(_event(f"evt_demo_{key}_invoice", "invoice.paid", invoice, now))
    return [provider_event_process(provider="demo", payload=json.dumps(event)) for event in events]


def _event(event_id: str, event_type: str, obj: dict, created: int) -> dict:
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": created,
        "livemode": False,
        "data": {"object": obj},
    }
