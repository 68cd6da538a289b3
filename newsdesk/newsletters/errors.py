"""What the newsletters app refuses: the app's names for core's kinds of refusal
(``newsdesk.core.errors``). Nothing is written when a service raises one of these."""

from newsdesk.core import errors as core


class NewsletterError(core.ServiceError):
    """A newsletter request that cannot be done as asked; nothing was written."""


class InvalidSubscription(NewsletterError, core.Invalid):
    """A sign-up, confirmation or preference change that cannot be taken as sent."""


class SubscriptionNotFound(NewsletterError, core.NotFound):
    """An unknown or expired confirmation or preferences link."""


class SendRefused(NewsletterError, core.Conflict):
    """A send that cannot start or change now (already sent, cancelled, nothing to send)."""


class ImportRefused(NewsletterError, core.Invalid):
    """A subscriber file the import cannot take (its format, a row without consent)."""


class SignupRateLimited(NewsletterError, core.RateLimited):
    """Too many sign-up requests from one client address; try again later."""
