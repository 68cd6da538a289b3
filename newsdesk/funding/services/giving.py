"""A donor's changes to a monthly gift: its amount, a pause, a resume, the card.

Every change is *asked of the provider* and changes nothing here: the gift changes when the
provider's signed event about it arrives (``events_subscriptions.py``), exactly as a gift's
money does. With Stripe that is the webhook, a moment later; the demo provider builds the
event Stripe would send and hands it to ``provider_event_process`` at once, so the demo
donor sees the change on the next page. Cancelling is ``recurring.recurring_gift_cancel``.

``attempt_key`` names the page the donor asked from (a hidden field of its forms): a double
click asks once (Stripe's idempotency key, the demo event's id), the same change asked again
from a new page is a new request.
"""

import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import stripe
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from newsdesk.core import errors as core
from newsdesk.core.siteurl import absolute_url
from newsdesk.funding import conf
from newsdesk.funding.errors import FundingError, ProviderUnavailable
from newsdesk.funding.fees import fee_for
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.money import amount_parse, to_minor_units
from newsdesk.funding.services import stripe_subscriptions as stripe_api
from newsdesk.funding.services.events import provider_event_process
from newsdesk.funding.services.recurring import recurring_gift_cancel

DEMO_CARD_SALT = "newsdesk.funding.demo-card"
DEMO_CARD_MAX_AGE = 60 * 60
ATTEMPT_PATTERN = re.compile(r"^[0-9a-f]{32}$")
PROVIDER_DOWN = gettext_lazy(
    "The payment service did not answer, so nothing changed. Please try again."
)


class GiftChangeRefused(FundingError, core.Conflict):
    """The gift is not in a state that allows this change (a paused gift paused again)."""


class GiftChangeInvalid(FundingError, core.Invalid):
    """What the donor sent cannot be taken (an amount, an unknown action)."""


@dataclass(frozen=True)
class GiftChange:
    """What a donor asked: ``asked`` says it in words; ``redirect`` is where to send them
    next (the provider's card page), empty when they stay on their page."""

    action: str
    asked: str
    redirect: str = ""
    done: bool = False  # the provider's event has landed: the page shows the new state

    @property
    def said(self) -> str:
        """What the page tells the donor after the form: what they asked, and where it is."""
        if self.done:
            return _("%(asked)s Done: the payment service confirmed it.") % {"asked": self.asked}
        return _(
            "%(asked)s The payment service is confirming it: reload this page in a moment."
        ) % {"asked": self.asked}


def _attempt(attempt_key: str) -> str:
    if not ATTEMPT_PATTERN.match(attempt_key or ""):
        raise GiftChangeInvalid(_("This form has expired: reload the page and try again."))
    return attempt_key


def _live(gift: RecurringGift) -> None:
    if gift.status == RecurringGift.Status.CANCELLED:
        raise GiftChangeRefused(
            _("This monthly gift has ended; start a new one from the donate page.")
        )
    if gift.provider == Donation.Provider.MANUAL:
        raise GiftChangeRefused(
            _("The newsroom records this gift by hand: write to them to change it.")
        )


def _stripe(call: Callable[..., object], **kwargs: object) -> None:
    try:
        call(**kwargs)
    except stripe.StripeError as error:
        raise ProviderUnavailable(PROVIDER_DOWN) from error


# --- the demo provider: Stripe's events, built here --------------------------------------
def _demo_customer(gift: RecurringGift) -> str:
    return gift.customer_id or f"cus_demo_{gift.subscription_id.removeprefix('sub_demo_')}"[:255]


