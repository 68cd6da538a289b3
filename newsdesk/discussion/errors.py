"""What a discussion service refuses: the app's names for core's kinds of refusal
(``newsdesk.core.errors``), so ``except DiscussionError`` catches this app's alone."""

from newsdesk.core import errors as core


class DiscussionError(core.ServiceError):
    """A discussion request that cannot be done as asked; nothing was written."""


class InvalidComment(DiscussionError, core.Invalid):
    pass


class NotAllowed(DiscussionError, core.Forbidden):
    pass


class NotFound(DiscussionError, core.NotFound):
    pass


class AlreadyDone(DiscussionError, core.Conflict):
    pass
