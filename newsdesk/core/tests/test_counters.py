"""The shared counter behind rate limits: one write a hit, exact under concurrent processes,
restarted when its window expires, on each cache the site runs on."""

import inspect
import multiprocessing
import os
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache

from newsdesk.core import ratelimit
from newsdesk.core.cachebackend import DiskCache, RedisCache


def _disk_cache(location) -> DiskCache:
    return DiskCache(str(location), {"SHARDS": 4, "DATABASE_TIMEOUT": 0.25})


def _redis_cache() -> RedisCache:
    if not settings.REDIS_URL:
        pytest.skip("Redis runs on the newsroom tier only (REDIS_URL)")
    return RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"counters-{uuid.uuid4()}"})


@pytest.fixture(params=["disk", "locmem", "redis"])
def shared_cache(request, tmp_path, monkeypatch):
    """``counter_hit`` on each backend, as ``django.core.cache.cache``."""
    if request.param == "disk":
        backend = _disk_cache(tmp_path / "cache")
    elif request.param == "locmem":
        backend = LocMemCache(f"counters-{uuid.uuid4()}", {})
    else:
        backend = _redis_cache()
    monkeypatch.setattr(ratelimit, "cache", backend)
    return backend


def test_counts_each_hit_and_reads_back_as_a_number(shared_cache):
    counts = [ratelimit.counter_hit(key="comments:ip:1", timeout=60) for _ in range(5)]

    assert counts == [1, 2, 3, 4, 5]
    assert shared_cache.get("comments:ip:1") == 5
    assert ratelimit.counter_hit(key="comments:ip:2", timeout=60) == 1


def test_an_expired_counter_starts_again_at_one(tmp_path, monkeypatch):
    backend = _disk_cache(tmp_path / "cache")
    monkeypatch.setattr(ratelimit, "cache", backend)
    clock = [1_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])  # diskcache's clock
    for _ in range(3):
        ratelimit.counter_hit(key="k", timeout=10)

    clock[0] += 9
    assert ratelimit.counter_hit(key="k", timeout=10) == 4
    clock[0] += 2  # ten seconds after the first hit: the window is over
    assert ratelimit.counter_hit(key="k", timeout=10) == 1
    assert ratelimit.counter_hit(key="k", timeout=10) == 2


def test_a_flood_across_a_window_boundary_gets_the_limit_once(tmp_path, monkeypatch):
    """The attack on windows cut by the clock: ten posts in the last seconds of one window
    and ten more in the first of the next, all twenty allowed within twenty seconds. The
    window starts at the flood's first request, wherever the clock stands."""
    monkeypatch.setattr(ratelimit, "cache", _disk_cache(tmp_path / "cache"))
    clock = [299_990.0]  # ten seconds before a multiple of the five-minute window
    monkeypatch.setattr(time, "time", lambda: clock[0])
    rate = ratelimit.RateLimit(limit=10, window=300)

    refused = []
    for _ in range(20):
        refused.append(ratelimit.rate_limit_exceeded(action="post", who="ip:x", rate=rate))
        clock[0] += 1

    assert refused == [False] * 10 + [True] * 10
    clock[0] = 299_990.0 + 301  # just over five minutes after the first: a new window
    assert ratelimit.rate_limit_exceeded(action="post", who="ip:x", rate=rate) is False


def test_redis_counter_gets_the_window_as_its_expiry(monkeypatch):
    backend = _redis_cache()
    monkeypatch.setattr(ratelimit, "cache", backend)
    ratelimit.counter_hit(key="ttl", timeout=30)
    ratelimit.counter_hit(key="ttl", timeout=30)  # a later hit keeps the first expiry

    key = backend.make_and_validate_key("ttl")
    assert 0 < backend._cache.get_client(key).ttl(key) <= 30


def _hit_many(location: str, times: int) -> None:
    ratelimit.cache = _disk_cache(location)  # a forked child's own module
    for _ in range(times):
        ratelimit.counter_hit(key="flood", timeout=60)
    os._exit(0)  # a forked child: skip pytest's exit handlers


def test_disk_counter_is_exact_when_processes_hit_it_at_once(tmp_path):
    location = str(tmp_path / "cache")
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=_hit_many, args=(location, 150)) for _ in range(4)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=60)

    assert [child.exitcode for child in children] == [0, 0, 0, 0]
    assert _disk_cache(location).get("flood") == 600


def test_the_disk_counter_needs_no_counter_of_its_own():
    """On the laptop tier the counter is the cache framework's ``incr`` and ``add`` (diskcache's
    public API), not a method reaching into diskcache's shards."""
    assert not hasattr(DiskCache, "count_hit")


def test_the_redis_counter_reaches_redis_py_as_django_does():
    """``RedisCache.count_hit`` gets its redis-py client through Django's private
    ``RedisCache._cache.get_client(key, write=True)`` and pipelines ``SET ... EX NX`` with
    ``INCR``: an upgrade of Django or redis-py that changes any of it fails here, on every
    tier (no command is sent, so no server is needed)."""
    backend = RedisCache("redis://127.0.0.1:9/0", {})
    client = backend._cache.get_client("ratelimit:k", write=True)

    assert isinstance(client, redis.Redis)
    pipeline = client.pipeline()
    assert {"name", "value", "ex", "nx"} <= set(inspect.signature(pipeline.set).parameters)
    assert "name" in inspect.signature(pipeline.incr).parameters
    pipeline.set("ratelimit:k", 0, ex=30, nx=True)
    pipeline.incr("ratelimit:k")
    assert len(pipeline.command_stack) == 2  # queued, one round trip when executed
    pipeline.reset()
