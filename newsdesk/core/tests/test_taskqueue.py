"""A task queued with a transaction commits with it, or not at all: in the database queue's
own table, or through the outbox for a queue outside the database (RQ)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.core.models import TaskOutbox
from newsdesk.core.taskqueue import outbox_flush, task_enqueue_with_commit
from newsdesk.funding.tasks import donation_receipt_send


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Abandoned(Exception):
    pass


@pytest.mark.django_db
def test_the_task_row_is_written_inside_the_transaction(database_queue):
    with transaction.atomic():
        task_enqueue_with_commit(donation_receipt_send, donation_id=41)
        # Already in the transaction: a process killed after the commit cannot lose it.
        assert DBTaskResult.objects.filter(args_kwargs__kwargs__donation_id=41).count() == 1
    assert DBTaskResult.objects.ready().filter(args_kwargs__kwargs__donation_id=41).count() == 1


@pytest.mark.django_db
def test_a_rolled_back_transaction_queues_nothing(database_queue):
    with pytest.raises(Abandoned), transaction.atomic():
        task_enqueue_with_commit(donation_receipt_send, robust=True, donation_id=42)
        raise Abandoned
    assert not DBTaskResult.objects.filter(args_kwargs__kwargs__donation_id=42).exists()


@pytest.mark.django_db
def test_another_queue_is_given_the_task_on_commit(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = donation_receipt_send.get_backend()
    backend.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        task_enqueue_with_commit(donation_receipt_send, donation_id=43)
        # RQ cannot join the transaction: nothing is queued before the commit.
        assert backend.results == []
    assert len(callbacks) == 1
    assert [result.kwargs for result in backend.results] == [{"donation_id": 43}]


# --- a queue outside the database (RQ): the outbox ------------------------------------------
@pytest.fixture
def outside_queue(settings):
    """A queue the database's transactions cannot reach, as RQ (django-tasks' dummy backend
    keeps what it is given in a list)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = donation_receipt_send.get_backend()
    backend.clear()
    return backend


def queued_kwargs(backend) -> list[dict]:
    return [result.kwargs for result in backend.results]


@pytest.mark.django_db
def test_an_outbox_row_commits_with_the_write_and_goes_once_the_queue_has_the_task(
    outside_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        task_enqueue_with_commit(donation_receipt_send, robust=True, donation_id=44)
        row = TaskOutbox.objects.get()
        assert (row.task_path, row.kwargs) == (
            donation_receipt_send.module_path,
            {"donation_id": 44},
        )
        assert queued_kwargs(outside_queue) == []
    assert queued_kwargs(outside_queue) == [{"donation_id": 44}]
    assert not TaskOutbox.objects.exists()


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_no_outbox_row(outside_queue):
    with pytest.raises(Abandoned), transaction.atomic():
        task_enqueue_with_commit(donation_receipt_send, donation_id=45)
        raise Abandoned
    assert not TaskOutbox.objects.exists()
    assert queued_kwargs(outside_queue) == []


@pytest.mark.django_db
def test_a_task_whose_process_died_after_the_commit_is_queued_by_the_worker_once(
    outside_queue, django_capture_on_commit_callbacks
):
    # The process dies after the commit: its on-commit hand-over never runs.
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        task_enqueue_with_commit(donation_receipt_send, robust=True, donation_id=46)
    assert queued_kwargs(outside_queue) == []
    # Within the grace period the row may still be the live process's: left alone.
    assert outbox_flush() == 0
    assert TaskOutbox.objects.count() == 1
    TaskOutbox.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert outbox_flush() == 1
    assert outbox_flush() == 0
    assert queued_kwargs(outside_queue) == [{"donation_id": 46}]
    assert not TaskOutbox.objects.exists()


@pytest.mark.django_db
def test_a_queue_that_does_not_answer_keeps_the_task_for_later(
    outside_queue, monkeypatch, django_capture_on_commit_callbacks
):
    real_enqueue = type(outside_queue).enqueue

    def refuse(self, task, args, kwargs):
        raise ConnectionError("the queue is not answering")

    monkeypatch.setattr(type(outside_queue), "enqueue", refuse)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        # The write commits; the failed hand-over after it raises nothing.
        task_enqueue_with_commit(donation_receipt_send, donation_id=47)
    assert TaskOutbox.objects.count() == 1
    assert outbox_flush(older_than=timedelta(0)) == 0
    assert TaskOutbox.objects.count() == 1

    monkeypatch.setattr(type(outside_queue), "enqueue", real_enqueue)
    assert outbox_flush(older_than=timedelta(0)) == 1
    assert queued_kwargs(outside_queue) == [{"donation_id": 47}]
    assert not TaskOutbox.objects.exists()


@pytest.mark.django_db
def test_the_worker_hands_over_the_outbox_at_start_and_every_period(outside_queue):
    from wagtail import hooks

    from newsdesk.core.wagtail_hooks import hand_over_outbox_tasks

    assert hand_over_outbox_tasks in hooks.get_hooks(newsdesk_hooks.WORKER_STARTUP)
    assert hand_over_outbox_tasks in hooks.get_hooks(newsdesk_hooks.WORKER_PERIODIC)
    TaskOutbox.objects.create(
        task_path=donation_receipt_send.module_path,
        kwargs={"donation_id": 48},
        created_at=timezone.now() - timedelta(minutes=1),
    )
    hand_over_outbox_tasks()
    assert {"donation_id": 48} in queued_kwargs(outside_queue)
    assert not TaskOutbox.objects.exists()
