"""What a service refuses: one tree for every app.

``ServiceError`` carries the message people see, the field it concerns (if one) and the HTTP
status an answer takes. Its kinds below are the only statuses a refusal has; each app names
its own refusals by subclassing its app root *and* one kind (``class NotFound(DiscussionError,
core.NotFound)``), so a caller can catch one app's refusals, or one kind across apps, or all
of them (the API's one handler catches ``ServiceError``). Nothing is written when a service
raises one of these.
"""

from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy


class ServiceError(Exception):
    """A request that cannot be done as asked; nothing was written.

    ``message`` is a sentence for the person who made the request, translated
    (``gettext`` where raised, in the request's language; ``default_message`` is lazy and
    takes the language of the moment it is shown).
    """

    status_code = 400
    default_message: "str | StrPromise" = gettext_lazy("This request cannot be done.")

    def __init__(self, message: "str | StrPromise" = "", *, field: str | None = None):
        message = str(message or self.default_message)
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(ServiceError):
    """What was sent cannot be taken as it is (a field's value, a missing part)."""

    status_code = 400


class Forbidden(ServiceError):
    """This reader may not do this (not theirs, closed, banned, a failed CSRF check)."""

    status_code = 403


class NotFound(ServiceError):
    """What the request names does not exist, or is not visible to this reader."""

    status_code = 404


class Conflict(ServiceError):
    """Done already, or the state changed under the request (a second vote, a deleted one)."""

    status_code = 409


class RateLimited(ServiceError):
    """Too many such requests from this reader or address in the limit's window."""

    status_code = 429
    default_message = gettext_lazy(
        "You are doing that too often; wait a few minutes and try again."
    )


class Unavailable(ServiceError):
    """Something outside the site (a provider) did not do its part; try again later."""

    status_code = 503


KINDS: tuple[type[ServiceError], ...] = (
    Invalid,
    Forbidden,
    NotFound,
    Conflict,
    RateLimited,
    Unavailable,
)


def error_body(error: ServiceError) -> dict[str, str]:
    """The JSON answer to a refusal, the one shape of every API and script answer:
    ``{"detail": message}``, with ``"field"`` when the refusal concerns one field."""
    body = {"detail": error.message}
    if error.field:
        body["field"] = error.field
    return body
