"""The worker's recovery of tasks a dead worker left behind (see ``taskrecovery``) or a dead
web process left in the outbox (see ``taskqueue``)."""

from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.core.taskqueue import outbox_flush
from newsdesk.core.taskrecovery import tasks_abandoned_requeue


@hooks.register(newsdesk_hooks.WORKER_STARTUP)
@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def requeue_abandoned_tasks() -> None:
    """Tasks a killed worker had claimed run again instead of staying RUNNING for ever."""
    tasks_abandoned_requeue()


@hooks.register(newsdesk_hooks.WORKER_STARTUP)
@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def hand_over_outbox_tasks() -> None:
    """Tasks a web process wrote with its transaction but died before queueing (RQ tier)."""
    outbox_flush()
