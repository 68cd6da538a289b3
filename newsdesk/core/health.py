"""Is this install able to serve? Checks of the database, the shared cache and the task queue.

``/readyz`` answers with ``readiness()``; ``manage.py doctor`` and the metrics reuse the
checks. Each check runs in a thread of its own and is waited for at most
``HEALTH_CHECK_TIMEOUT_SECONDS``: a store that hangs (a PostgreSQL host whose packets are
dropped, a diskcache shard held by a stuck process, which diskcache waits for without end)
makes the check fail in that time instead of holding the probe, and so the web process,
until the operating system gives up on the connection. A thread of its own also means a
database connection of its own, opened for the check and closed after it: the probe proves a
new connection can be made, and a request's connection (and its transaction) is never
touched. A check still running from an earlier probe is not started again (its failure is
reported at once), so a hung store costs one waiting thread per check, not one per probe.

The three run side by side, so ``readiness()`` takes the longest one's time, not the sum.
"""

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from newsdesk.core.conf import setting

DATABASE = "database"
CACHE = "cache"
TASK_QUEUE = "task_queue"


@dataclass(frozen=True)
class HealthCheck:
    """One check's answer: ``detail`` is a sentence for a person (what was found, or the
    error), ``seconds`` how long the check took (the timeout when it did not finish)."""

    name: str
    ok: bool
    detail: str
    seconds: float

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "ok": self.ok,
            "detail": self.detail,
            "seconds": round(self.seconds, 4),
        }


@dataclass(frozen=True)
class QueueState:
    """The task queue's backlog: tasks waiting to run (due now or later) and the age of the
    oldest one due, in seconds (0 when none is due)."""

    backend: str
    waiting: int
    oldest_seconds: float


# Checks started by a probe and not yet finished, by name (see the module's docstring).
_running: dict[str, threading.Thread] = {}
_running_lock = threading.Lock()


def _timeout() -> float:
    return float(setting("HEALTH_CHECK_TIMEOUT_SECONDS"))


def _run_bounded(name: str, probe: Callable[[], str], *, timeout: float | None) -> HealthCheck:
    """Run ``probe`` (which returns a detail or raises) in a thread, waiting ``timeout``."""
    limit = _timeout() if timeout is None else timeout
    outcome: dict[str, object] = {}
    started = time.perf_counter()

    def target() -> None:
        try:
            outcome["detail"] = probe()
        except BaseException as error:  # any failure of the store is the check's answer
            outcome["error"] = error
        finally:
            # The thread's own database connection, if the probe opened one.
            connections.close_all()
            with _running_lock:
                if _running.get(name) is thread:
                    del _running[name]

    with _running_lock:
        if name in _running:
            return HealthCheck(
                name=name,
                ok=False,
                detail="an earlier check has not finished yet: the store is not answering",
                seconds=0.0,
            )
        thread = threading.Thread(target=target, name=f"health-{name}", daemon=True)
        _running[name] = thread
    thread.start()
    thread.join(limit)
    seconds = time.perf_counter() - started
    if thread.is_alive():
        return HealthCheck(
            name=name, ok=False, detail=f"no answer within {limit:g} s", seconds=seconds
        )
    if "error" in outcome:
        error = outcome["error"]
        return HealthCheck(
            name=name, ok=False, detail=f"{type(error).__name__}: {error}", seconds=seconds
        )
    return HealthCheck(name=name, ok=True, detail=str(outcome["detail"]), seconds=seconds)


# --- the database ----------------------------------------------------------------------------
def _database_connection() -> BaseDatabaseWrapper:
    """The default database's connection of the calling thread (the check's own)."""
    from django.db import connection

    return connection


def _database_probe() -> str:
    from django.db.migrations.recorder import MigrationRecorder

    connection = _database_connection()
    connection.ensure_connection()
    vendor = connection.vendor
    # Below the ORM, on purpose: a statement timeout for this connection only (the check's
    # own, closed after it), so a locked SQLite file or a stuck PostgreSQL fails the check in
    # its timeout rather than the site's busy timeout (20 s).
    raw = connection.connection
    if vendor == "sqlite":
        raw.execute(f"PRAGMA busy_timeout = {int(_timeout() * 1000)}")
    elif vendor == "postgresql":
        raw.execute(f"SET statement_timeout = {int(_timeout() * 1000)}")
    # A table, not just ``SELECT 1``: SQLite answers that without reading the file.
    migrations = MigrationRecorder(connection).migration_qs.count()
    return f"{vendor} answered ({migrations} migrations applied)"


