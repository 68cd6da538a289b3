"""The shared caches: on the laptop tier diskcache's Django backend (SQLite files on disk) with
its connections kept open; on the newsroom tier Django's Redis backend. Each has a counter
that costs one write (``count_hit``, used by ``web/ratelimit.counter_hit``).

Django closes every cache at the end of every request (for clients that hold a socket per
request); reopening diskcache's SQLite connections then costs about twenty statements per
shard on the next request, several times the cost of the cache operations themselves.
diskcache reopens its connections by itself in a forked child (it checks the process id),
so keeping them is safe.
"""

import time

from diskcache import DjangoCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache


class DiskCache(DjangoCache):
    def close(self, **kwargs) -> None:
        """Kept open between requests (see the module's docstring)."""

    def count_hit(self, key: str, *, timeout: int, version: int | None = None) -> int:
        """Add one to the counter ``key`` and return its new value. A missing or expired
        counter starts again at 1 and lives ``timeout`` seconds from then.

        Django's API needs ``add`` then ``incr``: two write transactions on the shard, and
        every post counts two such limits. This is one, the way diskcache's own ``incr``
        works (its shard, its SQL), with the expiry that ``incr`` does not set.
        """
        key = self.make_and_validate_key(key, version=version)
        fanout = self._cache
        shard = fanout._shards[fanout._hash(key) % fanout._count]
        db_key, raw = shard._disk.put(key)
        now = time.time()
        with shard._transact(retry=True) as (sql, cleanup):
            rows = sql(
                "SELECT rowid, expire_time, value FROM Cache WHERE key = ? AND raw = ?",
                (db_key, raw),
            ).fetchall()
            if rows and (rows[0][1] is None or rows[0][1] > now):
                rowid, _, value = rows[0]
                sql(
                    "UPDATE Cache SET store_time = ?, value = ? WHERE rowid = ?",
                    (now, value + 1, rowid),
                )
                return value + 1
            columns = (now + timeout, None, *shard._disk.store(1, False, key=key))
            if rows:
                shard._row_update(rows[0][0], now, columns)
            else:
                shard._row_insert(db_key, raw, now, columns)
            shard._cull(now, sql, cleanup)
            return 1


class RedisCache(DjangoRedisCache):
    def count_hit(self, key: str, *, timeout: int, version: int | None = None) -> int:
        """As ``DiskCache.count_hit``: SET NX (the counter at 0, expiring) and INCR in one
        round trip. Django's serializer stores an int as the plain number, which INCR counts
        on, so ``get`` reads the counter back as an int."""
        key = self.make_and_validate_key(key, version=version)
        pipeline = self._cache.get_client(key, write=True).pipeline()
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]
