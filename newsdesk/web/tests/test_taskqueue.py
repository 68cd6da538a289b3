"""A task queued with a transaction commits with it, or not at all (database queue)."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from newsdesk.funding.tasks import donation_receipt_send
from newsdesk.web.taskqueue import task_enqueue_with_commit


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
