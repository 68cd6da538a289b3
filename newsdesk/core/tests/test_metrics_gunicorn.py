"""Health, metrics and logs against a real ``manage.py serve``: gunicorn with two workers and
the background worker, logging JSON.

- the request count at ``/metrics`` adds up across both workers, whichever answers the scrape;
- ``/healthz`` and ``/readyz`` answer a bare address or a container name, which
  ``ALLOWED_HOSTS`` does not list, and ``/readyz`` says 503, naming the database, while
  SQLite is locked (with ``/healthz`` still 200), then 200 again by itself;
- every log line of the web and worker processes parses as JSON with a UTC timestamp, and
  gunicorn's access lines carry the request's fields;
- the worker started alone in the text format writes timestamped lines.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from newsdesk.core.tests.test_outages import ExclusiveLock
from tests.support.servers import RunningSite

pytestmark = pytest.mark.slow

ISO_UTC = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


@pytest.fixture(scope="module")
def site():
    site = RunningSite(
        demo=False,
        extra_env={
            "LOG_FORMAT": "json",
            "HEALTH_CHECK_TIMEOUT_SECONDS": "1",
            "SQLITE_BUSY_TIMEOUT_MS": "300",
            # The staged lock needs no process holding the file open between requests.
            "DATABASE_CONN_MAX_AGE": "0",
        },
    ).start()
    yield site
    site.stop()


def fetch(url: str, *, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def counted(site, route: str) -> float:
    status, _, body = fetch(site.url + "/metrics")
    assert status == 200, body[:300]
    total = 0.0
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == "newsdesk_http_requests_total" and sample.labels["route"] == route:
                total += sample.value
    return total


def test_the_request_count_adds_up_across_the_workers(site):
    assert counted(site, "favicon_ico") == 0
    sent = 0
    pids: set[int] = set()
    # Until both workers have answered some (their pids in the access log), in bursts.
    with ThreadPoolExecutor(max_workers=8) as pool:
        while len(pids) < 2 and sent < 800:
            statuses = list(pool.map(lambda _: fetch(site.url + "/favicon.ico")[0], range(40)))
            assert set(statuses) == {200}
            sent += len(statuses)
            time.sleep(0.2)
            pids = {e["process"] for e in access_entries(site) if e["path"] == "/favicon.ico"}
    assert len(pids) == 2
    # Scraped several times: each scrape may reach either worker, and each sums both.
    assert {counted(site, "favicon_ico") for _ in range(6)} == {sent}


@pytest.mark.parametrize("host", ["127.0.0.1", "newsdesk-web", "10.0.0.5:8000"])
def test_the_probes_answer_a_bare_address_or_a_container_name(site, host):
    status, headers, body = fetch(site.url + "/healthz", headers={"Host": host})
    assert (status, body, headers["Cache-Control"]) == (200, "ok\n", "no-store")
    status, headers, body = fetch(site.url + "/readyz", headers={"Host": host})
    assert status == 200, body
    assert headers["Cache-Control"] == "no-store"
    assert json.loads(body)["ready"] is True


def test_readyz_is_503_while_the_database_is_locked_and_healthz_stays_200(site):
    if site.env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("the database outage is staged on SQLite's lock")
    if site.env.get("REDIS_URL"):
        pytest.skip("the RQ worker keeps the SQLite file open; the lock is staged without Redis")
    with ExclusiveLock(site.data_dir / "db.sqlite3"):
        status, headers, body = fetch(site.url + "/readyz")
        assert status == 503, (body, site.log_path.read_text()[-3000:])
        assert headers["Cache-Control"] == "no-store"
        checks = {check["name"]: check for check in json.loads(body)["checks"]}
        assert checks["database"]["ok"] is False
        assert checks["cache"]["ok"] is True
        assert fetch(site.url + "/healthz")[0] == 200
    status, _, body = fetch(site.url + "/readyz")
    assert status == 200, body


def log_entries(site) -> list[dict]:
    """The JSON log lines of the web and worker processes (serve's own messages to the
    operator, printed rather than logged, are not log lines)."""
    entries = []
    text = site.log_path.read_text()
    # A line being written as we read is left for the next read.
    for line in text[: text.rfind("\n") + 1].splitlines():
        if line.startswith("{"):
            entries.append(json.loads(line))
    return entries


def access_entries(site) -> list[dict]:
    return [entry for entry in log_entries(site) if entry["logger"] == "gunicorn.access"]


def test_the_web_and_worker_log_lines_are_json_with_timestamps(site):
    fetch(site.url + "/robots.txt", headers={"X-Request-ID": "probe-0123456789"})
    # The worker logs its start once its start-up duties are done.
    deadline = time.monotonic() + 180
    # The worker's own logger: RQ's on the Redis tier, the database queue's otherwise.
    worker_logger = "rq.worker" if site.env.get("REDIS_URL") else "django_tasks_db"
    while time.monotonic() < deadline:
        if any(e["logger"] == worker_logger for e in log_entries(site)):
            break
        time.sleep(1)
    text = site.log_path.read_text()
    logged = [line for line in text[: text.rfind("\n") + 1].splitlines() if line.startswith("{")]
    assert logged
    for line in logged:
        entry = json.loads(line)
        assert re.fullmatch(ISO_UTC, entry["timestamp"]), line
        assert {"level", "logger", "message", "process"} <= set(entry)
    loggers = {entry["logger"] for entry in log_entries(site)}
    assert {"gunicorn.error", "gunicorn.access", worker_logger} <= loggers, loggers
    # gunicorn writes the access line once the response has gone: wait for it.
    deadline = time.monotonic() + 30
    robots: list[dict] = []
    while not robots and time.monotonic() < deadline:
        robots = [e for e in access_entries(site) if e.get("request_id") == "probe-0123456789"]
        time.sleep(0.2)
    assert len(robots) == 1
    assert (robots[0]["method"], robots[0]["path"], robots[0]["status"]) == (
        "GET",
        "/robots.txt",
        200,
    )
    assert robots[0]["duration_ms"] >= 0


def test_the_worker_alone_writes_timestamped_text_lines(site):
    env = {**site.env, "LOG_FORMAT": "text"}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if "django_tasks_db" in line or "rq.worker" in line:
                break
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    started = [line for line in lines if "django_tasks_db" in line or "rq.worker" in line]
    assert started, lines
    for line in lines:
        if line and not line.startswith((" ", "Traceback")):
            assert re.match(rf"{ISO_UTC} [A-Z]+ \S+ \[{worker.pid}\] ", line), line
    assert os.getpid() != worker.pid
