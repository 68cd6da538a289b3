"""The web processes warm their comment scorer, then freeze their heap, from gunicorn's
``post_worker_init`` hook (``newsdesk/gunicorn_conf.py``), and every way of starting them
passes that configuration module."""

import gc
import re
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from newsdesk import gunicorn_conf
from newsdesk.core.management.commands.serve import GUNICORN_CONFIG, gunicorn_command
from newsdesk.moderation import warmup

BASE_DIR = Path(settings.BASE_DIR)


def test_the_heap_is_frozen_once_the_scorer_is_warm(monkeypatch):
    gc.unfreeze()
    seen = []
    # The warming itself (scikit-learn, the models) is covered by the scoring tests; here,
    # what follows it.
    monkeypatch.setattr(warmup, "scorer_warm", lambda: seen.append(gc.get_freeze_count()))
    try:
        gunicorn_conf.post_worker_init(worker=None).join(timeout=60)
        assert seen == [0], "the heap was frozen before the scorer was warm"
        frozen = gc.get_freeze_count()
        # Everything alive then, not just a few objects: what a full collection would walk.
        assert frozen > len(gc.get_objects()) / 2
    finally:
        gc.unfreeze()


def test_starting_django_warms_nothing_and_freezes_nothing():
    """No sniffing of how the process was started: importing and setting up Django (tests,
    every command, the worker) neither warms the scorer nor freezes the heap."""
    source = (BASE_DIR / "newsdesk" / "moderation" / "apps.py").read_text()
    assert "warm" not in re.sub(r"#.*", "", source)
    for path in (BASE_DIR / "newsdesk").rglob("*.py"):
        if "tests" in path.parts or path.name == "gunicorn_conf.py":
            continue
        text = path.read_text()
        assert "sys.argv" not in text, f"{path.relative_to(BASE_DIR)} sniffs sys.argv"
        assert "gc.freeze" not in text, f"{path.relative_to(BASE_DIR)} freezes the heap"


def _gunicorn_config(monkeypatch, argv: list[str]):
    """The configuration gunicorn itself builds from this command line (nothing started)."""
    from gunicorn.app.wsgiapp import WSGIApplication

    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.chdir(BASE_DIR)
    return WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg


def test_serve_runs_gunicorn_with_the_hook(monkeypatch):
    command = gunicorn_command(host="127.0.0.1", port=8123, workers=3, access_log=True)
    assert command[command.index("--config") + 1] == GUNICORN_CONFIG
    cfg = _gunicorn_config(monkeypatch, command)
    assert cfg.post_worker_init is gunicorn_conf.post_worker_init
    # The options given beside the module still apply.
    assert cfg.workers == 3
    assert cfg.bind == ["127.0.0.1:8123"]


def test_the_config_module_sets_only_the_hook():
    """gunicorn applies every module-level name that matches one of its settings: a helper
    named like a setting (``timeout``, ``bind``, ``workers``...) would change the server."""
    from gunicorn.config import Config

    assert set(vars(gunicorn_conf)) & set(Config().settings) == {
        "on_starting",
        "post_worker_init",
        # The metrics folder's cleanup, and the site's log format (newsdesk/core/logconfig.py).
        "child_exit",
        "logger_class",
        "access_log_format",
        # Threads: idle connections must not hold the workers (test_idle_connections.py).
        "worker_class",
        "threads",
    }


def _gunicorn_commands(text: str) -> list[str]:
    """Each command line starting gunicorn on ``newsdesk.wsgi`` in a document, with its
    backslash continuations joined."""
    text = re.sub(r"\\\n\s*", " ", text)
    return [line for line in text.splitlines() if re.search(r"gunicorn\s+newsdesk\.wsgi", line)]


def test_every_documented_start_of_gunicorn_passes_the_config():
    documents = [BASE_DIR / "README.md", *sorted((BASE_DIR / "docs").glob("*.md"))]
    documents += sorted(p for p in (BASE_DIR / "deploy").rglob("*") if p.is_file())
    found = 0
    for path in documents:
        for command in _gunicorn_commands(path.read_text()):
            found += 1
            assert re.search(r"(-c|--config)[ =]python:newsdesk\.gunicorn_conf\b", command), (
                f"{path.relative_to(BASE_DIR)}: {command.strip()}"
            )
    assert found >= 3  # the README, docs/production.md and the systemd sample


def test_the_served_sites_workers_warmed_and_froze_their_heap(running_site):
    """``manage.py serve`` (what ``make demo`` and every served test run): each of its two
    gunicorn workers logs the end of its warm-up, after the heap was frozen."""
    deadline = time.monotonic() + 180  # a deadline for a slow machine, not a speed check
    while True:
        log = running_site.log_path.read_text(errors="replace")
        frozen = [int(n) for n in re.findall(r"Web process warm: (\d+) objects frozen", log)]
        if len(frozen) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert len(frozen) >= 2, log[-3000:]
    # A warmed process holds hundreds of thousands of objects; all of them were frozen.
    assert min(frozen) > 100_000


@pytest.mark.django_db
def test_serve_trains_the_starter_models_before_any_process_starts(monkeypatch):
    """A web process that trained them itself would keep a reader's first comment waiting
    past gunicorn's timeout (a 500): ``serve`` runs the ``SITE_STARTING`` steps first."""
    import subprocess

    from django.core.management import call_command

    from newsdesk.moderation.signals import learned

    order = []
    monkeypatch.setattr(learned, "starter_bundle", lambda: order.append("trained"))

    def popen(*args, **kwargs):
        order.append("process started")
        raise RuntimeError("stop here")

    monkeypatch.setattr(subprocess, "Popen", popen)
    with pytest.raises(RuntimeError, match="stop here"):
        call_command("serve", "--no-worker", "--port", "8999")
    assert order == ["trained", "process started"]


def test_idle_connections_do_not_stall_the_site(running_site):
    """The attack: open sockets to the served site and send nothing, as a browser's
    speculative preconnects do by accident and a hostile client on purpose. With gunicorn's
    sync workers each such socket held a whole worker until its 30 s timeout: three of them
    and no reader got an answer. The site must keep answering."""
    import socket
    import urllib.request

    idle = [socket.create_connection(("127.0.0.1", running_site.port)) for _ in range(6)]
    try:
        # Well under gunicorn's 30 s worker timeout, which was what ended the stall.
        with urllib.request.urlopen(running_site.url + "/robots.txt", timeout=10) as response:
            assert response.status == 200
    finally:
        for sock in idle:
            sock.close()
