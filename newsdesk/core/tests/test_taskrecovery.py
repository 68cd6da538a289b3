"""Tasks a dead worker had claimed go back in the database queue; others' stay put."""

import socket
import subprocess
import sys

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from newsdesk.core.taskrecovery import (
    tasks_abandoned_requeue,
    tasks_of_this_worker_requeue,
    worker_id_for_this_process,
)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def rq_queue(settings):
    """The RQ queue of the newsroom tier (REDIS_URL), in a Redis database of its own (2:
    the suite's is 0, running test sites take 3-15), emptied before and after."""
    import os
    from urllib.parse import urlsplit, urlunsplit

    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        pytest.skip("the newsroom tier (REDIS_URL) runs the RQ recovery")
    import django_rq

    own_db = urlunsplit(urlsplit(redis_url)._replace(path="/2"))
    settings.RQ_QUEUES = {"default": {"URL": own_db}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


def claimed_by(worker_id: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"donation_id": 1}},
        task_path="newsdesk.funding.tasks.donation_receipt_send",
        backend_name="default",
        run_after=get_date_max(),
        status=TaskResultStatus.RUNNING,
        worker_ids=[worker_id],
    )


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


@pytest.mark.django_db
def test_a_task_of_a_dead_worker_of_this_host_is_queued_again(database_queue):
    host = socket.gethostname()[:40]
    abandoned = claimed_by(f"newsdesk:{host}:{dead_pid()}")
    alive = claimed_by(worker_id_for_this_process())
    elsewhere = claimed_by(f"newsdesk:another-host:{dead_pid()}")
    foreign = claimed_by("a3f9c0d2e1b4")

    assert tasks_abandoned_requeue() == 1

    abandoned.refresh_from_db()
    assert abandoned.status == TaskResultStatus.READY and abandoned.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=abandoned.pk).exists()
    for task in (alive, elsewhere, foreign):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING
    assert tasks_abandoned_requeue() == 0


@pytest.mark.django_db
def test_a_worker_starting_again_after_a_database_error_queues_its_own_tasks_again(
    database_queue,
):
    """The worker's queue loop ended on a database error while a task was in hand: the
    process lives on, so no other worker would ever take its task for abandoned."""
    own = claimed_by(worker_id_for_this_process())
    another = claimed_by(f"newsdesk:{socket.gethostname()[:40]}:{dead_pid()}")

    assert tasks_of_this_worker_requeue() == 1

    own.refresh_from_db()
    assert own.status == TaskResultStatus.READY and own.started_at is None
    another.refresh_from_db()
    assert another.status == TaskResultStatus.RUNNING  # the dead worker's: recovered apart
    assert tasks_of_this_worker_requeue() == 0


@pytest.mark.django_db
def test_other_task_backends_are_left_alone(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    claimed_by(f"newsdesk:{socket.gethostname()[:40]}:{dead_pid()}")
    assert tasks_abandoned_requeue() == 0


@pytest.mark.django_db
def test_an_rq_job_of_a_dead_worker_of_this_host_is_queued_again(rq_queue):
    """On the newsroom tier (REDIS_URL): the job goes back on the queue, out of the started
    registry, and a job of a live worker stays where it is."""
    import os

    from rq.executions import Execution
    from rq.job import JobStatus

    from newsdesk.funding.tasks import donation_receipt_send

    queue = rq_queue
    host = socket.gethostname()[:40]
    started = {}
    for who, pid in (("dead", dead_pid()), ("alive", os.getpid())):
        job = queue.fetch_job(donation_receipt_send.enqueue(donation_id=1).id)
        # What an RQ worker does when it takes a job: off the queue, into the started registry.
        queue.remove(job)
        with queue.connection.pipeline() as pipeline:
            Execution.create(job, ttl=600, pipeline=pipeline, worker_name=f"newsdesk.{host}.{pid}")
            job.set_status(JobStatus.STARTED, pipeline=pipeline)
            pipeline.execute()
        started[who] = job.id

    assert tasks_abandoned_requeue() == 1
    assert queue.job_ids == [started["dead"]]
    assert queue.fetch_job(started["dead"]).get_status() == JobStatus.QUEUED
    assert queue.started_job_registry.get_job_ids(cleanup=False) == [started["alive"]]
    assert tasks_abandoned_requeue() == 0


@pytest.mark.django_db
def test_an_rq_job_filed_started_by_a_worker_killed_before_it_marked_it_started_runs(rq_queue):
    """A worker files the execution in the started registry, then marks the job STARTED and
    drops it from the intermediate list: killed between the two, the job is still QUEUED
    in the registry (RQ would drop it unrun). It goes back on the queue, out of both lists;
    so does one whose execution record has expired since."""
    from rq.executions import Execution
    from rq.job import JobStatus

    from newsdesk.funding.tasks import donation_receipt_send

    queue = rq_queue
    host = socket.gethostname()[:40]
    taken = []
    for ttl in (600, 1):
        job_id = donation_receipt_send.enqueue(donation_id=1).id
        queue.connection.lmove(queue.key, queue.intermediate_queue.key)
        job = queue.fetch_job(job_id)
        with queue.connection.pipeline() as pipeline:
            execution = Execution.create(
                job, ttl=ttl, pipeline=pipeline, worker_name=f"newsdesk.{host}.{dead_pid()}"
            )
            pipeline.execute()
        taken.append((job_id, execution.key))
    queue.connection.delete(taken[1][1])  # the second one's record expired
    assert queue.job_ids == []
    assert len(queue.started_job_registry.get_job_ids(cleanup=False)) == 2

    assert tasks_abandoned_requeue() == 2
    assert sorted(queue.job_ids) == sorted(job_id for job_id, _ in taken)
    assert queue.started_job_registry.get_job_ids(cleanup=False) == []
    assert queue.intermediate_queue.get_job_ids() == []
    assert all(queue.fetch_job(job_id).get_status() == JobStatus.QUEUED for job_id, _ in taken)
    assert tasks_abandoned_requeue() == 0


@pytest.mark.django_db
def test_an_rq_job_taken_off_the_queue_by_a_worker_that_died_before_starting_it_runs(
    rq_queue, settings
):
    """RQ moves a job to its "intermediate" list as a worker takes it, and out as the worker
    starts it; a job left there (the worker killed in between) goes back on the queue once
    it has been seen there for RQ_TAKEN_NOT_STARTED_SECONDS, instead of being filed failed."""
    from rq.job import JobStatus

    from newsdesk.funding.tasks import donation_receipt_send

    settings.RQ_TAKEN_NOT_STARTED_SECONDS = 3600
    queue = rq_queue
    job_id = donation_receipt_send.enqueue(donation_id=1).id
    # What a worker's dequeue does before it starts the job.
    queue.connection.lmove(queue.key, queue.intermediate_queue.key)
    assert queue.job_ids == [] and queue.intermediate_queue.get_job_ids() == [job_id]

    # Seen for the first time (a live worker may be starting it this instant): left.
    assert tasks_abandoned_requeue() == 0
    assert queue.intermediate_queue.get_job_ids() == [job_id]
    settings.RQ_TAKEN_NOT_STARTED_SECONDS = 0
    assert tasks_abandoned_requeue() == 1
    assert queue.job_ids == [job_id]
    assert queue.intermediate_queue.get_job_ids() == []
    assert queue.fetch_job(job_id).get_status() == JobStatus.QUEUED
    assert tasks_abandoned_requeue() == 0
