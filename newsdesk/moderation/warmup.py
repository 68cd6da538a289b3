"""Warming the comment scorer, so the first reader's comment does not wait for scikit-learn
to load and the learned model to be read (or, on a fresh install, trained).

The worker warms itself at start-up (``wagtail_hooks.store_starter_model``, which also stores
the starter model). A web process warms in a background thread once gunicorn has loaded the
application (the ``post_worker_init`` hook of ``newsdesk/gunicorn_conf.py``, which then freezes
the heap), so it answers requests meanwhile.
"""

import logging

logger = logging.getLogger(__name__)


def scorer_warm() -> None:
    """Load every signal's model by scoring one harmless text (nothing is written)."""
    from django.db import connection

    from newsdesk.moderation.evaluation import guest_candidate
    from newsdesk.moderation.scoring import comment_candidate_assess

    try:
        comment_candidate_assess(candidate=guest_candidate("Thank you for the report."))
    except Exception:  # a missing table before migrate: the first comment warms instead
        logger.exception("The comment scorer could not be warmed")
    finally:
        connection.close()
