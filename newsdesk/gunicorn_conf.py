"""gunicorn's configuration for Newsdesk, its server hooks:
``gunicorn newsdesk.wsgi -c python:newsdesk.gunicorn_conf``.

``manage.py serve`` passes it, and so must every other way of starting the web processes (the
README's and ``docs/production.md``'s commands, ``deploy/systemd/newsdesk-web.service``).
Command-line options given beside it (``--bind``, ``--workers``...) still apply.

It holds the server hooks only; like ``wsgi.py`` and ``urls.py`` it is the project's, not an
app's, so it may call any app (see ``docs/architecture.md``).
"""

import gc
import logging
import threading

logger = logging.getLogger("newsdesk.web_process")


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


def post_worker_init(worker) -> threading.Thread:
    """gunicorn's hook, in each worker once it has loaded the application.

    The warm-up runs in a thread, so the worker answers requests meanwhile. In each worker,
    not in the master: a thread started before the fork would not survive it, and without
    ``--preload`` the master has not loaded Django at all."""
    thread = threading.Thread(target=web_process_warm, name="web-process-warmup", daemon=True)
    thread.start()
    return thread
