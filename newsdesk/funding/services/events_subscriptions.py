"""Provider events about a monthly gift's life after it began: the donor's changes (amount,
pause, resume, card) as ``customer.subscription.updated`` and the card's events report them,
its end (``customer.subscription.deleted``), and charges that failed
(``invoice.payment_failed``).

Each handler runs inside ``provider_event_process``'s transaction (the event stored once,
the ledger lock held). A subscription's state is applied only when the event is newer than
``RecurringGift.state_as_of``, so events arriving in any order leave the newest state, and a
cancelled gift stays cancelled (Stripe never revives a cancelled subscription). None of
these events writes money: a gift's money is its invoices' (``events.py``).

Which events carry what (Stripe's "Update payment details" and "Pause payment collection"
guides): ``customer.subscription.updated`` the amount (the item's price), the
pause (``pause_collection``) and the customer; ``payment_method.attached`` the card (brand,
last four digits, expiry) and its customer; ``setup_intent.succeeded`` the card a donor set
up for a subscription (its metadata names it), which we then make the subscription's
default payment method (a task calling Stripe, after the commit).

An event about a subscription or customer the ledger has not met yet waits (``deferred``)
for the gift: it is applied when the gift is recorded or learns its customer.
"""

from datetime import datetime
from decimal import Decimal

from newsdesk.core.taskqueue import task_enqueue_with_commit
from newsdesk.funding.models import Donation, ProviderEvent, RecurringGift
from newsdesk.funding.models_lifecycle import LifecycleKind
from newsdesk.funding.services.events_base import Applied, Handler, event_money, event_time
from newsdesk.funding.services.lifecycle import lifecycle_mail_queue

LIVE = (RecurringGift.Status.ACTIVE, RecurringGift.Status.PAUSED)


def _gift(record: ProviderEvent, subscription_id: str) -> RecurringGift | None:
    if not subscription_id:
        return None
    return RecurringGift.objects.filter(
        provider=record.provider, subscription_id=subscription_id
    ).first()


def _wait(key: str, what: str) -> Applied:
    return Applied(status=ProviderEvent.Status.DEFERRED, waits_for=key, note=f"Waits for {what}.")


def _apply_waiting(keys: list[str]) -> None:
    # events.py imports this module for its table of handlers: imported here, at run time.
    from newsdesk.funding.services.events import _deferred_events_apply

    _deferred_events_apply(keys=keys)


def _item_amount(obj: dict) -> tuple[Decimal, str] | None:
    """The monthly amount of the subscription's (one) item: its price times its quantity."""
    items = (obj.get("items") or {}).get("data") or []
    if not items:
        return None
    item = items[0]
    price = item.get("price") or item.get("plan") or {}
    unit = price.get("unit_amount", price.get("amount"))
    if unit is None or not price.get("currency"):
        return None
    quantity = item.get("quantity") or 1
    return event_money(unit * quantity, price["currency"])


def _metadata_fee(obj: dict, *, currency: str) -> Decimal | None:
    """The fee the subscription's metadata says each charge covers, if it says (minor
    units, as the checkout and the amount change write it)."""
    raw = str((obj.get("metadata") or {}).get("fee_covered", ""))
    if not raw.isdigit():
        return None
    return event_money(int(raw), currency)[0]


def _card(payment_method: dict) -> dict:
    card = payment_method.get("card") or {}
    return {
        "card_brand": str(card.get("brand") or "")[:20],
        "card_last4": str(card.get("last4") or "")[:4],
        "card_exp_month": card.get("exp_month") if isinstance(card.get("exp_month"), int) else None,
        "card_exp_year": card.get("exp_year") if isinstance(card.get("exp_year"), int) else None,
    }


def _subscription_state(*, record: ProviderEvent, obj: dict, event: dict) -> Applied:
    """``customer.subscription.updated``: the whole subscription as of the
    event; the newest one wins."""
    gift = _gift(record, obj["id"])
    if gift is None:
        return _wait(obj["id"], "its monthly gift to be recorded")
    when = event_time(event)
    if gift.status == RecurringGift.Status.CANCELLED:
        return Applied(note="The monthly gift has ended: nothing changes.")
    if gift.state_as_of is not None and when < gift.state_as_of:
        return Applied(note="Older than the gift's state: nothing changes.")
    changes: dict[str, object] = {"state_as_of": when}
    money = _item_amount(obj)
    if money is not None:
        changes["amount"], changes["currency"] = money
        fee = _metadata_fee(obj, currency=money[1])
        if fee is not None and fee < money[0]:
            changes["fee_covered"] = fee  # the donor covers the fees on the new amount
        elif gift.fee_covered > money[0]:  # a lower amount cannot cover more than itself
            changes["fee_covered"] = Decimal(0)
    if obj.get("status") == "canceled":
        changes.update(status=RecurringGift.Status.CANCELLED, cancelled_at=when)
    elif obj.get("pause_collection"):
        changes["status"] = RecurringGift.Status.PAUSED
        if gift.status != RecurringGift.Status.PAUSED:
            changes["paused_at"] = when
    else:
        changes.update(status=RecurringGift.Status.ACTIVE, paused_at=None)
    customer = obj.get("customer")
    new_customer = isinstance(customer, str) and customer and customer != gift.customer_id
    if new_customer:
        changes["customer_id"] = customer
    payment_method = obj.get("default_payment_method")
    if isinstance(payment_method, dict) and payment_method.get("card"):
        changes.update(_card(payment_method))  # expanded (the demo provider sends it so)
    RecurringGift.objects.filter(pk=gift.pk).update(**changes)
    if new_customer:
        _apply_waiting([str(customer)])
    return Applied(note=f"Monthly gift now {changes.get('status', gift.status)}.")


