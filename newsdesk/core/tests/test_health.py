"""``/healthz`` and ``/readyz`` in-process, on whichever tier the suite runs (SQLite and the
local cache, or PostgreSQL and Redis when ``NEWSDESK_TEST_*``/``DATABASE_URL``/``REDIS_URL``
are set): answers, budgets, host checks, and real failures of the database and the cache.
The same against a real gunicorn, with SQLite locked, is in ``test_metrics_gunicorn.py``."""

import json
import socket
import threading
import time

import pytest
from django.conf import settings
from django.db import connections
from django.db.utils import ConnectionHandler

from newsdesk.core import health
from tests.support.ports import free_port

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_touching_database_or_cache(
    client, django_assert_num_queries, monkeypatch
):
    def no_cache(*args, **kwargs):
        raise AssertionError("/healthz touched the cache")

    monkeypatch.setattr("django.core.cache.cache.get", no_cache)
    monkeypatch.setattr("django.core.cache.cache.set", no_cache)
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("host", ["127.0.0.1", "newsdesk-web:8000", "10.0.0.5"])
def test_probes_answer_whatever_the_host(client, host):
    """A load balancer or a compose healthcheck asks by address or container name, which
    ALLOWED_HOSTS does not list; a page with that host is still refused."""
    assert client.get("/healthz", HTTP_HOST=host).status_code == 200
    assert client.get("/readyz", HTTP_HOST=host).status_code == 200
    if host != "127.0.0.1":
        assert client.get("/robots.txt", HTTP_HOST=host).status_code == 400


def test_readyz_names_each_check_and_stays_in_its_budget(client, django_assert_max_num_queries):
    # The checks run on connections of their own (core/health.py): the request's makes none.
    with django_assert_max_num_queries(1):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["ready"] is True
    assert [check["name"] for check in body["checks"]] == ["database", "cache", "task_queue"]
    for check in body["checks"]:
        assert check["ok"] is True, check
        assert check["detail"]
        assert 0 <= check["seconds"] < 60


def test_the_database_probe_makes_one_query(django_assert_num_queries):
    """What ``/readyz`` costs the database: one query (on the check's own connection)."""
    from django.test.utils import CaptureQueriesContext

    captured = {}

    def probe():
        with CaptureQueriesContext(connections["default"]) as queries:
            health._database_probe()
        captured["n"] = len(queries)
        connections.close_all()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join(30)
    assert captured["n"] == 1


def _unreachable_databases() -> ConnectionHandler:
    """The default database's settings pointed where nothing answers: a file in a folder
    that does not exist (SQLite), a port nobody listens on (PostgreSQL)."""
    settings_dict = dict(connections["default"].settings_dict)
    if connections["default"].vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-newsdesk-folder/db.sqlite3"
        settings_dict["TEST"] = {"NAME": settings_dict["NAME"]}
    else:
        settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(free_port())
    return ConnectionHandler({"default": settings_dict})


def test_readyz_is_503_naming_the_database_when_it_is_unreachable(client, monkeypatch):
    # Made in the check's own thread, as the real one is.
    monkeypatch.setattr(health, "_database_connection", lambda: _unreachable_databases()["default"])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    checks = {check["name"]: check for check in json.loads(response.content)["checks"]}
    assert checks["database"]["ok"] is False
    assert "OperationalError" in checks["database"]["detail"]
    assert checks["cache"]["ok"] is True
    # Alive all the same.
    assert client.get("/healthz").status_code == 200


def _redis_cache_at(port: int, *, timeout: float) -> dict:
    return {
        "default": {
            "BACKEND": "newsdesk.core.cachebackend.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }


def test_readyz_is_503_naming_the_cache_when_redis_is_unreachable(client, settings):
    settings.CACHES = _redis_cache_at(free_port(), timeout=1)
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = {check["name"]: check for check in json.loads(response.content)["checks"]}
    assert checks["cache"]["ok"] is False
    assert "ConnectionError" in checks["cache"]["detail"]
    assert checks["database"]["ok"] is True


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers (a hung Redis)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(5)
    for conn in accepted:
        conn.close()
    listener.close()


def test_a_hung_cache_fails_the_check_in_its_timeout_and_is_not_piled_up(settings, silent_server):
    settings.CACHES = _redis_cache_at(silent_server, timeout=3)
    started = time.monotonic()
    first = health.cache_check(timeout=0.3)
    assert time.monotonic() - started < 2.5
    assert (first.ok, first.detail) == (False, "no answer within 0.3 s")
    # The first is still waiting on its socket: a second probe does not start another.
    second = health.cache_check(timeout=0.3)
    assert second.ok is False and "earlier check has not finished" in second.detail
    # Once the hung call gives up, checks run again.
    deadline = time.monotonic() + 10
    while health.CACHE in health._running and time.monotonic() < deadline:
        time.sleep(0.1)
    assert health.CACHE not in health._running


def test_the_task_queue_check_counts_the_database_queue(settings):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from newsdesk.funding.tasks import donation_receipt_send

    assert task_backends["default"].__class__.__name__ == "DatabaseBackend"
    before = health.task_queue_state()
    donation_receipt_send.enqueue(donation_id=0)
    after = health.task_queue_state()
    assert (before.backend, after.backend) == ("database", "database")
    assert after.waiting == before.waiting + 1
    assert after.oldest_seconds >= 0


def test_readiness_runs_every_check_and_never_raises(monkeypatch):
    # Made in the check's own thread, as the real one is.
    monkeypatch.setattr(health, "_database_connection", lambda: _unreachable_databases()["default"])
    checks = health.readiness(timeout=5)
    assert [c.name for c in checks] == ["database", "cache", "task_queue"]
    assert [c.ok for c in checks] == [False, True, True]
    assert all(isinstance(c, health.HealthCheck) for c in checks)


@pytest.mark.skipif(not settings.REDIS_URL, reason="the RQ queue needs REDIS_URL (newsroom tier)")
def test_the_task_queue_check_counts_the_rq_queue(settings):
    import django_rq

    from newsdesk.funding.tasks import donation_receipt_send

    settings.RQ_QUEUES = {"default": {"URL": settings.REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    try:
        assert health.task_queue_state().waiting == 0
        donation_receipt_send.enqueue(donation_id=0)
        time.sleep(1.1)
        state = health.task_queue_state()
        assert (state.backend, state.waiting) == ("rq", 1)
        assert state.oldest_seconds >= 1
        check = health.task_queue_check()
        assert check.ok and "rq queue answered: 1 waiting" in check.detail
    finally:
        queue.empty()