def database_check(*, timeout: float | None = None) -> HealthCheck:
    """Whether a new connection to the default database can be made and read a table, within
    ``timeout`` seconds (``HEALTH_CHECK_TIMEOUT_SECONDS`` by default). One query, on a
    connection of the check's own. Never raises."""
    return _run_bounded(DATABASE, _database_probe, timeout=timeout)


# --- the shared cache ------------------------------------------------------------------------
def _cache_probe() -> str:
    from django.core.cache import caches

    cache = caches["default"]
    key = f"newsdesk:health:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        read = cache.get(key)
    finally:
        cache.delete(key)
    if read != value:
        raise RuntimeError("a value written could not be read back")
    return f"{type(cache).__name__} wrote and read a value"


def cache_check(*, timeout: float | None = None) -> HealthCheck:
    """Whether the shared cache (Redis, or diskcache on a laptop) stores and returns a value
    within ``timeout`` seconds; the key is removed after. Never raises."""
    return _run_bounded(CACHE, _cache_probe, timeout=timeout)


# --- the task queue --------------------------------------------------------------------------
def task_backend_kind() -> str:
    """``database``, ``rq``, ``immediate`` or the backend's class path: which queue runs
    this install's tasks."""
    backend = str(setting("TASKS")["default"]["BACKEND"])
    if backend.startswith("django_tasks_db"):
        return "database"
    if backend.startswith("django_tasks_rq"):
        return "rq"
    if backend.endswith("ImmediateBackend"):
        return "immediate"
    return backend


def _age_seconds(moment: datetime | None, *, now: datetime) -> float:
    if moment is None:
        return 0.0
    return max(0.0, (now - moment).total_seconds())


def task_queue_state() -> QueueState:
    """The queue's backlog, read now (raises what the store raises when it does not answer).

    Database queue: one aggregate query over the rows still ``READY``; the oldest is the
    oldest due (``run_after`` passed), counted from when it fell due. RQ: the length of each
    of ``RQ_QUEUES``' queues and the ``enqueued_at`` of its head (its oldest job), plus the
    jobs scheduled for later. The immediate backend has no queue: nothing waits.
    """
    kind = task_backend_kind()
    now = timezone.now()
    if kind == "database":
        from django.db.models import Count, Min, Q
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        figures = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
            waiting=Count("pk"),
            oldest_due=Min("run_after", filter=Q(run_after__lte=now)),
        )
        return QueueState(
            backend=kind,
            waiting=figures["waiting"],
            oldest_seconds=_age_seconds(figures["oldest_due"], now=now),
        )
    if kind == "rq":
        import django_rq

        waiting = 0
        oldest = 0.0
        for queue_name in setting("RQ_QUEUES"):
            queue = django_rq.get_queue(queue_name)
            waiting += queue.count + queue.scheduled_job_registry.count
            head = queue.get_job_ids(0, 1)
            job = queue.fetch_job(head[0]) if head else None
            if job is not None and job.enqueued_at is not None:
                enqueued = job.enqueued_at
                if timezone.is_naive(enqueued):  # RQ stores UTC without a zone
                    enqueued = enqueued.replace(tzinfo=UTC)
                oldest = max(oldest, _age_seconds(enqueued, now=now))
        return QueueState(backend=kind, waiting=waiting, oldest_seconds=oldest)
    return QueueState(backend=kind, waiting=0, oldest_seconds=0.0)


def _task_queue_probe() -> str:
    if task_backend_kind() == "rq":
        import django_rq

        for queue_name in setting("RQ_QUEUES"):
            django_rq.get_queue(queue_name).connection.ping()
    state = task_queue_state()
    if state.backend == "immediate":
        return "tasks run inline (immediate backend): no queue"
    return (
        f"{state.backend} queue answered: {state.waiting} waiting, "
        f"oldest due {state.oldest_seconds:.0f} s ago"
    )


def task_queue_check(*, timeout: float | None = None) -> HealthCheck:
    """Whether the task queue answers within ``timeout`` seconds (the database queue's table;
    RQ's Redis), with its backlog in the detail. A backlog alone does not fail it: whether
    workers drain the queue is ``doctor``'s question, not a web process's readiness. Never
    raises."""
    return _run_bounded(TASK_QUEUE, _task_queue_probe, timeout=timeout)


# --- all of them -----------------------------------------------------------------------------
def readiness(*, timeout: float | None = None) -> list[HealthCheck]:
    """The database, cache and task-queue checks, run side by side (the whole takes about the
    slowest one's time, at most ``timeout``), in that order. Never raises."""
    checks = (database_check, cache_check, task_queue_check)
    results: list[HealthCheck | None] = [None] * len(checks)

    def run(index: int) -> None:
        results[index] = checks[index](timeout=timeout)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(checks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [result for result in results if result is not None]