def _subscription_deleted(*, record: ProviderEvent, obj: dict, event: dict) -> Applied:
    gift = _gift(record, obj["id"])
    if gift is None:
        return _wait(obj["id"], "its monthly gift to be recorded")
    when = event_time(event)
    updated = RecurringGift.objects.filter(pk=gift.pk, status__in=LIVE).update(
        status=RecurringGift.Status.CANCELLED,
        cancelled_at=when,
        state_as_of=max(when, gift.state_as_of) if gift.state_as_of else when,
    )
    return Applied(note="Monthly gift ended." if updated else "No running gift to end.")


def _invoice_subscription_id(obj: dict) -> str:
    parent = (obj.get("parent") or {}).get("subscription_details") or {}
    subscription = obj.get("subscription") or parent.get("subscription") or ""
    if isinstance(subscription, dict):
        subscription = subscription.get("id", "")
    return str(subscription)


def _paid_since(gift: RecurringGift, when: datetime) -> bool:
    return Donation.objects.filter(
        provider=gift.provider,
        subscription_id=gift.subscription_id,
        kind=Donation.Kind.PAYMENT,
        received_at__gt=when,
    ).exists()


def _invoice_payment_failed(*, record: ProviderEvent, obj: dict, event: dict) -> Applied:
    """A monthly charge failed: the gift says so, and the donor gets one e-mail per invoice
    (its retries fail under the same invoice) with the link to change the card."""
    subscription_id = _invoice_subscription_id(obj)
    if not subscription_id:
        return Applied(status=ProviderEvent.Status.IGNORED, note="Not a monthly gift's invoice.")
    gift = _gift(record, subscription_id)
    if gift is None:
        return _wait(subscription_id, "its monthly gift to be recorded")
    when = event_time(event)
    if _paid_since(gift, when):
        return Applied(note="A later charge was paid: nothing to tell the donor.")
    if gift.payment_failed_at is None or gift.payment_failed_at < when:
        RecurringGift.objects.filter(pk=gift.pk).update(payment_failed_at=when)
    queued = lifecycle_mail_queue(
        kind=LifecycleKind.PAYMENT_FAILED,
        occasion=f"payment_failed:{obj['id']}",
        email=gift.donor_email or obj.get("customer_email") or "",
        recurring_gift=gift,
    )
    return Applied(note="Charge failed; donor told." if queued else "Charge failed.")


def _payment_method_attached(*, record: ProviderEvent, obj: dict, event: dict) -> Applied:
    """A card attached to a monthly donor's customer (at the first checkout, or set up to
    replace the card): the running gifts of that customer show it."""
    customer = obj.get("customer")
    if not isinstance(customer, str) or not customer or not obj.get("card"):
        return Applied(status=ProviderEvent.Status.IGNORED, note="No card for a customer.")
    gifts = RecurringGift.objects.filter(
        provider=record.provider, customer_id=customer, status__in=LIVE
    )
    if not gifts.exists():
        return _wait(customer, "a monthly gift of this customer")
    gifts.update(**_card(obj))
    return Applied(note=f"Card ending {obj['card'].get('last4', '')} on file.")


def _setup_intent_succeeded(*, record: ProviderEvent, obj: dict, event: dict) -> Applied:
    """A donor set up a new card for a gift (Checkout in setup mode): Stripe is asked, after
    the commit, to charge it from the next invoice on."""
    subscription_id = str((obj.get("metadata") or {}).get("subscription_id") or "")
    payment_method = obj.get("payment_method")
    if isinstance(payment_method, dict):
        payment_method = payment_method.get("id")
    if not subscription_id or not payment_method:
        return Applied(status=ProviderEvent.Status.IGNORED, note="Not a monthly gift's card.")
    gift = _gift(record, subscription_id)
    if gift is None or gift.status == RecurringGift.Status.CANCELLED:
        return Applied(status=ProviderEvent.Status.IGNORED, note="No running gift for it.")
    if record.provider == Donation.Provider.STRIPE:
        from newsdesk.funding.services.giving import recurring_gift_card_default_apply

        task_enqueue_with_commit(
            recurring_gift_card_default_apply,
            robust=True,
            gift_id=gift.pk,
            payment_method_id=str(payment_method),
        )
    return Applied(note="New card set up: it becomes the gift's card.")


SUBSCRIPTION_HANDLERS: dict[str, Handler] = {
    "customer.subscription.updated": _subscription_state,
    "customer.subscription.deleted": _subscription_deleted,
    "invoice.payment_failed": _invoice_payment_failed,
    "payment_method.attached": _payment_method_attached,
    "setup_intent.succeeded": _setup_intent_succeeded,
}
