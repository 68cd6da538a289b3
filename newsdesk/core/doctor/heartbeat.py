"""Workers say they are alive: a heartbeat in the shared cache, read by ``manage.py doctor``.

django-tasks-db's worker leaves no trace while it waits for work (RQ's workers do, in Redis,
and doctor reads those too), so every ``manage.py worker`` notes its name and the time at
start and every minute, from a thread of its own started by its first startup duty
(``core/wagtail_hooks.py``): the other duties (a starter model trained for minutes on a slow
machine) do not hold the beat back. A worker whose note is older than
``HEARTBEAT_STALE_SECONDS`` is taken for dead. The beat says the process lives; whether it
runs tasks is the queue's age, which doctor checks too.
"""

import logging
import threading
import time

from django.core.cache import cache

from newsdesk.core.taskrecovery import worker_id_for_this_process

HEARTBEATS_KEY = "core:worker-heartbeats"
# Three periods of the worker's duties (60 s): one late beat is not a death.
HEARTBEAT_STALE_SECONDS = 180
# A worker gone this long is dropped from the note.
HEARTBEAT_FORGET_SECONDS = 3600


def worker_heartbeat_record(*, worker_id: str | None = None, at: float | None = None) -> None:
    """Note that the worker ``worker_id`` (this process by default) is alive at ``at`` (now).

    The note is one cache entry, read, changed and written back: two workers beating at the
    same instant may drop one's beat, which its next beat, a minute later, puts back (doctor
    waits three minutes before it calls a worker dead).
    """
    worker_id = worker_id or worker_id_for_this_process()
    now = time.time() if at is None else at
    beats = dict(cache.get(HEARTBEATS_KEY) or {})
    beats = {name: when for name, when in beats.items() if now - when < HEARTBEAT_FORGET_SECONDS}
    beats[worker_id] = now
    cache.set(HEARTBEATS_KEY, beats, timeout=HEARTBEAT_FORGET_SECONDS)


def worker_heartbeats() -> dict[str, float]:
    """The last beat of each worker heard from in the last hour: worker id -> epoch seconds."""
    return dict(cache.get(HEARTBEATS_KEY) or {})


logger = logging.getLogger("newsdesk.worker")
_beating: dict[str, tuple[threading.Thread, threading.Event]] = {}
_beating_lock = threading.Lock()


def _beat_loop(*, every: float, stop: threading.Event) -> None:
    while True:
        try:
            worker_heartbeat_record()
        except Exception:  # the cache may be away for a while: beat again next time
            logger.warning("The worker's heartbeat could not be written", exc_info=True)
        if stop.wait(every):
            return


def worker_heartbeat_start(*, every: float = 60.0) -> threading.Event:
    """Beat now and then every ``every`` seconds, in a daemon thread (one per process: a second
    call while it runs returns the same); set the returned event to stop it."""
    with _beating_lock:
        running = _beating.get("thread")
        if running is not None and running[0].is_alive():
            return running[1]
        stop = threading.Event()
        thread = threading.Thread(
            target=_beat_loop,
            kwargs={"every": every, "stop": stop},
            daemon=True,
            name="newsdesk-heartbeat",
        )
        _beating["thread"] = (thread, stop)
        thread.start()
        return stop
