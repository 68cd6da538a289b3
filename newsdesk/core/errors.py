"""The base of what a service refuses: a message people see, the field it concerns, and
the HTTP status a view answers with. Each app subclasses it, so callers can catch one
app's refusals without catching another's."""


class ServiceError(Exception):
    """A request that cannot be done as asked; nothing was written."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
