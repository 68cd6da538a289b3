"""Provider events about a monthly gift's life after it began: the donor's changes (amount,
pause, resume, card) as ``customer.subscription.updated`` and the card's events report them,
and charges that failed (``invoice.payment_failed``).

Each handler runs inside ``provider_event_process``'s transaction (the event stored once,
the ledger lock held). A subscription's state is applied only when the event is newer than
``RecurringGift.state_as_of``, so events arriving in any order leave the newest state.
"""

from newsdesk.funding.services.events_base import Handler

SUBSCRIPTION_HANDLERS: dict[str, Handler] = {}
