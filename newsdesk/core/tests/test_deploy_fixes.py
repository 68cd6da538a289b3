"""The smaller production fixes of issue 25 (part 5): private backups, a restore that empties
the cache and the queue and says so, and an RQ scheduler that ends with its worker."""

import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from newsdesk.core import backups
from tests.site.deploy_kit import REDIS_SERVER, kit_redis
from tests.support.servers import RunningSite

BASE_DIR = Path(settings.BASE_DIR)

needs_redis_server = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not installed (Debian: redis-server)"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def needs_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite backups; pg_dump's file is made the same way (private_file)")


def manage(*args: str, data_dir: Path, **extra_env: str) -> subprocess.CompletedProcess:
    """``manage.py`` on the laptop tier with its data in ``data_dir``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.dev",
        "NEWSDESK_DATA_DIR": str(data_dir),
        **extra_env,
    }
    env.pop("DATABASE_URL", None)
    if "REDIS_URL" not in extra_env:
        env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def site_data(tmp_path) -> Path:
    """A data folder holding a migrated Newsdesk database (a copy of the test database)."""
    needs_sqlite()
    data = tmp_path / "data"
    data.mkdir()
    backups.sqlite_backup(
        source=Path(connection.settings_dict["NAME"]), destination=data / "db.sqlite3"
    )
    return data


# --- backups are private ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_backup_is_0600_in_a_0700_folder_whatever_the_umask(site_data, tmp_path):
    previous = os.umask(0o022)  # Debian's default: files 0644, folders 0755
    try:
        destination = tmp_path / "backups" / "nightly" / "newsdesk.sqlite3"
        report = backups.sqlite_backup(source=site_data / "db.sqlite3", destination=destination)
    finally:
        os.umask(previous)
    assert mode(destination) == 0o600
    assert mode(destination.parent) == 0o700
    assert mode(destination.parent.parent) == 0o700
    assert report.open_folder is False
    backups.sqlite_check(path=destination)


@pytest.mark.django_db
def test_an_existing_open_folder_is_named_and_the_file_is_still_private(site_data, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    result = manage(
        "backup_database", str(shared / "b.sqlite3"), data_dir=site_data, PYTHONUNBUFFERED="1"
    )
    assert result.returncode == 0, result.stderr
    assert mode(shared / "b.sqlite3") == 0o600
    assert mode(shared) == 0o755  # the operator's folder is left as it was
    assert "chmod 700" in result.stderr


@pytest.mark.django_db
def test_the_safety_copy_of_a_restore_is_private_too(site_data, tmp_path):
    backup = backups.sqlite_backup(
        source=site_data / "db.sqlite3", destination=tmp_path / "b.sqlite3"
    ).path
    report = backups.sqlite_restore(backup=backup, target=site_data / "db.sqlite3")
    assert report.safety_copy is not None and mode(report.safety_copy) == 0o600


def test_private_file_replaces_a_leftover_with_a_private_one(tmp_path):
    leftover = tmp_path / ".b.partial"
    leftover.write_text("old")
    leftover.chmod(0o644)
    backups.private_file(path=leftover)
    assert mode(leftover) == 0o600 and leftover.read_bytes() == b""


# --- a restore empties the cache and the queue -----------------------------------------------

SET_KEY = (
    "from django.core.cache import cache; "
    "cache.set('campaign-total-before-restore', 1234, None); print('set')"
)
READ_KEY = (
    "from django.core.cache import cache; print(repr(cache.get('campaign-total-before-restore')))"
)


@pytest.mark.django_db
def test_a_restore_empties_the_laptop_cache_and_says_so(site_data, tmp_path):
    backup = backups.sqlite_backup(
        source=site_data / "db.sqlite3", destination=tmp_path / "b.sqlite3"
    ).path
    assert manage("shell", "--no-imports", "-c", SET_KEY, data_dir=site_data).returncode == 0
    assert (
        manage("shell", "--no-imports", "-c", READ_KEY, data_dir=site_data).stdout.strip() == "1234"
    )

    result = manage("restore_database", str(backup), "--noinput", data_dir=site_data)

    assert result.returncode == 0, result.stderr
    assert "Cache emptied" in result.stdout
    assert "restored with it" in result.stdout  # the database queue's tasks
    assert (
        manage("shell", "--no-imports", "-c", READ_KEY, data_dir=site_data).stdout.strip() == "None"
    )


QUEUE_JOBS = """
import datetime, django_rq
queue = django_rq.get_queue('default')
queue.enqueue_call('builtins.print', args=('queued before the restore',))
queue.enqueue_in(datetime.timedelta(hours=1), 'builtins.print', 'scheduled before the restore')
print('queued')
"""
COUNT_JOBS = """
import django_rq
q = django_rq.get_queue('default')
print(q.count, q.scheduled_job_registry.count, len(q.connection.keys('rq:job:*')))
"""


@needs_redis_server
@pytest.mark.django_db
def test_a_restore_on_rq_empties_the_queue_and_the_redis_cache(site_data, tmp_path):
    backup = backups.sqlite_backup(
        source=site_data / "db.sqlite3", destination=tmp_path / "b.sqlite3"
    ).path
    with kit_redis(tmp_path / "redis") as redis_url:
        tier = {"REDIS_URL": redis_url}
        assert (
            manage("shell", "--no-imports", "-c", SET_KEY, data_dir=site_data, **tier).returncode
            == 0
        )
        queued = manage("shell", "--no-imports", "-c", QUEUE_JOBS, data_dir=site_data, **tier)
        assert queued.returncode == 0, queued.stderr
        assert manage(
            "shell", "--no-imports", "-c", COUNT_JOBS, data_dir=site_data, **tier
        ).stdout.split() == [
            "1",
            "1",
            "2",
        ]

        result = manage("restore_database", str(backup), "--noinput", data_dir=site_data, **tier)

        assert result.returncode == 0, result.stderr
        assert "Task queue (RQ) emptied: 2 job(s)" in result.stdout
        assert "Cache emptied" in result.stdout
        assert manage(
            "shell", "--no-imports", "-c", COUNT_JOBS, data_dir=site_data, **tier
        ).stdout.split() == [
            "0",
            "0",
            "0",
        ]
        read = manage("shell", "--no-imports", "-c", READ_KEY, data_dir=site_data, **tier)
        assert read.stdout.strip() == "None"


# --- the Redis configuration -----------------------------------------------------------------


@needs_redis_server
def test_the_kit_redis_evicts_only_keys_with_a_ttl_and_keeps_the_queue(tmp_path):
    import redis

    with kit_redis(tmp_path / "redis") as redis_url:
        client = redis.Redis.from_url(redis_url)
        config = client.config_get("*")
        assert config["maxmemory-policy"] == "volatile-lru"
        assert int(config["maxmemory"]) > 0
        assert config["appendonly"] == "yes"
        # Filled past a small limit: what has a TTL goes, a queued job (no TTL) stays.
        client.config_set("maxmemory", str(4 * 2**20))
        client.rpush("rq:queue:default", "job-1")
        client.hset("rq:job:job-1", "status", "queued")
        for n in range(400):
            try:
                client.set(f"newsdesk:1:page:{n}", b"x" * 20_000, ex=3600)
            except redis.exceptions.OutOfMemoryError:
                break
        assert client.dbsize() < 402, "nothing was evicted"
        assert client.lrange("rq:queue:default", 0, -1) == [b"job-1"]
        assert client.hget("rq:job:job-1", "status") == b"queued"


# --- the scheduler ends with its worker ------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status  # a zombie has ended


@needs_redis_server
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux process signal")
def test_the_rq_scheduler_ends_when_its_worker_is_killed(tmp_path):
    import redis

    with kit_redis(tmp_path / "redis") as redis_url:
        site = RunningSite(demo=False, extra_env={"REDIS_URL": redis_url})
        site.prepare_database()
        log_path = tmp_path / "worker.log"
        with open(log_path, "w") as log:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "worker"],
                cwd=BASE_DIR,
                env={**site.env, "REDIS_URL": redis_url},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        scheduler_pid = None
        try:
            deadline = time.monotonic() + 180  # a slow machine's start, not a speed check
            while scheduler_pid is None:
                assert worker.poll() is None, log_path.read_text()[-3000:]
                found = re.search(r"Scheduler for .* started with PID (\d+)", log_path.read_text())
                if found:
                    scheduler_pid = int(found.group(1))
                assert time.monotonic() < deadline, log_path.read_text()[-3000:]
                time.sleep(0.2)
            client = redis.Redis.from_url(redis_url)
            lock = "rq:scheduler-lock:default"
            while client.get(lock) is None:
                assert time.monotonic() < deadline, "the scheduler never took its lock"
                time.sleep(0.2)

            os.kill(worker.pid, signal.SIGKILL)  # the worker alone, as the OOM killer would
            worker.wait(timeout=30)

            deadline = time.monotonic() + 30  # the scheduler wakes every second
            while _alive(scheduler_pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not _alive(scheduler_pid), "the scheduler outlived its worker"
            assert client.get(lock) is None, "the dead worker's scheduler still holds the lock"
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
            if scheduler_pid and _alive(scheduler_pid):
                os.kill(scheduler_pid, signal.SIGKILL)
            site.stop()  # its database, data folder and Redis database number


def test_a_database_left_0644_by_an_old_backup_is_not_changed_by_reading_it(tmp_path):
    """Checking a backup (restore's first step) never changes its file or its mode."""
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    with pytest.raises(backups.BackupError):
        backups.sqlite_check(path=path)
    assert mode(path) == 0o644
