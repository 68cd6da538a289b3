"""The one place Newsdesk reads its environment: typed readers for the settings modules.

Only the modules of ``newsdesk.settings`` call these; the rest of the code reads Django
settings (``newsdesk.core.conf.setting``). Every variable read here is listed in the README's
"Environment variables" or "Settings of each app" table (``tests/site/test_environment_table.py``
checks both ways). An unset or empty variable gives the default; a value that cannot be read
stops the process with an error naming the variable and the value, never a silent default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class EnvironmentVariableError(ImproperlyConfigured):
    """An environment variable whose value is not of its kind (``PORT=eighty``)."""


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str = "") -> str:
    """The variable's text (surrounding spaces removed), or ``default`` when unset or empty."""
    value = _raw(name)
    return default if value is None else value


def env_int(name: str, default: int) -> int:
    """A whole number (``_`` separators allowed); anything else is an error naming ``name``."""
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise EnvironmentVariableError(f"{name} must be a whole number, not {value!r}.") from None


def env_float(name: str, default: float) -> float:
    """A number of seconds, a fraction...; anything else is an error naming ``name``."""
    value = _raw(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise EnvironmentVariableError(f"{name} must be a number, not {value!r}.") from None


def env_bool(name: str, default: bool) -> bool:
    """``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/``off`` (any case); another
    value is an error naming ``name`` (a typo must not turn a security switch off)."""
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise EnvironmentVariableError(
        f"{name} must be one of 1, true, yes, on, 0, false, no, off; not {value!r}."
    )


def env_list(name: str, default: str = "") -> list[str]:
    """Comma-separated items, each stripped, empty ones dropped; ``default`` is written the
    same way (``"a,b"``)."""
    value = _raw(name)
    text = default if value is None else value
    return [item.strip() for item in text.split(",") if item.strip()]
