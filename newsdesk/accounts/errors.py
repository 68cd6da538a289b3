"""What the accounts app's services refuse (nothing is changed when they do): the app's
names for core's kinds of refusal (``newsdesk.core.errors``)."""

from django.utils.translation import gettext_lazy as _

from newsdesk.core import errors as core


class AccountError(core.ServiceError):
    """An account request that cannot be done as asked; nothing was changed."""


class WrongPassword(AccountError, core.Invalid):
    pass


class NotErasable(AccountError, core.Forbidden):
    """Staff accounts are removed by an administrator, not by themselves."""


class ErasureFailed(AccountError, core.Unavailable):
    """Something outside the site (the payment provider) refused; nothing was erased."""


class UnknownAction(AccountError, core.Invalid):
    """A form asked an account page for something it does not do."""

    default_message = _("That is not something this page can do.")
