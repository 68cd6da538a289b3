"""Outages against a real gunicorn: the database or Redis stops answering for a few seconds.

Requests during the outage get a 503 with Retry-After (an HTML page, or ``{"detail": ...}``
JSON for the API), nothing is written, and the site answers normally once the store is back,
with no restart.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from tests.support.servers import RunningSite

BUSY_TIMEOUT_MS = 300
# Starting a gunicorn site of its own (a low busy timeout) takes tens of seconds.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site():
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("the database outage is staged on SQLite's lock; PostgreSQL runs below")
    site = RunningSite(
        demo=False,
        extra_env={
            "SQLITE_BUSY_TIMEOUT_MS": str(BUSY_TIMEOUT_MS),
            "REDIS_TIMEOUT_SECONDS": "0.5",
            # The staged lock (below) can only be taken while no process holds the file
            # open, so the processes here close their connection after each request.
            "DATABASE_CONN_MAX_AGE": "0",
        },
    ).start()
    yield site
    site.stop()


def fetch(url: str, *, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def comment_rows(site) -> int:
    conn = sqlite3.connect(site.data_dir / "db.sqlite3", timeout=10)
    try:
        return conn.execute("SELECT COUNT(*) FROM discussion_comment").fetchone()[0]
    finally:
        conn.close()


class ExclusiveLock:
    """Another process holding SQLite's exclusive lock, as a stuck writer or a copy tool
    would: every other connection gets "database is locked" once its busy timeout runs out."""

    def __init__(self, path):
        self.path = path
        self.conn = None

    def __enter__(self):
        # Taken between two uses of the file by the site's processes (a worker's poll, a
        # request): some of WAL's locks answer "locked" at once instead of waiting out the
        # busy timeout, so a busy machine needs more than one try.
        deadline = time.monotonic() + 60
        while True:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=5)
            try:
                self.conn.execute("PRAGMA locking_mode=EXCLUSIVE")
                self.conn.execute("BEGIN EXCLUSIVE")
                break
            except sqlite3.OperationalError as error:
                self.conn.close()
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        # A write makes the lock exclusive for readers too, in WAL mode.
        self.conn.execute("CREATE TABLE outage_marker (x)")
        return self

    def __exit__(self, *exc):
        self.conn.execute("ROLLBACK")
        self.conn.close()


def assert_outage(status, headers, body, *, json_body: bool):
    assert status == 503, body[:500]
    assert int(headers["Retry-After"]) > 0
    assert headers["Cache-Control"] == "no-store"
    if json_body:
        assert "not answering" in json.loads(body)["detail"]
    else:
        assert "text/html" in headers["Content-Type"]
        assert "Back in a moment" in body


def test_a_locked_database_answers_503_then_recovers_by_itself(site):
    if site.env.get("REDIS_URL"):
        # The exclusive lock can only be taken while no process has the file open, and the
        # RQ worker of the newsroom tier keeps its SQLite connection open between jobs.
        pytest.skip("the SQLite lock is staged on the laptop tier (no REDIS_URL)")
    comment = json.dumps({"body": "Written during the outage", "name": "Ann"}).encode()
    json_headers = {"Content-Type": "application/json", "Accept": "application/json"}
    before = comment_rows(site)

    with ExclusiveLock(site.data_dir / "db.sqlite3"):
        assert_outage(*fetch(site.url + "/"), json_body=False)
        assert_outage(*fetch(site.url + "/api/threads/1"), json_body=True)
        assert_outage(
            *fetch(site.url + "/api/threads/1/comments", data=comment, headers=json_headers),
            json_body=True,
        )
        # Pages that need no database still work during the outage.
        assert fetch(site.url + "/robots.txt")[0] == 200

    # Back without a restart: the next requests are answered normally.
    status, _, body = fetch(site.url + "/")
    assert status in (200, 404), body[:500]
    status, _, body = fetch(site.url + "/api/threads/1")
    assert status == 404 and "detail" in json.loads(body)
    assert comment_rows(site) == before


def test_an_outage_longer_than_the_workers_poll_stops_neither_worker_nor_site(site):
    """The worker polls its queue every second: an outage spanning several polls must leave
    it waiting, not end it (``serve`` stops the whole site when a process it runs exits)."""
    if site.env.get("REDIS_URL"):
        pytest.skip("the SQLite lock is staged on the laptop tier (no REDIS_URL)")
    with ExclusiveLock(site.data_dir / "db.sqlite3"):
        time.sleep(5)
        assert site.process.poll() is None, site.log_path.read_text()[-3000:]
        assert_outage(*fetch(site.url + "/api/threads/1"), json_body=True)
    time.sleep(2)  # the worker's next polls, with the database back
    assert site.process.poll() is None, site.log_path.read_text()[-3000:]
    assert fetch(site.url + "/robots.txt")[0] == 200
    status, _, body = fetch(site.url + "/")
    assert status in (200, 404), body[:500]


def test_a_worker_waiting_out_an_outage_stops_at_once_when_told(site, tmp_path):
    """Waiting for the database between two runs of its queue loop, the worker still ends on
    SIGTERM, cleanly and at once, as ``serve`` and systemd stop it."""
    if site.env.get("REDIS_URL"):
        pytest.skip("the SQLite lock is staged on the laptop tier (no REDIS_URL)")
    log = tmp_path / "worker.log"
    with ExclusiveLock(site.data_dir / "db.sqlite3"), log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--period", "3600"],
            cwd=settings.BASE_DIR,
            env=site.env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while "not answering" not in log.read_text():
                assert worker.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=5) == 0, log.read_text()
        finally:
            if worker.poll() is None:
                worker.kill()


def test_a_paused_redis_answers_503_then_recovers_by_itself(site):
    redis_url = site.env.get("REDIS_URL")
    if not redis_url:
        pytest.skip("the newsroom tier (REDIS_URL) runs the Redis outage")
    import redis

    assert fetch(site.url + "/")[0] in (200, 404)
    client = redis.Redis.from_url(redis_url)
    # Redis holds every client's commands for 3 s, as during a failover or a stall.
    client.execute_command("CLIENT", "PAUSE", "3000", "ALL")
    paused_at = time.monotonic()
    status, headers, body = fetch(site.url + "/")
    assert_outage(status, headers, body, json_body=False)
    time.sleep(max(0.0, 3.5 - (time.monotonic() - paused_at)))
    assert fetch(site.url + "/")[0] in (200, 404)
