"""One log format for every process: the web processes, gunicorn's own lines, the worker and RQ.

``LOG_FORMAT=text`` (the default) writes ``2026-01-31T12:00:00.123Z INFO newsdesk.worker
[1234] message``; ``LOG_FORMAT=json`` writes one JSON object per line with the same keys
(``timestamp``, ``level``, ``logger``, ``process``, ``message``), a record's extras (the
request log's ``request_id``, ``method``, ``path``, ``status``, ``duration_ms``...) and the
traceback as ``exception``. Timestamps are ISO 8601 in UTC, whatever the machine's zone.

The settings build ``LOGGING`` with ``logging_config``: one handler on the root logger,
which every logger reaches. Libraries that add a handler of their own only when none is
reachable (RQ's ``setup_loghandlers``, django-tasks' ``db_worker``) therefore add none, and
their lines carry the same timestamp. gunicorn sets up its loggers before Django starts and
apart from it: ``GunicornLogger`` (named by ``newsdesk/gunicorn_conf.py``) gives them the
same formatter, and turns each access-log line into the request's fields in JSON.

This module imports nothing of Django's settings: the settings and gunicorn's configuration
import it.
"""

import contextlib
import contextvars
import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

LOG_FORMATS = ("text", "json")

# The attributes every LogRecord has: anything else on a record is an extra of the caller's.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))
) | {"message", "asctime", "taskName"}

# gunicorn's access-log atoms and the names the JSON lines give them.
_ACCESS_FIELDS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "f": "referer",
    "a": "user_agent",
}


# The id of the request being answered in this thread (``X-Request-ID``), set by the
# observability middleware: every line logged while answering it carries it (in JSON).
REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("newsdesk_request_id", default="")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to a record logged while a request is answered."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = REQUEST_ID.get()
        if request_id and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


def iso_timestamp(created: float) -> str:
    """``created`` (seconds since the epoch) as ``2026-01-31T12:00:00.123Z``."""
    moment = datetime.fromtimestamp(created, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class TextFormatter(logging.Formatter):
    """``<ISO 8601 UTC> <LEVEL> <logger> [<pid>] <message>``, tracebacks on the lines after."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("%(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = (
            f"{iso_timestamp(record.created)} {record.levelname} {record.name} "
            f"[{record.process}] {record.getMessage()}"
        )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        elif record.exc_text:
            line += "\n" + record.exc_text
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp, level, logger, process, message, the record's
    extras and, for gunicorn's access log, the request's fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": iso_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "process": record.process,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry.update(access_fields(record.args))
        entry["message"] = record.getMessage()
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in entry:
                entry[key] = _jsonable(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def access_fields(atoms: Any) -> dict[str, Any]:
    """The request's fields from gunicorn's access-log atoms (``-`` when gunicorn has none):
    method, path, status, duration in milliseconds, the ``X-Request-ID`` Newsdesk answered."""
    fields: dict[str, Any] = {}
    for atom, name in _ACCESS_FIELDS.items():
        value = atoms.get(atom, "-")
        if value not in ("-", "", None):
            fields[name] = value
    if "status" in fields:
        with contextlib.suppress(ValueError):
            fields["status"] = int(str(fields["status"]).split()[0])
    duration = atoms.get("D")  # microseconds
    if isinstance(duration, int):
        fields["duration_ms"] = round(duration / 1000, 3)
    request_id = atoms.get("{x-request-id}o", "-")
    if request_id not in ("-", "", None):
        fields["request_id"] = request_id
    return fields


def formatter_class(log_format: str) -> type[logging.Formatter]:
    return JsonFormatter if log_format == "json" else TextFormatter


def logging_config(*, log_format: str, level: str = "") -> dict[str, Any]:
    """Django's ``LOGGING``: one stderr handler with the format's formatter on the root
    logger; Newsdesk's loggers, RQ's and django-tasks' at INFO (``level`` sets every one),
    libraries at WARNING."""
    formatter = f"{formatter_class(log_format).__module__}.{formatter_class(log_format).__name__}"
    app_level = level or "INFO"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"newsdesk": {"()": formatter}},
        "filters": {"request_id": {"()": "newsdesk.core.logconfig.RequestIdFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "newsdesk",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level or "WARNING"},
        "loggers": {
            # Through the root's handler (propagate): one handler, so every line is alike.
            "newsdesk": {"level": app_level},
            # The worker's own lines (RQ adds no handler while the root has one).
            "rq": {"level": app_level},
            "django_tasks": {"level": app_level},
            "django_tasks_db": {"level": app_level},
        },
    }


# --- gunicorn --------------------------------------------------------------------------------
def _gunicorn_logger_base() -> type:
    # Imported here: only gunicorn's configuration needs it, not the settings.
    from gunicorn.glogging import Logger  # type: ignore[import-untyped]

    return Logger


def gunicorn_logger_class(log_format: str) -> type:
    """A gunicorn logger class whose error and access lines use ``log_format``'s formatter
    (set up again on every reload, as gunicorn sets up its own)."""
    base = _gunicorn_logger_base()
    formatter = formatter_class(log_format)

    class GunicornLogger(base):  # type: ignore[misc, valid-type]
        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(formatter())

        def now(self) -> str:
            return iso_timestamp(time.time())

    GunicornLogger.__name__ = GunicornLogger.__qualname__ = f"GunicornLogger_{log_format}"
    return GunicornLogger
