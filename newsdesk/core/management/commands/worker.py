"""The background worker: runs queued tasks (database queue, or RQ on the newsroom tier).

Besides the queue, it runs every app's duties (hooks of ``core/hooks.py``):

- ``WORKER_STARTUP`` hooks once before it takes tasks (e.g. publish pages that fell due
  while no worker was running);
- ``WORKER_PERIODIC`` hooks every ``--period`` seconds in a background thread, so
  time-based work (scheduled pages, due partner feeds) happens even if a queued task was lost
  or the queue cannot hold a task for later.
"""

import ctypes
import functools
import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.core.taskrecovery import tasks_of_this_worker_requeue, worker_id_for_this_process

logger = logging.getLogger("newsdesk.worker")


# prctl(2)'s option asking Linux to signal a process when the thread that forked it ends.
PR_SET_PDEATHSIG = 1


def end_with_parent(*, parent_pid: int) -> bool:
    """In a child this worker forked (RQ's scheduler): have Linux send it SIGTERM when the
    worker dies, however it dies; returns whether the request was made.

    RQ forks its scheduler and stops it only on a clean exit: a worker killed with
    ``kill -9`` or by the OOM killer left the scheduler running, an orphan still holding the
    queue's scheduler lock, so the next worker's scheduler could not take it. On SIGTERM the
    scheduler releases its lock and exits. Only Linux has this; elsewhere nothing changes.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
            return False
    except (OSError, AttributeError):
        return False
    # The worker may have died between the fork and the prctl: then no signal would come.
    if os.getppid() != parent_pid:
        os.kill(os.getpid(), signal.SIGTERM)
    return True


def run_duties(hook_name: str) -> None:
    for duty in hooks.get_hooks(hook_name):
        try:
            duty()
        except Exception:
            # One app's failing duty must not stop the worker or the other duties.
            logger.exception("Worker duty %s failed", getattr(duty, "__name__", duty))
        finally:
            close_old_connections()


def periodic_loop(*, period: float, stop: threading.Event) -> None:
    while not stop.wait(period):
        run_duties(newsdesk_hooks.WORKER_PERIODIC)


class Command(BaseCommand):
    help = "Run queued background tasks and periodic duties until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between polls of the database queue.",
        )
        parser.add_argument(
            "--period",
            type=float,
            default=60.0,
            help="Seconds between runs of the periodic duties.",
        )

    def handle(
        self,
        *args: Any,
        max_tasks: int | None,
        interval: float,
        period: float,
        **options: Any,
    ) -> None:
        run_duties(newsdesk_hooks.WORKER_STARTUP)
        stop = threading.Event()
        periodic = threading.Thread(
            target=periodic_loop,
            kwargs={"period": period, "stop": stop},
            daemon=True,
            name="newsdesk-periodic",
        )
        periodic.start()
        try:
            self.run_queue(max_tasks=max_tasks, interval=interval)
        finally:
            stop.set()

    def run_queue(self, *, max_tasks: int | None, interval: float) -> None:
        # str(): the settings modules' TASKS dicts mix strings and lists (QUEUES), so mypy
        # reads every value as a sequence; BACKEND is always a dotted path.
        backend = str(settings.TASKS["default"]["BACKEND"])
        if backend.startswith("django_tasks_rq"):
            rq_args = [
                "default",
                "--job-class",
                "django_tasks_rq.Job",
                "--with-scheduler",
                # Jobs run in this process: RQ's default forks a child per job, which costs
                # about 45 ms a job here against 8 ms, and a burst of comments and gifts
                # queues a job each.
                "--worker-class",
                "rq.worker.SimpleWorker",
                # Names this process, so a successor can tell its jobs were abandoned if it
                # dies (see core/taskrecovery.py).
                "--name",
                worker_id_for_this_process().replace(":", "."),
            ]
            if max_tasks:
                rq_args += ["--max-jobs", str(max_tasks)]
            # The scheduler is forked from the main thread (RQ's maintenance), which lives as
            # long as the worker: its parent-death signal fires when the worker dies.
            os.register_at_fork(
                after_in_child=functools.partial(end_with_parent, parent_pid=os.getpid())
            )
            call_command("rqworker", *rq_args)
        elif backend.startswith("django_tasks_db"):
            db_args = [
                "--interval",
                str(interval),
                "--queue-name",
                "*",
                "--no-startup-delay",
                "--no-reload",
                # Names this process, so a successor can tell its tasks were abandoned
                # if it dies (see core/taskrecovery.py).
                "--worker-id",
                worker_id_for_this_process(),
            ]
            if max_tasks:
                db_args += ["--max-tasks", str(max_tasks)]
            self.db_worker_run(db_args=db_args, interval=interval)
        else:
            self.stdout.write(f"The {backend} backend runs tasks without a worker; nothing to do.")

    def db_worker_run(self, *, db_args: list[str], interval: float) -> None:
        """django-tasks-db's worker, started again after a database error ends it.

        Its loop opens each poll's transaction outside its own handling of a locked
        database, so a lock held longer than the busy timeout (a backup, a stuck writer, a
        restore) or a database server restarting ended the worker, and ``serve`` then stopped
        the whole site. Here the worker waits and polls again; a task it was running goes
        back in the queue (tasks are safe to run twice). A stop signal in the wait ends the
        process: the handler of the run that ended exits when no task is in hand.
        """
        wait = max(interval, 1.0)
        failed_before = False
        while True:
            started = time.monotonic()
            try:
                if failed_before:
                    tasks_of_this_worker_requeue()
                call_command("db_worker", *db_args)
                return
            except (OperationalError, InterfaceError) as error:
                # One warning an outage: an attempt that failed at once is the same outage.
                if not failed_before or time.monotonic() - started > 2 * wait:
                    logger.warning(
                        "The task queue's database is not answering (%s); polling it again "
                        "every %.0f s",
                        error,
                        wait,
                    )
                failed_before = True
                connections.close_all()
                time.sleep(wait)
