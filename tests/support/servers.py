"""A real Newsdesk on 127.0.0.1 for browser and HTTP tests: gunicorn and the worker.

``RunningSite`` sets up a private data directory (its own SQLite file, or its own database
on the PostgreSQL server of DATABASE_URL), migrates it, loads the demo content and serves
it with ``manage.py serve`` exactly as ``make demo`` does. The migrated database (a SQLite
file, or a PostgreSQL database on the server) is kept as a template keyed by the migration
files, so only the first site pays for Wagtail's migrations; the demo content is loaded once
per test process and copied for each site (``tests/support/demo_template.py``).

With ``worker_apart=True`` the web server (``serve --no-worker``) and the worker
(``manage.py worker``) run as two process groups, so a fault test can ``kill -9`` either one
(``web_kill``, ``worker_kill``) and start it again on the same data (``web_start``,
``worker_start``).
"""

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from tests.support.demo_template import demo_copy_into
from tests.support.ports import free_port
from tests.support.smtp import SmtpServer

BASE_DIR = Path(settings.BASE_DIR)


def listening_wait(process: subprocess.Popen, port: int, *, timeout: float = 30) -> None:
    """Return once ``process`` (started with ``stderr=PIPE``) accepts connections on
    ``port`` of 127.0.0.1; fail with its error output if it exits first, or after
    ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"nothing listens on port {port}"
            time.sleep(0.1)


def _migrations_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((BASE_DIR / "newsdesk").glob("*/migrations/*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update((BASE_DIR / "uv.lock").read_bytes())
    return digest.hexdigest()[:16]


def _site_redis_databases() -> range:
    """The Redis databases this test process gives its sites, one per site started, in turn:
    3-15 of Redis's 16, or the range NEWSDESK_TEST_SITE_REDIS_DBS names ("9-15"), so two
    test processes running side by side (scripts/test.sh) never share one."""
    first, _, last = os.environ.get("NEWSDESK_TEST_SITE_REDIS_DBS", "3-15").partition("-")
    return range(int(first), int(last) + 1)


# The numbers no running site holds, the longest free first: a site takes one as it starts
# and gives it back when it stops, so a long-lived site (the session's demo) never shares its
# database with a site started later.
_redis_free = list(_site_redis_databases())


class RunningSite:
    """Newsdesk served by gunicorn with its worker, on a free port, with demo content."""

    def __init__(
        self, *, demo: bool = True, extra_env: dict | None = None, worker_apart: bool = False
    ):
        self.demo = demo
        self.worker_apart = worker_apart
        self.extra_env = dict(extra_env or {})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = Path(tempfile.mkdtemp(prefix="newsdesk-site-"))
        # The site's mail goes through Django's SMTP backend to a real SMTP server here.
        self.smtp = SmtpServer()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings.dev",
            "NEWSDESK_DATA_DIR": str(self.data_dir),
            "SITE_URL": self.url,
            **self.smtp.environ(),
            "PYTHONUNBUFFERED": "1",
            # The starter models the test processes trained (a file per data digest): each
            # site reads them instead of training its own.
            "MODERATION_MODEL_CACHE_DIR": str(Path(settings.DATA_DIR) / "models"),
            **(extra_env or {}),
        }
        self._pg_database = None
        self._redis_number: int | None = None
        self.process = None
        self.worker_process = None
        self.log_path = self.data_dir / "serve.log"
        self._log = None

    # --- the database ---------------------------------------------------------------------
    @property
    def pg_database(self) -> str | None:
        """The name of the site's own PostgreSQL database (None on SQLite)."""
        return self._pg_database

    @staticmethod
    def _on_postgresql() -> bool:
        return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

    def database_from_template(self, template: str) -> None:
        """A database of the site's own, copied from the PostgreSQL database ``template``."""
        self._pg_database = f"site_{uuid.uuid4().hex[:10]}"
        self._pg_admin(f'CREATE DATABASE "{self._pg_database}" TEMPLATE "{template}"')
        parts = urlsplit(os.environ["DATABASE_URL"])
        self.env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self._pg_database}"))
        self._use_own_redis_db()

    def database_use_sqlite(self) -> None:
        """The site's SQLite file in its data folder (``db.sqlite3``), whoever fills it."""
        self.env.pop("DATABASE_URL", None)
        self._use_own_redis_db()

    def prepare_database(self) -> None:
        """A migrated, empty database of the site's own."""
        if self._on_postgresql():
            self.database_from_template(self._pg_migrated_template())
            return
        self.database_use_sqlite()
        template = Path(settings.DATA_DIR) / f"site-template-{_migrations_fingerprint()}.sqlite3"
        if not template.exists():
            scratch = Path(tempfile.mkdtemp(prefix="newsdesk-template-"))
            env = {**self.env, "NEWSDESK_DATA_DIR": str(scratch)}
            self.manage("migrate", "--noinput", "-v0", env=env)
            # Copied under another name, then renamed: another test process starting a site
            # at the same moment sees no template or a whole one, never half of one.
            partial = template.with_suffix(f".{os.getpid()}.partial")
            shutil.copy(scratch / "db.sqlite3", partial)
            os.replace(partial, template)
            shutil.rmtree(scratch, ignore_errors=True)
        shutil.copy(template, self.data_dir / "db.sqlite3")
        self.manage("migrate", "--noinput", "-v0")

    def _pg_migrated_template(self) -> str:
        """The name of a migrated, empty PostgreSQL database to copy, made once per set of
        migrations on the server: migrating costs a minute or more on PostgreSQL, copying a
        second. Migrated under a name of its own, then renamed: a test process running beside
        this one sees no template or a whole one, and of two built at once one is kept."""
        import psycopg

        template = f"site_migrated_{_migrations_fingerprint()}"
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if found.fetchone():
                return template
        partial = f"site_partial_{uuid.uuid4().hex[:10]}"
        self._pg_admin(f'CREATE DATABASE "{partial}"')
        parts = urlsplit(os.environ["DATABASE_URL"])
        env = {**self.env, "DATABASE_URL": urlunsplit(parts._replace(path=f"/{partial}"))}
        try:
            self.manage("migrate", "--noinput", "-v0", env=env)
            self._pg_admin(f'ALTER DATABASE "{partial}" RENAME TO "{template}"')
        except psycopg.errors.DuplicateDatabase:
            pass  # the other test process renamed its own first: that one is used
        finally:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{partial}" WITH (FORCE)')
        return template

    def _use_own_redis_db(self) -> None:
        """The test suite flushes its Redis database between tests; each site's cache and
        task queue live in a database of their own, so two sites running at once (the demo
        of the browser tests beside a load test's) never flush each other's cache or run each
        other's jobs."""
        redis_url = os.environ.get("REDIS_URL", "")
        if not redis_url:
            return
        import redis

        if not _redis_free:
            raise RuntimeError("every Redis database of this test process is held by a site")
        parts = urlsplit(redis_url)
        self._redis_number = _redis_free.pop(0)
        self.env["REDIS_URL"] = urlunsplit(parts._replace(path=f"/{self._redis_number}"))
        redis.Redis.from_url(self.env["REDIS_URL"]).flushdb()

    def redis_release(self) -> None:
        """Give the site's Redis database back (the site no longer runs)."""
        if self._redis_number is not None:
            _redis_free.append(self._redis_number)
            self._redis_number = None

    def _pg_admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(sql)

    def manage(
        self, *args: str, env: dict | None = None, check: bool = True
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env or self.env,
            check=check,
            capture_output=True,
            text=True,
            timeout=600,
        )

    # --- the processes --------------------------------------------------------------------
    def start(self) -> "RunningSite":
        self.smtp.start()
        if self.demo:
            # The demo is loaded once per test process and copied (tests/support/demo_template.py).
            demo_copy_into(self)
        else:
            self.prepare_database()
        # Appended to, so what a killed server wrote stays beside what its successor writes.
        self._log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        try:
            self.web_start()
            if self.worker_apart:
                self.worker_start()
        except BaseException:
            # The fixture never gets the site to stop: stop what was started here.
            self.stop()
            raise
        return self

    def _spawn(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Its own process group: stopping or killing it reaches all its children.
            start_new_session=True,
        )

    def web_start(self) -> None:
        """Start the web server (and the worker, unless it runs apart); wait until it answers."""
        args = ["serve", "--port", str(self.port), "--workers", "2"]
        if self.worker_apart:
            args.append("--no-worker")
        self.process = self._spawn(*args)
        self.wait_until_up()

    def web_kill(self) -> None:
        """``kill -9`` the web server: ``serve``, the gunicorn master and its workers at once
        (and the worker too, unless it runs apart), as a power cut or the OOM killer would."""
        self._kill_group(self.process, signal.SIGKILL)

    def worker_start(self) -> None:
        """Start the background worker apart from the web server."""
        self.worker_process = self._spawn("worker")

    def worker_kill(self) -> None:
        """``kill -9`` the worker started by ``worker_start`` (and any child of it)."""
        self._kill_group(self.worker_process, signal.SIGKILL)

    def worker_pause(self) -> None:
        """Freeze the worker (SIGSTOP), e.g. to look at what it holds before killing it."""
        os.killpg(self.worker_process.pid, signal.SIGSTOP)

    def worker_resume(self) -> None:
        os.killpg(self.worker_process.pid, signal.SIGCONT)

    @staticmethod
    def _kill_group(process: subprocess.Popen | None, signum: int) -> None:
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        process.wait()

    @staticmethod
    def _stop_group(process: subprocess.Popen | None) -> None:
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def wait_until_up(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The site exited early:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/robots.txt", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"The site did not start:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        self._stop_group(self.process)
        self._stop_group(self.worker_process)
        if self._log:
            self._log.close()
        if self._pg_database:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self._pg_database}" WITH (FORCE)')
        self.redis_release()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        # aiosmtpd refuses to stop a server it never started (an AssertionError).
        with contextlib.suppress(RuntimeError, AssertionError):
            self.smtp.stop()

    def sent_mail(self) -> list[str]:
        """The e-mails the site (its worker) sent, as raw message texts, in the order the
        SMTP server received them."""
        return self.smtp.messages()

    def shell(self, code: str) -> str:
        """Run Python in the site's environment (``manage.py shell -c``) and return stdout."""
        return self.manage("shell", "-c", code).stdout
