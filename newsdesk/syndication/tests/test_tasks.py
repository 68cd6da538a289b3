"""The poll task: it polls what is due, keeps one run queued, and starts with the worker."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.syndication.models import PollSchedule, Source
from newsdesk.syndication.services import poll_next_due_at, poll_run_request
from newsdesk.syndication.tasks import poll_due_sources
from newsdesk.syndication.tests.feeds import Story, rss

pytestmark = pytest.mark.django_db
TASK_PATH = "newsdesk.syndication.tasks.poll_due_sources"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_runs():
    return list(
        DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")
        .order_by("run_after")
        .values_list("run_after", flat=True)
    )


def test_the_task_polls_every_due_source(make_source, feed_server):
    due = make_source(feed_server.add("/a.rss", body=rss([Story("a", "A", "https://p.example/a")])))
    later = make_source(feed_server.add("/b.rss", body=rss([])))
    Source.objects.filter(pk=later.pk).update(next_poll_at=timezone.now() + timedelta(hours=1))

    result = poll_due_sources.enqueue()

    assert result.return_value == [
        {
            "source": due.pk,
            "result": "ok",
            "summary": "1 added, 0 updated, 0 skipped, 0 failed",
            "error": "",
        }
    ]
    assert feed_server.requests["/b.rss"] == 0


def test_one_run_stays_queued_however_often_it_is_asked_for(
    database_queue, django_capture_on_commit_callbacks
):
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert poll_run_request(when=now + timedelta(minutes=10)) is True
        assert poll_run_request(when=now + timedelta(minutes=30)) is False  # covered already
        assert poll_run_request(when=now + timedelta(minutes=5)) is True  # sooner: queued

    runs = queued_runs()
    assert len(runs) == 2 and runs[0] == PollSchedule.objects.get().queued_for


def test_the_next_run_is_when_the_first_source_falls_due(make_source, settings):
    settings.SYNDICATION_IDLE_RECHECK_MINUTES = 60
    now = timezone.now()
    assert poll_next_due_at(now=now) == now + timedelta(minutes=60)  # no source: idle wait
    source = make_source("https://p.example/feed")
    Source.objects.filter(pk=source.pk).update(next_poll_at=now + timedelta(minutes=7))
    assert poll_next_due_at(now=now) == now + timedelta(minutes=7)
    Source.objects.filter(pk=source.pk).update(next_poll_at=now - timedelta(minutes=7))
    assert poll_next_due_at(now=now) == now + timedelta(seconds=30)  # never a busy loop


def test_the_worker_starts_the_poll_task(
    database_queue, make_source, django_capture_on_commit_callbacks
):
    startup = [
        fn
        for fn in hooks.get_hooks(newsdesk_hooks.WORKER_STARTUP)
        if fn.__module__ == "newsdesk.syndication.wagtail_hooks"
    ]
    assert len(startup) == 1

    with django_capture_on_commit_callbacks(execute=True):
        startup[0]()

    [run_after] = queued_runs()
    assert abs((run_after - timezone.now()).total_seconds()) < 60


def test_a_run_queues_the_next_one_for_the_next_due_source(
    database_queue, make_source, django_capture_on_commit_callbacks
):
    source = make_source("https://p.example/feed")
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now() + timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        poll_due_sources.call()

    [run_after] = queued_runs()
    assert abs((run_after - (timezone.now() + timedelta(hours=1))).total_seconds()) < 60
