"""The purge hooks (a CDN's purge by surrogate key) hear of every invalidation after its
commit, and of an editor's change once more when every process has renewed its copy of it:
a CDN that fetched the page from a process still holding the old copy in between would keep
that copy until its own expiry."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.pagecache.tags import pages_invalidate

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def purged():
    """The tag lists the registered CDN purge hook was called with, in order."""
    calls: list[list[str]] = []
    with hooks.register_temporarily(newsdesk_hooks.PAGECACHE_PURGE, calls.append):
        yield calls


def _settled_purges() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith="tags_purge_settled"))


@override_settings(TASKS=DATABASE_TASKS, PROCESS_CACHE_CHECK_SECONDS=5.0)
def test_an_editors_change_is_purged_at_commit_and_again_when_it_has_settled(
    purged, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        pages_invalidate(tags=["site", "page:7"], settle=True)
        assert purged == []  # nothing is purged before the change is visible
    assert purged == [["page:7", "site"]]

    [queued] = _settled_purges()
    assert queued.args_kwargs["kwargs"] == {"tags": ["page:7", "site"]}
    # Due once the other processes' copies are renewed (5 s), not before.
    due = queued.run_after
    assert before + timedelta(seconds=5) <= due <= timezone.now() + timedelta(seconds=7)

    queued.task.call(**queued.args_kwargs["kwargs"])
    assert purged == [["page:7", "site"], ["page:7", "site"]]


@override_settings(TASKS=DATABASE_TASKS, PROCESS_CACHE_CHECK_SECONDS=5.0)
def test_a_change_read_fresh_by_every_process_is_purged_once(
    purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pages_invalidate(tags=["page:7"])
    assert purged == [["page:7"]]
    assert _settled_purges() == []


@override_settings(TASKS=DATABASE_TASKS, PROCESS_CACHE_CHECK_SECONDS=5.0)
def test_without_a_purge_hook_nothing_is_queued(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pages_invalidate(tags=["site"], settle=True)
    assert _settled_purges() == []


@override_settings(TASKS=DATABASE_TASKS, PROCESS_CACHE_CHECK_SECONDS=5.0)
def test_a_change_rolled_back_is_never_purged(purged, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        pages_invalidate(tags=["page:7"], settle=True)
        raise RuntimeError("the editor's save failed")
    assert purged == []
    assert _settled_purges() == []