def _demo_subscription(gift: RecurringGift, **changes: Any) -> dict:
    """The subscription as Stripe would report it: ``gift`` as it stands, then ``changes``."""
    amount = changes.pop("amount", gift.amount)
    paused = changes.pop("paused", gift.status == RecurringGift.Status.PAUSED)
    price = {
        "object": "price",
        "currency": gift.currency.lower(),
        "unit_amount": to_minor_units(amount, currency=gift.currency),
        "recurring": {"interval": "month", "interval_count": 1},
        "type": "recurring",
    }
    return {
        "id": gift.subscription_id,
        "object": "subscription",
        "customer": _demo_customer(gift),
        "status": "active",
        "pause_collection": {"behavior": "void", "resumes_at": None} if paused else None,
        "items": {
            "object": "list",
            "data": [{"id": f"si_{gift.subscription_id}", "price": price, "quantity": 1}],
        },
        **changes,
    }


def _demo_events(key: str, events: list[tuple[str, dict]]) -> None:
    """Hand ``events`` to the webhook's path; their ids come from ``key``, so the same
    request sent twice is a replay that changes nothing."""
    base = uuid.uuid5(uuid.NAMESPACE_URL, f"newsdesk-demo-giving:{key}").hex
    now = int(time.time())
    for number, (event_type, obj) in enumerate(events):
        event = {
            "id": f"evt_demo_{base}_{number}",
            "object": "event",
            "type": event_type,
            "created": now,
            "livemode": False,
            "data": {"object": obj},
        }
        provider_event_process(provider=Donation.Provider.DEMO, payload=json.dumps(event))


# --- the donor's changes --------------------------------------------------------------------
def recurring_gift_amount_change(*, gift: RecurringGift, amount: Decimal, attempt_key: str) -> None:
    """Ask the provider to charge ``amount`` a month from the next charge on (no proration),
    and the fees on it when the donor covers them.

    Raises ``GiftChangeInvalid`` for an amount the ledger cannot take, ``GiftChangeRefused``
    for an ended gift, ``ProviderUnavailable`` when Stripe fails; nothing changes then.
    """
    attempt_key = _attempt(attempt_key)
    _live(gift)
    if amount <= 0 or amount > conf.max_gift():
        raise GiftChangeInvalid(_("Choose an amount the donate page would take."), field="amount")
    # A donor who covers the fees keeps covering them: the fee is worked out again for the
    # new gift and charged with it, and the subscription's metadata says how much of each
    # charge it is (each invoice's fee row reads it).
    fee = fee_for(amount=amount, currency=gift.currency) if gift.fee_covered > 0 else Decimal(0)
    minor = to_minor_units(amount + fee, currency=gift.currency)
    metadata = {"fee_covered": str(to_minor_units(fee, currency=gift.currency))}
    if gift.provider == Donation.Provider.STRIPE:
        _stripe(
            stripe_api.stripe_subscription_amount_change,
            subscription_id=gift.subscription_id,
            amount_minor=minor,
            currency=gift.currency,
            attempt_key=attempt_key,
            metadata=metadata,
        )
        return
    subscription = _demo_subscription(gift, amount=amount + fee, metadata=metadata)
    _demo_events(
        f"amount:{gift.subscription_id}:{minor}:{attempt_key}",
        [("customer.subscription.updated", subscription)],
    )


def recurring_gift_pause(*, gift: RecurringGift, attempt_key: str) -> None:
    """Ask the provider to stop charging until the donor resumes (invoices voided)."""
    attempt_key = _attempt(attempt_key)
    _live(gift)
    if gift.status == RecurringGift.Status.PAUSED:
        raise GiftChangeRefused(_("This monthly gift is already paused."))
    if gift.provider == Donation.Provider.STRIPE:
        _stripe(
            stripe_api.stripe_subscription_pause,
            subscription_id=gift.subscription_id,
            attempt_key=attempt_key,
        )
        return
    _demo_events(
        f"pause:{gift.subscription_id}:{attempt_key}",
        [("customer.subscription.updated", _demo_subscription(gift, paused=True))],
    )


