"""Background tasks of the newsletters' sending, run by the worker, and its periodic duty."""

from django_tasks import task
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.newsletters.models_sending import Send
from newsdesk.newsletters.services import sending


@task()
def send_start_task(*, send_id: int) -> bool:
    """Start a scheduled send at its time (nothing if it started already or was cancelled)."""
    send = Send.objects.filter(pk=send_id).first()
    return send is not None and sending.send_start(send=send)


@task()
def send_batch_task(*, send_id: int) -> str:
    """Send the next batch of a send (``services.sending.send_batch_run``)."""
    return sending.send_batch_run(send_id=send_id).state


# Registered here (the module ``apps.ready`` imports) rather than in a wagtail_hooks module:
# the safety net of the task queued for a send's time, as scheduled publishing has one.
@hooks.register(newsdesk_hooks.WORKER_PERIODIC)
def newsletters_due_sends_start() -> None:
    sending.sends_due_start()
