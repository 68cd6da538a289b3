"""What a moderation service refuses: the app's names for core's kinds of refusal
(``newsdesk.core.errors``), so ``except ModerationError`` catches this app's alone."""

from newsdesk.core import errors as core


class ModerationError(core.ServiceError):
    """A moderation request that cannot be done as asked; nothing was written."""


class InvalidInput(ModerationError, core.Invalid):
    pass


class NotAllowed(ModerationError, core.Forbidden):
    pass


class NotFound(ModerationError, core.NotFound):
    pass


class AlreadyDone(ModerationError, core.Conflict):
    pass
