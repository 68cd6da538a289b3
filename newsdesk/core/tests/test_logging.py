"""The one log format (``core/logconfig.py``): text and JSON lines with ISO 8601 UTC
timestamps, RQ's worker lines through it, gunicorn's access lines as request fields, and
``LOG_FORMAT`` refusing what it does not know. The real web and worker processes' lines:
``test_metrics_gunicorn.py``."""

import io
import json
import logging
import logging.config
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.conf import settings

from newsdesk.core.logconfig import (
    JsonFormatter,
    TextFormatter,
    gunicorn_logger_class,
    logging_config,
)
from newsdesk.settings.env import EnvironmentVariableError
from newsdesk.settings.observability import log_format_checked

ISO_UTC = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def record(name="newsdesk.test", message="Hello %s", args=("there",), **extra):
    item = logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(item, key, value)
    return item


def test_a_text_line_starts_with_an_utc_timestamp_level_and_logger():
    item = record()
    item.created = 1767225600.25  # 2026-01-01T00:00:00.250Z
    line = TextFormatter().format(item)
    assert line == f"2026-01-01T00:00:00.250Z INFO newsdesk.test [{item.process}] Hello there"


def test_a_json_line_is_one_object_with_the_same_keys_and_the_extras():
    item = record(request_id="abc123", status=200, method="GET")
    line = JsonFormatter().format(item)
    assert "\n" not in line
    entry = json.loads(line)
    assert re.fullmatch(ISO_UTC, entry["timestamp"])
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "INFO",
        "newsdesk.test",
        "Hello there",
    )
    assert (entry["request_id"], entry["status"], entry["method"]) == ("abc123", 200, "GET")


def test_a_json_line_keeps_the_traceback_inside_the_object():
    try:
        raise ValueError("boom")
    except ValueError:
        item = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    entry = json.loads(JsonFormatter().format(item))
    assert "ValueError: boom" in entry["exception"]


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_rq_worker_lines_go_through_the_sites_handler(log_format):
    """RQ adds its own handler (no date, ``%H:%M:%S``) only when no handler is reachable: with
    the site's configuration one is, so its lines carry the site's timestamp."""
    from rq.logutils import setup_loghandlers

    stream = io.StringIO()
    config = logging_config(log_format=log_format)
    config["handlers"]["console"]["stream"] = stream
    saved = logging.getLogger("rq.worker").handlers[:]
    try:
        logging.config.dictConfig(config)
        setup_loghandlers("INFO")
        assert logging.getLogger("rq.worker").handlers == []
        logging.getLogger("rq.worker").info("default: Job OK (%s)", "1234")
    finally:
        logging.config.dictConfig(settings.LOGGING)
        logging.getLogger("rq.worker").handlers = saved
    line = stream.getvalue().strip()
    if log_format == "json":
        entry = json.loads(line)
        assert re.fullmatch(ISO_UTC, entry["timestamp"])
        assert (entry["logger"], entry["message"]) == ("rq.worker", "default: Job OK (1234)")
    else:
        assert re.match(rf"{ISO_UTC} INFO rq\.worker \[\d+\] default: Job OK \(1234\)$", line)


def test_gunicorns_access_line_becomes_the_requests_fields_in_json():
    from gunicorn.config import Config

    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", '%(h)s "%(r)s" %(s)s')
    log = gunicorn_logger_class("json")(cfg)
    stream = io.StringIO()
    for handler in log.access_log.handlers:
        handler.stream = stream
    response = SimpleNamespace(
        status="200 OK", headers=[("X-Request-ID", "req-0123456789")], response_length=12, sent=12
    )
    request = SimpleNamespace(
        headers=[], method="GET", path="/robots.txt", query="", version=(1, 1), uri="/robots.txt"
    )
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/robots.txt",
        "PATH_INFO": "/robots.txt",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    from datetime import timedelta

    log.access(response, request, environ, timedelta(milliseconds=12.5))
    entry = json.loads(stream.getvalue().strip())
    assert re.fullmatch(ISO_UTC, entry["timestamp"])
    assert entry["logger"] == "gunicorn.access"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/robots.txt", 200)
    assert entry["duration_ms"] == 12.5
    assert entry["request_id"] == "req-0123456789"


def test_log_format_takes_text_or_json_only():
    assert log_format_checked("JSON") == "json"
    with pytest.raises(EnvironmentVariableError, match="LOG_FORMAT"):
        log_format_checked("yaml")


def test_an_unknown_log_format_stops_the_start_naming_the_variable():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings.dev",
            "LOG_FORMAT": "xml",
            "NEWSDESK_DATA_DIR": str(settings.DATA_DIR),
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json, not 'xml'" in result.stderr


def test_a_line_logged_while_answering_a_request_carries_its_id(rf, caplog):
    """Whatever the code answering a request logs names the request's id (in JSON)."""
    from django.http import HttpResponse

    from newsdesk.core.logconfig import RequestIdFilter
    from newsdesk.core.metrics.middleware import ObservabilityMiddleware

    def view(request):
        logging.getLogger("newsdesk.test").warning("Answering")
        return HttpResponse("ok")

    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="newsdesk.test"):
        response = ObservabilityMiddleware(view)(
            rf.get("/anything/", HTTP_X_REQUEST_ID="req-abcdef012345")
        )
        logging.getLogger("newsdesk.test").warning("After the request")
    assert response["X-Request-ID"] == "req-abcdef012345"
    during, after = [r for r in caplog.records if r.name == "newsdesk.test"]
    assert during.request_id == "req-abcdef012345"
    assert not hasattr(after, "request_id")
