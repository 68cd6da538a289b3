"""Wagtail's index tasks wait for the saving transaction's commit on RQ, which cannot join
it (a worker taking one before the commit found no page, or indexed the page as it was);
the database queue, inside the transaction, queues them as before."""

import os
from urllib.parse import urlsplit, urlunsplit

import modelsearch.signal_handlers
import pytest
import wagtail.signal_handlers
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from newsdesk.core.searchindex import TaskQueuedAfterCommit
from tests.support.factories import make_section

SEARCH_TASK = "modelsearch.tasks.insert_or_update_object_task"


def test_both_index_handlers_queue_through_the_wrapper():
    search_task = modelsearch.signal_handlers.insert_or_update_object_task
    assert isinstance(search_task, TaskQueuedAfterCommit)
    assert isinstance(wagtail.signal_handlers.update_reference_index_task, TaskQueuedAfterCommit)


@pytest.mark.django_db
def test_the_database_queue_takes_the_task_inside_the_transaction(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with transaction.atomic():
        make_section("Harbour")
        # Queued with the row: the worker sees both at the commit, or neither.
        assert DBTaskResult.objects.filter(task_path=SEARCH_TASK).exists()


@pytest.fixture
def rq_queue(settings):
    """RQ in a Redis database of its own (2), emptied before and after."""
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        pytest.skip("the newsroom tier (REDIS_URL) runs RQ")
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": urlunsplit(urlsplit(redis_url)._replace(path="/2"))}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


def _queued(queue) -> list[str]:
    return [job.func_name for job in queue.get_jobs()]


@pytest.mark.django_db
def test_rq_gets_the_index_task_only_once_the_page_is_committed(
    rq_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_section("Harbour")
        assert SEARCH_TASK not in _queued(rq_queue)  # a worker would find no page yet
    assert SEARCH_TASK in _queued(rq_queue)


@pytest.mark.django_db
def test_rq_gets_no_index_task_for_a_save_rolled_back(rq_queue, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_section("Harbour")
        raise RuntimeError("the editor's save failed")
    assert _queued(rq_queue) == []
