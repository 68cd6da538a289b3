"""Queue a task that must run if, and only if, the current transaction commits.

``transaction.on_commit(lambda: task.enqueue(...))`` leaves a gap: a web process killed (or a
queue that fails) between the commit and the enqueue loses the task while the write it was
for stays, and the provider's retry of a Stripe event is then a duplicate that queues nothing.
When tasks are queued in the site's own database (the laptop tier), the task row is written
inside the transaction instead: it commits with the donation or comment, or not at all. A
queue elsewhere (RQ) cannot join the transaction; there the task is still queued on commit.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, transaction

logger = logging.getLogger(__name__)


def _queued_in_this_database(task) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def task_enqueue_with_commit(task, *, robust: bool = False, **kwargs) -> None:
    """Queue ``task.enqueue(**kwargs)`` to run once the current transaction has committed.

    ``robust``: a failure to queue is logged instead of raised (for work that must not be
    undone because a follow-up, such as a receipt, could not be queued).
    """
    in_transaction = transaction.get_connection(DEFAULT_DB_ALIAS).in_atomic_block
    if in_transaction and _queued_in_this_database(task):
        if not robust:
            task.enqueue(**kwargs)
            return
        try:
            with transaction.atomic():
                task.enqueue(**kwargs)
        except Exception:
            logger.exception("Could not queue %s(%s)", task.name, kwargs)
        return
    transaction.on_commit(lambda: task.enqueue(**kwargs), robust=robust)
