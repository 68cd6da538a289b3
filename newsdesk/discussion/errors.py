"""What a discussion service refuses, with the message a reader sees and an HTTP status."""


class DiscussionError(Exception):
    """A request that cannot be done as asked; nothing was written."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidComment(DiscussionError):
    status_code = 400


class NotAllowed(DiscussionError):
    status_code = 403


class NotFound(DiscussionError):
    status_code = 404


class AlreadyDone(DiscussionError):
    status_code = 409
