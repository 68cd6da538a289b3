"""What the funding app refuses: the app's names for core's kinds of refusal
(``newsdesk.core.errors``). ``money.MoneyError`` and ``services.events.EventError`` are
these classes, imported there under their old homes."""

from newsdesk.core import errors as core


class FundingError(core.ServiceError):
    """A funding request that cannot be done as asked; nothing was written."""


class MoneyError(FundingError, core.Invalid):
    """An amount or currency a reader or a provider sent that the ledger cannot take."""


class EventError(FundingError, core.Invalid):
    """A verified event whose content the ledger cannot take (a malformed payload)."""


class RefundRefused(FundingError, core.Invalid):
    """A refund the ledger refuses before asking the provider (too much, not settled)."""


class ProviderUnavailable(FundingError, core.Unavailable):
    """The payment provider refused or did not answer; nothing was written (503: try again)."""


class InvalidChoice(FundingError, core.Invalid):
    """A choice outside what a screen offers (a period, a format): 400 saying what to pick."""
