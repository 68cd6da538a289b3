"""What a discussion service refuses, with the message a reader sees and an HTTP status."""

from newsdesk.core.errors import ServiceError


class DiscussionError(ServiceError):
    """A discussion request that cannot be done as asked; nothing was written."""


class InvalidComment(DiscussionError):
    status_code = 400


class NotAllowed(DiscussionError):
    status_code = 403


class NotFound(DiscussionError):
    status_code = 404


class AlreadyDone(DiscussionError):
    status_code = 409
