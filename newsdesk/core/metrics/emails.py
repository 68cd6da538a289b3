"""E-mails sent and failed, counted as the tasks that send them finish.

``METRICS_EMAIL_TASKS`` names those tasks and the kind of e-mail each sends. A task that
succeeds counts its return value as e-mails sent (``True`` is one, a number is that many,
``False`` or ``0`` none: nothing to send); a task that fails counts one failed e-mail. The
counters live in the shared cache (no expiry to speak of), where the worker, which sends
nearly all of them, and every web process (the immediate backend, the demo loader) add to
the same number. A cache that was emptied (a restore) starts them again from zero, which
Prometheus's ``rate()`` reads as a counter reset.

django-tasks sends ``task_finished`` from every backend (the database worker, RQ, the
immediate backend); the receiver is connected when the ``core`` app is ready.
"""

import logging

from django.core.cache import cache
from django.dispatch import receiver
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from newsdesk.core.conf import setting
from newsdesk.core.ratelimit import counter_hit

logger = logging.getLogger(__name__)

OUTCOMES = ("sent", "failed")
_KEY = "newsdesk:metrics:emails:{kind}:{outcome}"
# Ten years: counters, not rate-limit windows.
_COUNTER_SECONDS = 10 * 365 * 24 * 3600


def email_kinds() -> list[str]:
    """The kinds of e-mail counted, in a stable order."""
    return sorted(set(setting("METRICS_EMAIL_TASKS").values()))


def emails_count(*, kind: str, outcome: str, number: int = 1) -> None:
    """Add ``number`` e-mails of ``kind`` with ``outcome`` (``sent`` or ``failed``). Never
    raises: counting must not fail the task that sent them."""
    if outcome not in OUTCOMES or number <= 0:
        return
    key = _KEY.format(kind=kind, outcome=outcome)
    try:
        for _ in range(number):
            counter_hit(key=key, timeout=_COUNTER_SECONDS)
    except Exception:
        logger.warning("Could not count %d %s e-mail(s) %s", number, kind, outcome, exc_info=True)


def emails_counted() -> dict[tuple[str, str], int]:
    """``{(kind, outcome): number}`` for every kind and outcome (0 when none yet); one read
    of the shared cache."""
    keys = {
        _KEY.format(kind=kind, outcome=outcome): (kind, outcome)
        for kind in email_kinds()
        for outcome in OUTCOMES
    }
    found = cache.get_many(list(keys))
    return {pair: int(found.get(key) or 0) for key, pair in keys.items()}


def _emails_of(return_value: object) -> int:
    if isinstance(return_value, bool):
        return int(return_value)
    if isinstance(return_value, int):
        return max(0, return_value)
    return 0


@receiver(task_finished, dispatch_uid="newsdesk.core.metrics.emails")
def email_task_finished(sender, task_result, **kwargs) -> None:
    kind = setting("METRICS_EMAIL_TASKS").get(task_result.task.module_path)
    if kind is None:
        return
    if task_result.status == TaskResultStatus.FAILED:
        emails_count(kind=kind, outcome="failed")
    elif task_result.status == TaskResultStatus.SUCCESSFUL:
        emails_count(kind=kind, outcome="sent", number=_emails_of(task_result.return_value))
