"""Wagtail's search and reference index tasks, queued once the saved row is visible.

Wagtail (and its ``modelsearch``) queue an index task from ``post_save``, inside the saving
transaction: a page published, a section added. The database queue of the laptop tier is
inside that transaction too, so its worker sees the task and the row together. RQ cannot
join it: its worker could take the task before the commit and find no row (a new page: an
error, and the page never in search) or the row as it was (an edited page: the search index
keeps the old title and text until the next edit). On such a queue the task is handed over
when the transaction commits, and dropped with a rollback.

The handlers read the task from their module's globals when they run, so wrapping those two
names is enough; nothing of the handlers' own logic is copied. Not through the outbox of
``core/taskqueue.py``: it would write a row for every indexed save (a page and each of its
child rows), and an index update lost with a process dying at the commit is made good by the
page's next save or ``update_index``, unlike a receipt.
"""

from django.db import transaction


class TaskQueuedAfterCommit:
    """A task whose ``enqueue`` waits for the current transaction's commit on a queue that
    cannot join it (RQ); elsewhere (the database queue, the immediate backend) it is queued
    as it was. The return value is the task result, or None when the queueing waits: the
    index handlers never read it."""

    def __init__(self, task):
        self.task = task

    def enqueue(self, *args, **kwargs):
        from newsdesk.core.taskqueue import queue_joins_transactions

        if queue_joins_transactions(self.task):
            return self.task.enqueue(*args, **kwargs)
        transaction.on_commit(lambda: self.task.enqueue(*args, **kwargs))
        return None

    def __getattr__(self, name: str):
        return getattr(self.task, name)


def index_tasks_queue_after_commit() -> None:
    """Wrap the tasks the search and reference index handlers queue (idempotent)."""
    import modelsearch.signal_handlers as search_handlers
    import wagtail.signal_handlers as wagtail_handlers

    for module, name in (
        (search_handlers, "insert_or_update_object_task"),
        (wagtail_handlers, "update_reference_index_task"),
    ):
        task = getattr(module, name)
        if not isinstance(task, TaskQueuedAfterCommit):
            setattr(module, name, TaskQueuedAfterCommit(task))
