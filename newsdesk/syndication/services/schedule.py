"""Keeping one ``poll_due_sources`` task queued, for the moment the next source is due.

Worker start-ups, new sources and each run ask for a run at some time; ``PollSchedule``
remembers the time already queued, so a request that an earlier queued run covers is
dropped and the task never multiplies into parallel chains.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from newsdesk.syndication import conf
from newsdesk.syndication.models import PollSchedule, Source

# The soonest a run queues the next one, so a source that stays due (claimed by a poll
# that died) cannot make the worker spin.
MIN_GAP = timedelta(seconds=30)


def poll_next_due_at(*, now: datetime | None = None) -> datetime:
    """When the poll task should next run: the earliest due source, at most an idle wait."""
    now = now or timezone.now()
    idle = now + timedelta(minutes=conf.idle_recheck_minutes())
    earliest = Source.objects.filter(enabled=True).aggregate(at=Min("next_poll_at"))["at"]
    return min(max(earliest or idle, now + MIN_GAP), idle)


def poll_run_request(*, when: datetime | None = None) -> bool:
    """Queue ``poll_due_sources`` to run at ``when`` (now if omitted) unless a run is already
    queued for then or earlier. Returns whether a run was queued.

    With a backend that cannot defer tasks (the tests' immediate backend), nothing is
    queued: callers there poll directly.
    """
    from newsdesk.syndication.tasks import poll_due_sources

    if not poll_due_sources.get_backend().supports_defer:
        return False
    now = timezone.now()
    when = max(when or now, now)
    with transaction.atomic():
        schedule, _ = PollSchedule.objects.select_for_update().get_or_create(pk=1)
        if schedule.queued_for and now < schedule.queued_for <= when:
            return False
        schedule.queued_for = when
        schedule.save(update_fields=["queued_for"])
        transaction.on_commit(lambda: poll_due_sources.using(run_after=when).enqueue())
    return True
