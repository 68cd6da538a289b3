"""Queue a task that must run if, and only if, the current transaction commits.

``transaction.on_commit(lambda: task.enqueue(...))`` leaves a gap: a web process killed (or a
queue that fails) between the commit and the enqueue loses the task while the write it was
for stays, and the provider's retry of a Stripe event is then a duplicate that queues nothing.

- When tasks are queued in the site's own database (the laptop tier), the task row is
  written inside the transaction: it commits with the donation or comment, or not at all.
- A queue elsewhere (RQ) cannot join the transaction, so an outbox row (``TaskOutbox``) is
  written inside it instead. Right after the commit the web process hands the task to the
  queue and deletes the row; the worker hands over, at start and every period, the rows
  older than ``TASK_OUTBOX_GRACE_SECONDS`` (left by a process that died in between, or by a
  queue that did not answer). A process dying after the hand-over and before the delete
  queues the task twice: tasks must be safe to run twice, as every queue requires anyway.
- The immediate backend runs the task inline on commit; there is nothing to lose.
"""

import logging
from datetime import timedelta

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from newsdesk.core.conf import setting
from newsdesk.core.models import TaskOutbox

logger = logging.getLogger(__name__)


def _queued_in_this_database(task) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def _runs_inline(task) -> bool:
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(task.get_backend(), ImmediateBackend)


def queue_joins_transactions(task) -> bool:
    """Whether queueing ``task`` happens inside the current transaction (the database queue)
    or runs it there (the immediate backend): then it is seen with the transaction's rows."""
    return _queued_in_this_database(task) or _runs_inline(task)


def outbox_grace() -> timedelta:
    return timedelta(seconds=float(setting("TASK_OUTBOX_GRACE_SECONDS")))


def task_enqueue_with_commit(task, *, robust: bool = False, **kwargs) -> None:
    """Queue ``task.enqueue(**kwargs)`` to run once the current transaction has committed.

    ``robust``: a failure to queue is logged instead of raised (for work that must not be
    undone because a follow-up, such as a receipt, could not be queued). Through the outbox
    a failure to reach the queue is never raised: the worker hands the task over later.
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
    if queue_joins_transactions(task):
        transaction.on_commit(lambda: task.enqueue(**kwargs), robust=robust)
        return
    row = TaskOutbox.objects.create(
        task_path=task.module_path, kwargs=kwargs, created_at=timezone.now()
    )
    transaction.on_commit(lambda: _hand_over(row_id=row.pk, task=task, kwargs=kwargs))


def _hand_over(*, row_id: int, task, kwargs: dict) -> bool:
    """Give the queue the task of outbox row ``row_id``, then delete the row. Never raises:
    a row that stays is handed over by the worker."""
    try:
        task.enqueue(**kwargs)
    except Exception:
        logger.exception("Could not queue %s(%s); the worker will retry", task.name, kwargs)
        return False
    try:
        TaskOutbox.objects.filter(pk=row_id).delete()
    except Exception:
        # Queued, but the row stays: the worker queues it again (at least once).
        logger.exception("Could not clear the outbox row of %s(%s)", task.name, kwargs)
    return True


def outbox_flush(*, older_than: timedelta | None = None, batch: int = 500) -> int:
    """Hand to the queue the outbox's tasks older than ``older_than`` (the grace period by
    default); return how many were queued. Rows a concurrent flush holds are skipped."""
    cutoff = timezone.now() - (outbox_grace() if older_than is None else older_than)
    queued, finished = 0, False
    while not finished:
        with transaction.atomic():
            rows = list(
                TaskOutbox.objects.select_for_update(skip_locked=True)
                .filter(created_at__lte=cutoff)
                .order_by("pk")[:batch]
            )
            done = []
            for row in rows:
                try:
                    import_string(row.task_path).enqueue(**row.kwargs)
                except Exception:
                    logger.exception("Outbox: could not queue %s; will retry", row)
                    continue
                done.append(row.pk)
            TaskOutbox.objects.filter(pk__in=done).delete()
        queued += len(done)
        # Stop when nothing is left, or when the queue is failing (retried next period).
        finished = not rows or len(done) < len(rows)
    if queued:
        logger.warning("Outbox: queued %d task(s) left by a process that stopped", queued)
    return queued
