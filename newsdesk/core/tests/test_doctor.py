"""``manage.py doctor``: each check failing and passing, and the exit codes.

In-process, on the test database and cache: the workers' heartbeat, the queue's oldest task,
backups in a folder of the test's own, the payment provider under production settings, what
requests carried through a proxy, collected static files. The unapplied migration (and the
database migrated by a newer release) is in test_upgrade.py, on a real migration.
"""

import os
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from newsdesk.core import clientaddr, doctor
from newsdesk.core.doctor import basics, running
from newsdesk.core.doctor.heartbeat import worker_heartbeat_record

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def fresh_notes(monkeypatch):
    """No heartbeat or arrival noted by an earlier test (the cache and this process's
    once-a-minute memory of what it wrote)."""
    cache.clear()
    monkeypatch.setattr(clientaddr, "_arrivals_written", {})
    yield
    cache.clear()


# --- workers and the queue --------------------------------------------------------------------


def queued_task(*, minutes_ago: float) -> None:
    from django_tasks_db.models import DBTaskResult

    moment = timezone.now() - timedelta(minutes=minutes_ago)
    row = DBTaskResult.objects.create(
        task_path="newsdesk.articles.tasks.publish_scheduled_pages",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=moment,
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=moment)


def test_workers_fail_with_no_worker_alive_and_pass_with_one(settings):
    settings.TASKS = DATABASE_QUEUE
    finding = running.workers_check()
    assert finding.status == doctor.FAIL
    assert "no worker alive" in finding.found
    assert "manage.py worker" in finding.todo

    worker_heartbeat_record(worker_id="newsdesk:host:1")
    finding = running.workers_check()
    assert finding.status == doctor.OK, finding
    assert "1 worker(s) alive" in finding.found


def test_workers_fail_when_the_worker_stopped_beating(settings):
    settings.TASKS = DATABASE_QUEUE
    worker_heartbeat_record(worker_id="newsdesk:host:1", at=time.time() - 600)
    finding = running.workers_check()
    assert finding.status == doctor.FAIL
    assert "the last beat 10 min ago" in finding.found


