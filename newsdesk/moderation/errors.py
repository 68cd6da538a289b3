"""What a moderation service refuses, with the message people see and an HTTP status."""


class ModerationError(Exception):
    """A request that cannot be done as asked; nothing was written."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ModerationError):
    status_code = 400


class NotAllowed(ModerationError):
    status_code = 403


class NotFound(ModerationError):
    status_code = 404


class AlreadyDone(ModerationError):
    status_code = 409
