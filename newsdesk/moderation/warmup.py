"""Warming the comment scorer, so the first reader's comment does not wait for scikit-learn
to load and the learned model to be read (or, on a fresh install, trained).

The worker warms itself at start-up (``wagtail_hooks.store_starter_model``, which also stores
the starter model). A web process warms in a background thread as it starts
(``ModerationConfig.ready`` under gunicorn, or ``scorer_warm_in_background()`` from a WSGI
module), so it answers requests meanwhile.
"""

import gc
import logging
import sys
import threading
import time

logger = logging.getLogger(__name__)


def scorer_warm() -> None:
    """Load every signal's model by scoring one harmless text (nothing is written)."""
    from django.apps import apps
    from django.db import connection

    # Started from an app's ready(): the other apps are still being set up.
    while not apps.ready:
        time.sleep(0.05)

    from newsdesk.moderation.evaluation import guest_candidate
    from newsdesk.moderation.scoring import comment_candidate_assess

    try:
        comment_candidate_assess(candidate=guest_candidate("Thank you for the report."))
    except Exception:  # a missing table before migrate: the first comment warms instead
        logger.exception("The comment scorer could not be warmed")
    finally:
        connection.close()


def heap_freeze() -> None:
    """Hide what start-up loaded from the garbage collector (``gc.freeze()``).

    A warmed web process holds some 260,000 objects from Django, Wagtail, scikit-learn and
    the models, all kept until it exits. Python's full collection walks every one of them
    (130 ms, measured in a warmed process) and runs every so often in the middle of some
    reader's request; frozen, they are skipped, and requests' own garbage is still collected.
    """
    gc.collect()
    gc.freeze()


def _warm_and_freeze() -> None:
    scorer_warm()
    heap_freeze()


def scorer_warm_in_background() -> threading.Thread:
    thread = threading.Thread(target=_warm_and_freeze, name="moderation-warmup", daemon=True)
    thread.start()
    return thread


def running_under_web_server() -> bool:
    program = sys.argv[0] if sys.argv else ""
    return program.endswith("gunicorn") or "gunicorn" in program.rsplit("/", 1)[-1]
