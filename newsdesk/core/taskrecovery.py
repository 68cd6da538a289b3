"""Tasks left behind by a worker that died (``kill -9``, a power cut, the OOM killer).

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
task whose worker died half-way stays RUNNING for ever, and the e-mail it was to send is lost.
RQ does notice a job whose worker died, but only once its heartbeat has expired (minutes),
and then files it as failed: it is not run again either; nor is a job the worker had taken
off the queue and not yet started (RQ files it failed after a minute in its intermediate
list).

Each worker (``manage.py worker``) therefore works under a name giving its host and process
(``worker_id_for_this_process``), and at start and every period it puts back in the queue
the tasks whose worker on this host is no longer alive. Such a task runs again from the
start: tasks must be safe to run twice (at-least-once, as every queue promises).
"""

import logging
import os
import socket
import time

from django.conf import settings
from django.db import transaction

from newsdesk.core.conf import setting

logger = logging.getLogger("newsdesk.worker")

WORKER_ID_PREFIX = "newsdesk"


def _host() -> str:
    return socket.gethostname()[:40]


def worker_id_for_this_process() -> str:
    """``newsdesk:<host>:<pid>`` (at most 64 characters, django-tasks-db's limit; RQ keys
    are split at colons, so RQ gets the same with dots)."""
    return f"{WORKER_ID_PREFIX}:{_host()}:{os.getpid()}"


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        # This worker has claimed nothing yet when it looks, or holds the task in hand.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed child its parent has not reaped yet is a zombie: dead all the same.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def worker_dead(worker_id: str) -> bool:
    """True only for a worker of this host whose process is gone; others are left alone."""
    separator = ":" if ":" in worker_id else "."
    prefix, _, rest = worker_id.partition(separator)
    host, _, pid = rest.rpartition(separator)
    if prefix != WORKER_ID_PREFIX or host != _host() or not pid.isdigit():
        return False
    return not _process_alive(int(pid))


def tasks_abandoned_requeue() -> int:
    """Put back in the queue the tasks a dead worker of this host had started (database
    queue or RQ); return how many."""
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.startswith("django_tasks_rq"):
        return _rq_abandoned_requeue()
    if not backend.startswith("django_tasks_db"):
        return 0
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids")
    abandoned = [row.pk for row in running if row.worker_ids and worker_dead(row.worker_ids[-1])]
    if not abandoned:
        return 0
    with transaction.atomic():
        # Only rows still RUNNING: one a live worker finished meanwhile stays finished.
        requeued = DBTaskResult.objects.filter(
            pk__in=abandoned, status=TaskResultStatus.RUNNING
        ).update(status=TaskResultStatus.READY, started_at=None)
    if requeued:
        logger.warning("Queued again %d task(s) left running by a worker that died", requeued)
    return requeued


def tasks_of_this_worker_requeue() -> int:
    """Put back in the queue the database queue's tasks this process had claimed; return how
    many. For a worker whose queue loop ended on a database error and starts again in the
    same process: nothing of this process runs a task any more, and its own name, alive,
    is never taken for a dead worker's."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    own = worker_id_for_this_process()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids")
    claimed = [row.pk for row in running if row.worker_ids and row.worker_ids[-1] == own]
    if not claimed:
        return 0
    requeued = DBTaskResult.objects.filter(pk__in=claimed, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
    if requeued:
        logger.warning("Queued again %d task(s) this worker was running", requeued)
    return requeued


def _rq_abandoned_requeue() -> int:
    import django_rq

    requeued = 0
    for queue_name in settings.RQ_QUEUES:
        queue = django_rq.get_queue(queue_name)
        requeued += _rq_started_requeue(queue)
        requeued += _rq_taken_not_started_requeue(queue)
    if requeued:
        logger.warning("Queued again %d RQ job(s) left started by a worker that died", requeued)
    return requeued


def _rq_started_requeue(queue) -> int:
    """Jobs in the started registry whose worker is dead.

    An RQ worker takes a job in two steps: it files an execution in the started registry,
    then marks the job STARTED and drops it from the intermediate list. A worker killed
    between the two leaves a job still QUEUED in the registry, which RQ's maintenance then
    drops without running it: QUEUED counts as abandoned as much as STARTED. An execution
    whose record has expired (its worker gone for longer than its heartbeat) is judged by
    the worker the job names.
    """
    from rq.executions import Execution
    from rq.job import JobStatus

    registry = queue.started_job_registry
    requeued = 0
    for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
        job = queue.fetch_job(job_id)
        status = job and job.get_status()
        if status not in (JobStatus.QUEUED, JobStatus.STARTED):
            continue  # finished or failed meanwhile; RQ clears the entry
        worker_name: str | None
        try:
            execution = Execution.fetch(id=execution_id, job_id=job_id, connection=queue.connection)
            worker_name = execution.worker_name
        except ValueError:
            # Expired: a QUEUED job was taken and never started by a worker gone for longer
            # than a heartbeat (a live one starts it within milliseconds).
            execution = None
            worker_name = job.worker_name if status == JobStatus.STARTED else None
        if worker_name is not None and not worker_dead(worker_name):
            continue
        # Queued first: dying in between leaves a queued job, never a lost one.
        queue.enqueue_job(job)
        with queue.connection.pipeline() as pipeline:
            if execution is not None:
                execution.delete(job=job, pipeline=pipeline)  # its registry entry too
            else:
                pipeline.zrem(registry.key, f"{job_id}:{execution_id}")
            pipeline.lrem(queue.intermediate_queue.key, 0, job_id)
            pipeline.execute()
        requeued += 1
    return requeued


def _rq_taken_not_started_requeue(queue) -> int:
    """Jobs a worker took off the queue and died before starting: RQ moves a job to an
    "intermediate" list as it takes it, and out of it within milliseconds as it starts it;
    after a ``kill -9`` in between, RQ's maintenance files the job as failed. Here a job seen
    there ``RQ_TAKEN_NOT_STARTED_SECONDS`` ago and still not started goes back on the queue."""
    connection = queue.connection
    intermediate = queue.intermediate_queue
    limit = float(setting("RQ_TAKEN_NOT_STARTED_SECONDS"))
    requeued = 0
    for job_id in intermediate.get_job_ids():
        if job_id in queue.started_job_registry:
            continue
        job = queue.fetch_job(job_id)
        if job is None:
            intermediate.remove(job_id)
            continue
        seen_key = f"newsdesk:rq:taken-not-started:{job_id}"
        connection.set(seen_key, time.time(), nx=True, ex=3600)
        if time.time() - float(connection.get(seen_key) or time.time()) < limit:
            continue
        # Queued first: dying in between leaves the job queued (and listed), never lost.
        queue.enqueue_job(job)
        intermediate.remove(job_id)
        connection.delete(seen_key)
        requeued += 1
    return requeued
