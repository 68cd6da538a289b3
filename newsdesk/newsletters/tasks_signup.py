"""The sign-up's background task, run by the worker (the sending part has its own).

It may run twice (a retry, a task re-queued after a worker died, the outbox handing it over
twice): ``signup_mail_deliver`` marks the e-mail sent once the mail server took it, so a
second run sends nothing and a run after a worker died mid-send loses nothing.
"""

from django_tasks import task

from newsdesk.newsletters.services.signup_mail import signup_mail_deliver


@task()
def signup_mail_send(*, mail_id: int, requested_at: str) -> bool:
    """E-mail the confirmation link (or a new preferences link) one request asked for."""
    return signup_mail_deliver(mail_id=mail_id, requested_at=requested_at)
