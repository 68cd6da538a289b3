"""What the accounts app's services refuse (nothing is changed when they do)."""

from newsdesk.core.errors import ServiceError


class AccountError(ServiceError):
    pass


class WrongPassword(AccountError):
    status_code = 400


class NotErasable(AccountError):
    """Staff accounts are removed by an administrator, not by themselves."""

    status_code = 403


class ErasureFailed(AccountError):
    """Something outside the site (the payment provider) refused; nothing was erased."""

    status_code = 503
