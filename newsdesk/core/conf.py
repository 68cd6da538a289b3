"""One way for an app to read its settings: ``setting(name)``, at the moment of use.

Every Newsdesk setting is declared, with its default, in the ``newsdesk.settings`` package
(from the environment through ``newsdesk/settings/env.py``). An app's ``conf.py`` reads its
values through ``setting`` each time they are used, never once at import, so a newsroom's
environment and a test's ``override_settings`` (or pytest-django's ``settings`` fixture) both
apply. A name the settings do not declare is a programming error, not a silent default.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def setting(name: str) -> Any:
    """The current value of the Django setting ``name``.

    Raises ``ImproperlyConfigured`` naming it when no settings module declares it (a typo, or
    a setting added to an app without its declaration in ``newsdesk/settings/``).
    """
    try:
        return getattr(settings, name)
    except AttributeError:
        raise ImproperlyConfigured(
            f"The setting {name} is not declared: add it, with its default, to newsdesk/settings/."
        ) from None


def lazy_attributes(module_name: str, readers: dict[str, Any]):
    """A module ``__getattr__`` that computes each of ``readers``' names when it is read.

    An app's ``conf.py`` keeps its attribute names (``conf.RATE_POST``) while every read goes
    to the settings of the moment: ``__getattr__ = lazy_attributes(__name__, {...})`` where
    each value is a function of no arguments.
    """

    def __getattr__(name: str) -> Any:
        reader = readers.get(name)
        if reader is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        return reader()

    return __getattr__
