"""The laptop tier's shared cache: diskcache's Django backend (SQLite files on disk) with
its connections kept open.

Django closes every cache at the end of every request (for clients that hold a socket per
request); reopening diskcache's SQLite connections then costs about twenty statements per
shard on the next request, several times the cost of the cache operations themselves.
diskcache reopens its connections by itself in a forked child (it checks the process id),
so keeping them is safe.
"""

from diskcache import DjangoCache


class DiskCache(DjangoCache):
    def close(self, **kwargs) -> None:
        """Kept open between requests (see the module's docstring)."""
