"""The database: SQLite in the data folder on a laptop, ``DATABASE_URL`` elsewhere."""

import dj_database_url

from .env import env_int, env_str
from .paths import DATA_DIR

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        # Opening a connection costs more than a comment's queries, SQLite's too.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# How long a request waits for SQLite's lock before it gives up (and is answered 503).
SQLITE_BUSY_TIMEOUT_MS = env_int("SQLITE_BUSY_TIMEOUT_MS", 20000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with write transactions that wait for the lock in short steps
    # instead of SQLite's sleeps of 1, 2, 5 ms ... (newsdesk/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "newsdesk.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue for the lock instead of failing with "database is locked": a write
        # transaction takes the lock when it begins, and a busy writer is waited for.
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS};"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
