"""The shared caches: on the laptop tier diskcache's Django backend (SQLite files on disk) with
its connections kept open; on the newsroom tier Django's Redis backend with a counter that
costs one round trip (``count_hit``, used by ``core/ratelimit.counter_hit``).

Django closes every cache at the end of every request (for clients that hold a socket per
request); reopening diskcache's SQLite connections then costs about twenty statements per
shard on the next request, several times the cost of the cache operations themselves.
diskcache reopens its connections by itself in a forked child (it checks the process id),
so keeping them is safe.
"""

from diskcache import DjangoCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache


class DiskCache(DjangoCache):
    def close(self, **kwargs) -> None:
        """Kept open between requests (see the module's docstring)."""


class RedisCache(DjangoRedisCache):
    def count_hit(self, key: str, *, timeout: int, version: int | None = None) -> int:
        """Add one to the counter ``key`` and return its new value; a missing or expired
        counter starts again at 1 and lives ``timeout`` seconds from then.

        SET NX (the counter at 0, expiring) and INCR in one round trip. Django's ``incr``
        checks EXISTS then INCRs, two round trips, and an INCR on a key that expired between
        the two makes a counter that never expires. Django's serializer stores an int as the
        plain number, which INCR counts on, so ``get`` reads the counter back as an int.

        The client comes from ``self._cache.get_client(key, write=True)``, Django's own
        (private) way to its redis-py client: ``core/tests/test_counters.py`` fails on an
        upgrade of Django that changes it.
        """
        key = self.make_and_validate_key(key, version=version)
        pipeline = self._cache.get_client(key, write=True).pipeline()
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]
