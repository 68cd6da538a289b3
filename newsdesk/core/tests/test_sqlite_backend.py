"""The SQLite backend's write transactions: they wait for a busy writer, give up after the
connection's timeout with Django's own error, and leave the busy timeout as configured."""

import sqlite3
import threading
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connections, transaction

from newsdesk.core.sqlite.base import DatabaseWrapper


def _wrapper(path, *, timeout: float) -> DatabaseWrapper:
    settings_dict = {
        "ENGINE": "newsdesk.core.sqlite",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    wrapper = DatabaseWrapper(settings_dict, alias=f"sqlite-backend-{id(settings_dict)}")
    connections[wrapper.alias] = wrapper  # for transaction.atomic(using=...)
    return wrapper


@pytest.fixture
def database(tmp_path, django_db_blocker, monkeypatch):
    """A database file of its own (not the site's), which the connections below may use."""
    # The session's browser (Playwright's sync API) leaves an event loop on this thread,
    # which Django takes for an async context; these connections are plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    path = tmp_path / "writers.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE entry (writer TEXT)")
    with django_db_blocker.unblock():
        yield path


@contextmanager
def _write_lock_held(path):
    """Another connection holds the write lock (its row written) until the block ends or the
    event it yields is set."""
    release, holding = threading.Event(), threading.Event()

    def hold():
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO entry VALUES ('first')")
        holding.set()
        release.wait(10)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    try:
        yield release
    finally:
        release.set()
        holder.join(10)


def test_a_writer_waits_for_the_one_holding_the_lock_then_writes(database):
    wrapper = _wrapper(database, timeout=10)
    with _write_lock_held(database) as release:
        threading.Timer(0.05, release.set).start()
        with transaction.atomic(using=wrapper.alias), wrapper.cursor() as cursor:
            cursor.execute("INSERT INTO entry VALUES ('second')")

    with wrapper.cursor() as cursor:
        cursor.execute("SELECT writer FROM entry ORDER BY rowid")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 10_000  # the statements after BEGIN wait as configured
    wrapper.close()
    del connections[wrapper.alias]


def test_a_writer_gives_up_after_the_timeout_with_djangos_error(database):
    wrapper = _wrapper(database, timeout=0.2)
    with (
        _write_lock_held(database),
        pytest.raises(OperationalError, match="locked"),
        transaction.atomic(using=wrapper.alias),
        wrapper.cursor() as cursor,
    ):
        cursor.execute("INSERT INTO entry VALUES ('second')")

    with wrapper.cursor() as cursor:
        cursor.execute("SELECT writer FROM entry")
        assert [row[0] for row in cursor.fetchall()] == ["first"]  # nothing half-written
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 200
    wrapper.close()
    del connections[wrapper.alias]