def recurring_gift_resume(*, gift: RecurringGift, attempt_key: str) -> None:
    """Ask the provider to charge a paused gift again from its next date."""
    attempt_key = _attempt(attempt_key)
    _live(gift)
    if gift.status != RecurringGift.Status.PAUSED:
        raise GiftChangeRefused(_("This monthly gift is not paused."))
    if gift.provider == Donation.Provider.STRIPE:
        _stripe(
            stripe_api.stripe_subscription_resume,
            subscription_id=gift.subscription_id,
            attempt_key=attempt_key,
        )
        return
    _demo_events(
        f"resume:{gift.subscription_id}:{attempt_key}",
        [("customer.subscription.updated", _demo_subscription(gift, paused=False))],
    )


def recurring_gift_card_change_start(
    *, gift: RecurringGift, return_path: str, attempt_key: str
) -> str:
    """Where the donor enters a new card for ``gift``: Stripe Checkout in setup mode, or the
    demo provider's card page. Both bring the donor back to ``return_path`` (a path of this
    site, chosen by the view, never by the request)."""
    attempt_key = _attempt(attempt_key)
    _live(gift)
    if not return_path.startswith("/") or return_path.startswith("//"):
        raise GiftChangeInvalid(_("The page to come back to must be on this site."))
    if gift.provider == Donation.Provider.STRIPE:
        try:
            customer = gift.customer_id or stripe_api.stripe_subscription_customer(
                subscription_id=gift.subscription_id
            )
            back = absolute_url(path=return_path)
            return stripe_api.stripe_card_setup_session_create(
                subscription_id=gift.subscription_id,
                customer_id=customer,
                currency=gift.currency,
                success_url=back + ("&" if "?" in back else "?") + "card=updated",
                cancel_url=back,
                attempt_key=attempt_key,
            )
        except stripe.StripeError as error:
            raise ProviderUnavailable(PROVIDER_DOWN) from error
    token = signing.dumps(
        {"gift": gift.pk, "back": return_path, "attempt": attempt_key}, salt=DEMO_CARD_SALT
    )
    return reverse("funding:demo_card", kwargs={"token": token})


@dataclass(frozen=True)
class DemoCardRequest:
    gift: RecurringGift
    return_path: str
    attempt_key: str


def demo_card_request_read(*, token: str) -> DemoCardRequest | None:
    """The gift and return page a demo card page is for; None for a forged or old link."""
    try:
        data = signing.loads(token, salt=DEMO_CARD_SALT, max_age=DEMO_CARD_MAX_AGE)
        gift = RecurringGift.objects.filter(pk=int(data["gift"])).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if gift is None or gift.provider != Donation.Provider.DEMO:
        return None
    return DemoCardRequest(
        gift=gift, return_path=str(data["back"]), attempt_key=str(data["attempt"])
    )


DEMO_CARDS = {
    "4242": ("visa", 4242),
    "4444": ("mastercard", 4444),
    "0005": ("amex", 5),
}


def demo_card_complete(
    *, request: DemoCardRequest, last4: str, exp_month: int, exp_year: int
) -> None:
    """Set the demo card up as Stripe would report it: the card attached to the donor's
    customer (``payment_method.attached``) and the setup done for the gift
    (``setup_intent.succeeded``); a gift that never told its customer reports it first."""
    gift = request.gift
    _live(gift)
    if last4 not in DEMO_CARDS:
        raise GiftChangeInvalid(_("Choose one of the demo cards."), field="card")
    if not (1 <= exp_month <= 12 and 2000 <= exp_year <= 2100):
        raise GiftChangeInvalid(_("Give the card's expiry month and year."), field="expiry")
    brand = DEMO_CARDS[last4][0]
    # The card is part of the key: the page sent again with another card is another card.
    key = f"card:{gift.subscription_id}:{request.attempt_key}:{last4}:{exp_month}:{exp_year}"
    payment_method = f"pm_demo_{uuid.uuid5(uuid.NAMESPACE_URL, key).hex[:24]}"
    events: list[tuple[str, dict]] = []
    if not gift.customer_id:
        events.append(("customer.subscription.updated", _demo_subscription(gift)))
    events.append(
        (
            "payment_method.attached",
            {
                "id": payment_method,
                "object": "payment_method",
                "type": "card",
                "customer": _demo_customer(gift),
                "card": {
                    "brand": brand,
                    "last4": last4,
                    "exp_month": exp_month,
                    "exp_year": exp_year,
                },
            },
        )
    )
    events.append(
        (
            "setup_intent.succeeded",
            {
                "id": f"seti_demo_{payment_method[8:]}",
                "object": "setup_intent",
                "status": "succeeded",
                "customer": _demo_customer(gift),
                "payment_method": payment_method,
                "metadata": {"subscription_id": gift.subscription_id},
            },
        )
    )
    _demo_events(key, events)


