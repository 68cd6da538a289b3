"""The worker's recovery of tasks a dead worker left behind (see ``taskrecovery``) or a dead
web process left in the outbox (see ``taskqueue``), and its heartbeat for ``doctor``."""

from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.core.doctor.heartbeat import worker_heartbeat_start
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


@hooks.register(newsdesk_hooks.WORKER_STARTUP)
def report_worker_alive() -> None:
    """The worker says it is alive every minute, for ``manage.py doctor`` (the database queue
    has no heartbeat of its own), from a thread the other duties cannot hold up."""
    worker_heartbeat_start()
