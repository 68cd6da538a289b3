"""gunicorn's configuration for Newsdesk, its server hooks:
``gunicorn newsdesk.wsgi -c python:newsdesk.gunicorn_conf``.

``manage.py serve`` passes it, and so must every other way of starting the web processes (the
README's and ``docs/production.md``'s commands, ``deploy/systemd/newsdesk-web@.service``).
Command-line options given beside it (``--bind``, ``--workers``...) still apply.

It holds the server hooks only; like ``wsgi.py`` and ``urls.py`` it is the project's, not an
app's, so it may call any app (see ``docs/architecture.md``).
"""

import gc
import logging
import os
import re
import threading

from newsdesk.core.logconfig import gunicorn_logger_class
from newsdesk.core.metrics import multiproc
from newsdesk.settings import observability

logger = logging.getLogger("newsdesk.web_process")

# gunicorn's own lines (its errors and the access log) in the site's format, LOG_FORMAT's
# text or JSON with ISO 8601 UTC timestamps (newsdesk/core/logconfig.py); in JSON an access
# line carries the request's method, path, status, duration and X-Request-ID as fields.
logger_class = gunicorn_logger_class(observability.LOG_FORMAT)
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" id=%({x-request-id}o)s'

# Threads, not gunicorn's default sync workers. A sync worker gives itself to each accepted
# connection until a request has come through it: a browser's speculative preconnects, or
# any client opening sockets and sending nothing, held both workers and stalled the whole
# site until gunicorn's 30 s timeout killed them (`manage.py serve` faces browsers with no
# proxy in front). A gthread worker parks an idle connection on its poller after a few
# seconds and keeps its threads for requests that arrive. Behind nginx, which buffers each
# request, threads cost nothing. `--threads` on the command line still overrides.
worker_class = "gthread"
threads = 8


def heap_freeze() -> int:
    """Hide what start-up loaded from the garbage collector (``gc.freeze()``); returns the
    number of objects frozen.

    A warmed web process holds some 260,000 objects from Django, Wagtail, scikit-learn and
    the models, all kept until it exits. Python's full collection walks every one of them
    (130 ms, measured in a warmed process) and runs every so often in the middle of some
    reader's request; frozen, they are skipped, and requests' own garbage is still collected.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def web_process_warm() -> None:
    """Warm the comment scorer, then freeze the heap: the freeze comes last, so what the
    warm-up loaded (scikit-learn, the models) is frozen too."""
    from newsdesk.moderation.warmup import scorer_warm

    scorer_warm()
    frozen = heap_freeze()
    logger.info("Web process warm: %d objects frozen", frozen)


def control_socket_for(*, default: str, configured: str, bind: list[str]) -> str:
    """The control socket of this master: the one the operator named (``--control-socket``),
    or gunicorn's default folder with a file named after the addresses it binds.

    gunicorn's default is one path per user (``$XDG_RUNTIME_DIR/gunicorn.ctl`` or
    ``~/.gunicorn/gunicorn.ctl``): a second master of that user on the same host removes the
    first's socket and takes its place, and whichever stops first removes the other's, so
    ``gunicornc`` reaches the wrong master or none. Two masters on one host never bind the
    same address, so the address names the socket: ``gunicorn-127.0.0.1-8000.ctl``.
    """
    if configured != default:
        return configured
    name = re.sub(r"[^A-Za-z0-9.]+", "-", "_".join(bind)).strip("-") or "default"
    return os.path.join(os.path.dirname(default), f"gunicorn-{name}.ctl")


def on_starting(server) -> None:
    """gunicorn's hook, in the master before it listens and before its control socket
    starts: give this master a control socket of its own (``control_socket_for``)."""
    cfg = server.cfg
    path = control_socket_for(
        default=cfg.settings["control_socket"].default,
        configured=cfg.control_socket,
        bind=list(cfg.bind),
    )
    cfg.set("control_socket", path)
    server.log.info("Control socket: %s", path)
    metrics_folder_set(bind=list(cfg.bind))


def metrics_folder_set(*, bind: list[str]) -> str:
    """Give this master's workers one folder to count their requests in (prometheus_client's
    multiprocess mode, newsdesk/core/metrics/requests.py), emptied now: named in the
    environment before any worker is forked and before any of them imports prometheus_client,
    which reads it once, at import."""
    folder = multiproc.multiproc_dir_prepare(root=observability.METRICS_MULTIPROC_DIR, bind=bind)
    os.environ[multiproc.MULTIPROC_VARIABLE] = folder
    return folder


def child_exit(server, worker) -> None:
    """gunicorn's hook, in the master when a worker has exited: its live gauges go (its
    counts stay in the folder, so the totals never go back)."""
    folder = os.environ.get(multiproc.MULTIPROC_VARIABLE)
    if folder:
        multiproc.worker_exited(pid=worker.pid, folder=folder)


def post_worker_init(worker) -> threading.Thread:
    """gunicorn's hook, in each worker once it has loaded the application.

    The warm-up runs in a thread, so the worker answers requests meanwhile. In each worker,
    not in the master: a thread started before the fork would not survive it, and without
    ``--preload`` the master has not loaded Django at all."""
    thread = threading.Thread(target=web_process_warm, name="web-process-warmup", daemon=True)
    thread.start()
    return thread