def test_workers_fail_when_the_queue_does_not_drain(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.DOCTOR_QUEUE_MAX_AGE_MINUTES = 10
    worker_heartbeat_record()
    queued_task(minutes_ago=2)
    assert running.workers_check().status == doctor.OK

    queued_task(minutes_ago=30)
    finding = running.workers_check()
    assert finding.status == doctor.FAIL
    assert "not draining: 2 task(s) waiting, the oldest due 30 min ago" in finding.found


def test_the_worker_beats_from_its_first_startup_duty(monkeypatch):
    from wagtail import hooks

    from newsdesk.core import hooks as newsdesk_hooks
    from newsdesk.core import wagtail_hooks as core_hooks
    from newsdesk.core.doctor import heartbeat
    from newsdesk.core.taskrecovery import worker_id_for_this_process

    started = []
    monkeypatch.setattr(
        core_hooks,
        "worker_heartbeat_start",
        lambda: started.append(heartbeat.worker_heartbeat_start(every=3600)),
    )
    assert core_hooks.report_worker_alive in hooks.get_hooks(newsdesk_hooks.WORKER_STARTUP)
    core_hooks.report_worker_alive()
    try:
        for _ in range(100):
            if worker_id_for_this_process() in heartbeat.worker_heartbeats():
                break
            time.sleep(0.05)
        assert worker_id_for_this_process() in heartbeat.worker_heartbeats()
        # One beating thread per process.
        assert heartbeat.worker_heartbeat_start(every=3600) is started[0]
    finally:
        started[0].set()


# --- backups ----------------------------------------------------------------------------------


def backup_file(folder: Path, name: str, *, hours_ago: float, mode: int = 0o600) -> Path:
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / name
    path.write_bytes(b"backup")
    path.chmod(mode)
    moment = time.time() - hours_ago * 3600
    os.utime(path, (moment, moment))
    return path


def test_backups_warn_when_there_is_none(settings, tmp_path):
    settings.BACKUP_DIR = str(tmp_path / "backups")
    finding = running.backups_check()
    assert finding.status == doctor.WARN
    assert "no backup in" in finding.found
    assert "backup_database" in finding.todo


def test_backups_fail_when_the_newest_is_old_and_pass_when_recent(settings, tmp_path):
    folder = tmp_path / "backups"
    settings.BACKUP_DIR = str(folder)
    backup_file(folder, "newsdesk-1.dump", hours_ago=50)
    backup_file(folder, "newsdesk-2.dump", hours_ago=27)
    # Neither a partial copy being written nor a restore's safety copy counts.
    backup_file(folder, ".newsdesk-3.dump.partial", hours_ago=0)
    backup_file(folder, "db.before-restore-1.sqlite3", hours_ago=0)
    finding = running.backups_check()
    assert finding.status == doctor.FAIL
    assert "newest newsdesk-2.dump" in finding.found and "older than 26 h" in finding.found

    backup_file(folder, "newsdesk-4.dump", hours_ago=1)
    finding = running.backups_check()
    assert finding.status == doctor.OK, finding
    assert "newsdesk-4.dump" in finding.found


def test_backups_warn_when_the_newest_is_readable_by_others(settings, tmp_path):
    folder = tmp_path / "backups"
    settings.BACKUP_DIR = str(folder)
    backup_file(folder, "newsdesk-1.dump", hours_ago=1, mode=0o644)
    finding = running.backups_check()
    assert finding.status == doctor.WARN
    assert "chmod 600" in finding.todo


# --- payments ---------------------------------------------------------------------------------


def test_payments_fail_in_production_without_a_provider(settings):
    settings.NEWSDESK_PRODUCTION = True
    settings.STRIPE_SECRET_KEY = ""
    settings.FUNDING_TEST_PAYMENTS = False
    finding = basics.payments_check()
    assert finding.status == doctor.FAIL
    assert finding.found.startswith("funding.E001")
    assert "STRIPE_SECRET_KEY" in finding.todo


def test_payments_pass_with_live_keys_or_the_demo_deliberately_allowed(settings):
    settings.NEWSDESK_PRODUCTION = True
    settings.STRIPE_SECRET_KEY = ""
    settings.FUNDING_TEST_PAYMENTS = True
    finding = basics.payments_check()
    assert finding.status == doctor.OK
    assert "allowed by FUNDING_TEST_PAYMENTS=1" in finding.found

    settings.FUNDING_TEST_PAYMENTS = False
    settings.STRIPE_SECRET_KEY = "sk_live_0123456789"
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert basics.payments_check().found.startswith("funding.E002")
    settings.STRIPE_WEBHOOK_SECRET = "whsec_0123456789"
    finding = basics.payments_check()
    assert finding.status == doctor.OK
    assert "live keys" in finding.found


# --- client addresses through the proxy --------------------------------------------------------


def test_proxy_fails_when_the_proxy_is_not_trusted_and_passes_once_it_is(client, settings):
    settings.TRUSTED_PROXIES = []
    client.get("/robots.txt", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    finding = running.proxy_check()
    assert finding.status == doctor.FAIL
    assert finding.found.startswith(
        "requests arrive from 127.0.0.1 with X-Forwarded-For but TRUSTED_PROXIES is empty: "
        "every reader looks like one address"
    )
    assert "TRUSTED_PROXIES=127.0.0.1" in finding.todo

    # Once the proxy is named, the note taken before no longer counts against it.
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert running.proxy_check().status != doctor.FAIL
    client.get("/robots.txt", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    finding = running.proxy_check()
    assert finding.status == doctor.OK, finding
    assert "through the trusted proxy 127.0.0.1" in finding.found


def test_proxy_warns_of_a_forwarded_header_from_a_public_peer(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.get("/robots.txt", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    finding = running.proxy_check()
    assert finding.status == doctor.WARN
    assert "203.0.113.9" in finding.found


def test_proxy_warns_when_the_trusted_proxy_sends_no_header(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.get("/robots.txt", REMOTE_ADDR="127.0.0.1")
    finding = running.proxy_check()
    assert finding.status == doctor.WARN
    assert "carry no X-Forwarded-For" in finding.found


def test_proxy_warns_when_no_request_was_seen_and_passes_for_direct_readers(client, settings):
    settings.TRUSTED_PROXIES = []
    assert running.proxy_check().status == doctor.WARN
    client.get("/robots.txt", REMOTE_ADDR="198.51.100.7")
    finding = running.proxy_check()
    assert finding.status == doctor.OK
    assert "straight from readers" in finding.found


def test_the_arrival_note_is_written_once_a_minute_and_never_fails_a_request(
    client, settings, monkeypatch
):
    settings.TRUSTED_PROXIES = []
    real_cache = clientaddr.cache

    class CountingCache:
        def __init__(self, *, broken: bool = False):
            self.writes = 0
            self.broken = broken

        def set(self, *args, **kwargs):
            self.writes += 1
            if self.broken:
                raise ConnectionError("the cache is down")
            return real_cache.set(*args, **kwargs)

    counting = CountingCache()
    monkeypatch.setattr(clientaddr, "cache", counting)
    for _ in range(5):
        client.get("/robots.txt", REMOTE_ADDR="198.51.100.7")
    assert counting.writes == 1

    clientaddr._arrivals_written.clear()
    broken = CountingCache(broken=True)
    monkeypatch.setattr(clientaddr, "cache", broken)
    assert client.get("/robots.txt", REMOTE_ADDR="198.51.100.7").status_code == 200
    assert broken.writes == 1


# --- settings ---------------------------------------------------------------------------------


def test_settings_fail_in_production_with_debug_or_no_hosts(settings):
    settings.NEWSDESK_PRODUCTION = True
    settings.DEBUG = True
    finding = basics.settings_check()
    assert finding.status == doctor.FAIL
    assert "DEBUG is on" in finding.found

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = []
    finding = basics.settings_check()
    assert finding.status == doctor.FAIL
    assert "ALLOWED_HOSTS is empty" in finding.found


def test_settings_report_system_check_errors(settings):
    from django.core import checks

    def broken(app_configs=None, **kwargs):
        return [checks.Error("something is wrong", hint="fix it", id="test.E001")]

    registry = checks.registry.registry
    registry.register(broken)
    try:
        finding = basics.settings_check()
    finally:
        registry.registered_checks.discard(broken)
    assert finding.status == doctor.FAIL
    assert "test.E001: something is wrong fix it" in finding.found


# --- static files -----------------------------------------------------------------------------


@pytest.mark.slow
def test_static_files_fail_until_collected_and_when_changed(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    finding = running.static_check()
    assert finding.status == doctor.FAIL
    assert "never collected" in finding.found

    call_command("collectstatic", interactive=False, verbosity=0)
    finding = running.static_check()
    assert finding.status == doctor.OK, finding

    (tmp_path / "static" / "pagecache" / "personal.js").write_bytes(b"// an older release")
    finding = running.static_check()
    assert finding.status == doctor.FAIL
    assert "1 changed since collectstatic (e.g. pagecache/personal.js)" in finding.found


# --- the command and its exit codes ------------------------------------------------------------


def test_the_command_prints_a_line_per_check_and_exits_0_with_warnings(settings, tmp_path):
    settings.BACKUP_DIR = str(tmp_path / "none")  # WARN: no backup
    out = StringIO()
    try:
        call_command("doctor", stdout=out)
    except CommandError:
        pytest.fail(f"doctor failed:\n{out.getvalue()}")
    lines = out.getvalue().splitlines()
    names = [line.split()[1] for line in lines if line.split()[0] in {"OK", "WARN", "FAIL"}]
    assert names == [
        "settings",
        "database",
        "cache",
        "migrations",
        "workers",
        "payments",
        "proxy",
        "backups",
        "static",
    ]
    backups_line = next(i for i, line in enumerate(lines) if line.startswith("WARN backups"))
    assert "-> take one" in lines[backups_line + 1]
    assert lines[-1].endswith("0 FAIL")

    with pytest.raises(CommandError) as strict:
        call_command("doctor", "--strict", stdout=StringIO())
    assert strict.value.returncode == 1


def test_the_command_exits_1_on_a_failure(settings):
    settings.NEWSDESK_PRODUCTION = True
    settings.STRIPE_SECRET_KEY = ""
    settings.FUNDING_TEST_PAYMENTS = False
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("doctor", stdout=out)
    assert failed.value.returncode == 1
    assert "FAIL payments" in out.getvalue()


def test_a_check_that_breaks_is_a_failure_not_a_traceback(monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(running, "static_check", broken)
    findings = doctor.doctor_run()
    assert findings[-1].status == doctor.FAIL
    assert "RuntimeError: boom" in findings[-1].found
