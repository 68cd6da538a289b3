"""Background tasks of the discussion app, run by the worker."""

from django_tasks import task

from newsdesk.discussion.notifications import comment_notifications_deliver
from newsdesk.discussion.services import threads_auto_close


@task()
def comment_notifications_send(*, comment_id: int) -> int:
    """E-mail the parent's author and the thread's subscribers about a published comment."""
    return comment_notifications_deliver(comment_id=comment_id)


@task()
def threads_auto_close_run() -> int:
    """Record as closed the threads past the auto-close age."""
    return threads_auto_close()
