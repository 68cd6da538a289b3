"""The shared cache: Redis on the newsroom tier, diskcache files in the data folder on a laptop.

Every process (web and worker) must see the same cache: the worker empties what a web
process cached, and rate limits count across processes.
"""

from typing import Any

from .env import env_float, env_int
from .paths import DATA_DIR
from .tasks import REDIS_URL

# A Redis that stops answering fails a request within seconds (a 503) instead of holding
# every worker until it returns.
REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", 2.0)
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend with a one-write counter (newsdesk/core/cachebackend.py).
            "BACKEND": "newsdesk.core.cachebackend.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsdesk",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    # diskcache keeps it in SQLite files (sharded, so writers rarely wait): an operation
    # costs tens of microseconds where Django's file cache, which writes a file and lists
    # its folder for every set, cost about a millisecond. Pages (the largest values) stay
    # inside SQLite rather than in files of their own.
    CACHES = {
        "default": {
            "BACKEND": "newsdesk.core.cachebackend.DiskCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "TIMEOUT": 300,
            "SHARDS": 8,
            # How long one operation waits for a shard held by another process before it
            # tries again (diskcache retries until it succeeds).
            "DATABASE_TIMEOUT": 0.25,
            "OPTIONS": {
                "size_limit": env_int("CACHE_SIZE_LIMIT_MB", 512) * 2**20,
                "disk_min_file_size": 2**22,
            },
        }
    }

# Each process's copies of moderation's settings, bans and model and of which articles are
# open (newsdesk/core/processcache.py): how often it checks they are still current.
PROCESS_CACHE_CHECK_SECONDS = env_float("PROCESS_CACHE_CHECK_SECONDS", 1.0)