@task()
def recurring_gift_card_default_apply(*, gift_id: int, payment_method_id: str) -> bool:
    """After ``setup_intent.succeeded``: make the new card the one Stripe charges for the
    gift. Safe to run twice (one idempotency key per gift and card). False when the gift
    has ended meanwhile."""
    gift = RecurringGift.objects.filter(pk=gift_id).first()
    if gift is None or gift.status == RecurringGift.Status.CANCELLED:
        return False
    stripe_api.stripe_subscription_default_payment_method_set(
        subscription_id=gift.subscription_id, payment_method_id=payment_method_id
    )
    return True


# --- one entry for the forms of both giving pages ---------------------------------------------
ACTIONS = ("amount", "pause", "resume", "cancel", "card")


def recurring_gift_change(
    *, gift: RecurringGift, action: str, amount_text: str, attempt_key: str, return_path: str
) -> GiftChange:
    """Do what one of the giving pages' forms asks for ``gift`` (already known to be the
    donor's); returns what was asked, in words, and whether the provider's event has landed
    yet (the demo provider's at once; Stripe's a moment later). Raises a ``ServiceError``
    when it cannot be asked; nothing changes then."""
    if action == "amount":
        amount = amount_parse(amount_text, currency=gift.currency, maximum=conf.max_gift())
        recurring_gift_amount_change(gift=gift, amount=amount, attempt_key=attempt_key)
        gift.refresh_from_db()
        return GiftChange(
            action,
            _("You asked to change your monthly gift's amount."),
            done=gift.amount == amount,
        )
    if action == "pause":
        recurring_gift_pause(gift=gift, attempt_key=attempt_key)
        gift.refresh_from_db()
        return GiftChange(
            action,
            _("You asked to pause your monthly gift."),
            done=gift.status == RecurringGift.Status.PAUSED,
        )
    if action == "resume":
        recurring_gift_resume(gift=gift, attempt_key=attempt_key)
        gift.refresh_from_db()
        return GiftChange(
            action,
            _("You asked to resume your monthly gift."),
            done=gift.status == RecurringGift.Status.ACTIVE,
        )
    if action == "cancel":
        _attempt(attempt_key)
        if gift.status == RecurringGift.Status.CANCELLED:
            raise GiftChangeRefused(_("This monthly gift has already ended."))
        try:
            gift = recurring_gift_cancel(gift=gift)
        except stripe.StripeError as error:
            raise ProviderUnavailable(PROVIDER_DOWN) from error
        return GiftChange(
            action,
            _("You asked to stop your monthly gift."),
            done=gift.status == RecurringGift.Status.CANCELLED,
        )
    if action == "card":
        url = recurring_gift_card_change_start(
            gift=gift, return_path=return_path, attempt_key=attempt_key
        )
        return GiftChange(action, _("You asked to change your card."), redirect=url)
    raise GiftChangeInvalid(_("Unknown request."))


def demo_subscription_deleted(*, gift: RecurringGift) -> None:
    """The demo provider's cancellation: ``customer.subscription.deleted``, once per gift."""
    subscription = _demo_subscription(gift, status="canceled")
    _demo_events(
        f"cancel:{gift.subscription_id}", [("customer.subscription.deleted", subscription)]
    )
