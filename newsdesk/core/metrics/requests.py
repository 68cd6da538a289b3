"""Requests counted in the web process that answered them (see the package's docstring).

Under gunicorn, ``newsdesk/gunicorn_conf.py`` gives each master a folder
(``METRICS_MULTIPROC_DIR``/<address>) and names it in ``PROMETHEUS_MULTIPROC_DIR`` before
its workers are forked: prometheus_client reads that variable when it is imported, and then
keeps each worker's values in a file there. Without it (tests, ``runserver``) the counts are
this process's own.
"""

import time
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, values
from prometheus_client.multiprocess import MultiProcessCollector

# Methods outside these are counted as "other": a client cannot make new series at will.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# This process's own registry (never prometheus_client's global one, which libraries fill).
REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "newsdesk_http_requests",
    "HTTP requests answered, by method, route (the URL pattern's name or view) and status class.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "newsdesk_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by method and route.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)


def multiprocess_on() -> bool:
    """Whether this process keeps its counts in a shared folder (under gunicorn)."""
    return values.ValueClass is not values.MutexValue


def request_observe(*, method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its time."""
    method = method if method in METHODS else "other"
    REQUESTS.labels(method=method, route=route, status=f"{status // 100}xx").inc()
    LATENCY.labels(method=method, route=route).observe(seconds)


def request_collectors() -> Iterable:
    """What to collect the request figures from: every worker's files under gunicorn, this
    process's registry otherwise."""
    if multiprocess_on():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return [registry]
    return [REGISTRY]


def monotonic() -> float:
    return time.perf_counter()
