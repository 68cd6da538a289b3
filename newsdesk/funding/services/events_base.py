"""What every provider event handler shares: its result, its signature, the event's time
and its amounts. Kept apart from ``events.py`` so that handler modules of their own
(``events_subscriptions.py``) and the main table of handlers can both import it."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.funding.models import ProviderEvent
from newsdesk.funding.money import MoneyError, currency_get, from_minor_units


@dataclass
class Applied:
    status: str = ProviderEvent.Status.PROCESSED
    note: str = ""
    waits_for: str = ""


class Handler(Protocol):
    """What every entry of ``HANDLERS`` is: an event's handler, run in its transaction."""

    def __call__(self, *, record: ProviderEvent, obj: dict, event: dict) -> Applied: ...


def event_time(event: dict) -> datetime:
    created = event.get("created")
    if isinstance(created, int | float) and created > 0:
        return datetime.fromtimestamp(created, tz=UTC)
    return timezone.now()


def event_money(minor: object, currency: str) -> tuple[Decimal, str]:
    code = currency_get(currency).code
    # Stripe sends amounts as integers of minor units; anything else is a malformed event,
    # refused as a whole (bool is an int to Python, not to Stripe).
    if not isinstance(minor, int) or isinstance(minor, bool):
        raise MoneyError(
            _("The amount %(amount)s is not a whole number of minor units.")
            % {"amount": repr(minor)}
        )
    return from_minor_units(minor, currency=code), code
