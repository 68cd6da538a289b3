"""Background tasks of the discussion app, run by the worker.

Each may run twice (a retry, a task re-queued after a worker died, the outbox handing one
over twice): the e-mail ones mark their work done once the mail server took it, so a run
after a finished one sends nothing and a run after a worker died mid-send loses nothing.
"""

from django_tasks import task

from newsdesk.discussion.notifications import comment_notifications_deliver
from newsdesk.discussion.services import threads_auto_close
from newsdesk.discussion.services.email_confirmations import email_confirmation_deliver


@task()
def comment_notifications_send(*, comment_id: int) -> int:
    """E-mail the parent's author and the thread's subscribers about a published comment."""
    return comment_notifications_deliver(comment_id=comment_id)


@task()
def email_confirmation_send(*, comment_id: int) -> bool:
    """E-mail the one link that confirms the address a comment's author gave for e-mails."""
    return email_confirmation_deliver(comment_id=comment_id)


@task()
def threads_auto_close_run() -> int:
    """Record as closed the threads past the auto-close age."""
    return threads_auto_close()


@task()
def digest_send(*, digest_id: int) -> int:
    """E-mail one reader's digest of reply and followed-thread notifications (``digests``)."""
    from newsdesk.discussion.digests import digest_deliver

    return digest_deliver(digest_id=digest_id)
