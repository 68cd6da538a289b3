"""What a moderation service refuses, with the message people see and an HTTP status."""

from newsdesk.core.errors import ServiceError


class ModerationError(ServiceError):
    """A moderation request that cannot be done as asked; nothing was written."""


class InvalidInput(ModerationError):
    status_code = 400


class NotAllowed(ModerationError):
    status_code = 403


class NotFound(ModerationError):
    status_code = 404


class AlreadyDone(ModerationError):
    status_code = 409
