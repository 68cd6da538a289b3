"""The demo content, loaded once per test process and copied for each site that serves it.

Loading the demo costs a site tens of seconds (the articles, the thread, a year of gifts); a
suite starts about twenty demo sites. The first site of a kind loads it into a site of its
own that never serves (the template); every site after starts from a copy of its database
(SQLite's backup API, or PostgreSQL's ``CREATE DATABASE ... TEMPLATE``) and of its media and
secret key. ``serve`` points the Wagtail site at each copy's own address as it starts, as it
does for ``make demo`` on another port.

Sites whose settings change what the demo writes (its time zone, page sizes) get a template
of their own: the key is their extra environment, less the variables that only change how a
running site behaves (rate limits, timeouts, log format), listed below.
"""

import atexit
import shutil
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.support.servers import RunningSite

# Read by the running site only, never by the demo's loading: sites that differ only in these
# share a template.
RUNTIME_ONLY = frozenset(
    {
        "SITE_URL",
        "DISCUSSION_POSTS_PER_IP",
        "DISCUSSION_LIVE_POLL_SECONDS",
        "MODERATION_POSTING_RATE_LIMIT",
        "MODERATION_NETWORK_POSTING_RATE_LIMIT",
        "NEWSLETTER_SIGNUPS_PER_IP",
        "PROCESS_CACHE_CHECK_SECONDS",
        "TRUSTED_PROXIES",
        "LOG_FORMAT",
        "HEALTH_CHECK_TIMEOUT_SECONDS",
        "SQLITE_BUSY_TIMEOUT_MS",
        "REDIS_TIMEOUT_SECONDS",
    }
)
# What a demo site keeps besides its database (the cache starts empty, as after a flush).
DATA_KEPT = ("media", "secret_key")

_templates: dict[frozenset, "RunningSite"] = {}


def _key(site: "RunningSite") -> frozenset:
    return frozenset(
        (name, value) for name, value in site.extra_env.items() if name not in RUNTIME_ONLY
    )


def _build(site: "RunningSite") -> "RunningSite":
    from tests.support.servers import RunningSite

    template = RunningSite(demo=False, extra_env=site.extra_env)
    # The demo's own receipts and notifications go to the template's SMTP server.
    template.smtp.start()
    try:
        template.prepare_database()
        # Tasks run at once while loading, so the search index is complete before the first
        # request, as `make demo` does.
        template.manage("load_demo", env={**template.env, "TASKS_BACKEND": "immediate"})
    except BaseException:
        template.stop()
        raise
    # Never served: its Redis database goes back to the sites that will be.
    template.redis_release()
    atexit.register(template.stop)
    return template


def demo_copy_into(site: "RunningSite") -> None:
    """Give ``site`` (not started yet) a copy of the demo loaded with its settings."""
    key = _key(site)
    template = _templates.get(key)
    if template is None:
        template = _templates[key] = _build(site)
    for name in DATA_KEPT:
        source = template.data_dir / name
        if source.is_dir():
            shutil.copytree(source, site.data_dir / name)
        elif source.exists():
            shutil.copy(source, site.data_dir / name)
    if template.pg_database:
        site.database_from_template(template.pg_database)
        return
    site.database_use_sqlite()
    # The backup API copies a consistent database, whatever its write-ahead log holds.
    with (
        sqlite3.connect(template.data_dir / "db.sqlite3") as source_db,
        sqlite3.connect(site.data_dir / "db.sqlite3") as copy_db,
    ):
        source_db.backup(copy_db)
    source_db.close()
    copy_db.close()
