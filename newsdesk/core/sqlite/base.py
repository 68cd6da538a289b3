"""Django's SQLite backend, with a write transaction that waits for the lock in short steps.

SQLite lets one writer in at a time; every transaction here begins with ``BEGIN IMMEDIATE``
and so takes the write lock first. A process that finds it taken is held by SQLite's busy
handler, which sleeps 1, 2, 5, 10, 15 ms ... between tries, however soon the lock is free:
with two web processes posting comments, a post slept about 0.7 times, 1.4 ms in all, while
the other process's transaction lasted a fraction of that, and the waiting core stood idle.

Here the ``BEGIN IMMEDIATE`` is tried with no busy wait, and tried again after 50 µs,
100 µs, ... (at most 1 ms) until the connection's ``timeout`` option has passed; then it
fails as before ("database is locked", answered 503 by the outage middleware). Every other
statement keeps the busy timeout.
"""

import sqlite3
import time

from django.db.backends.sqlite3 import base

FIRST_PAUSE = 0.00005
LONGEST_PAUSE = 0.001


def _is_busy(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", None) in (
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
    ) or "locked" in str(error)


class DatabaseWrapper(base.DatabaseWrapper):
    # Django's private hook and the wrapper's transaction_mode (5.1+) are not in django-stubs.
    def _start_transaction_under_autocommit(self):
        if self.transaction_mode != "IMMEDIATE":  # type: ignore[attr-defined]
            return super()._start_transaction_under_autocommit()  # type: ignore[misc]
        timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        deadline = time.monotonic() + timeout
        pause = FIRST_PAUSE
        raw = self.connection
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    return None
                except sqlite3.OperationalError as error:
                    if not _is_busy(error) or time.monotonic() + pause > deadline:
                        with self.wrap_database_errors:
                            raise
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
