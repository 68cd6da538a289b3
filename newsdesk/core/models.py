"""The platform's own rows: tasks waiting for a queue outside the database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskOutbox(models.Model):
    """A task asked for inside a transaction, kept until a queue outside the database (RQ)
    has it.

    The row commits with the comment or donation it is for; the web process hands the task
    to the queue right after the commit and deletes the row. A row still here after
    ``TASK_OUTBOX_GRACE_SECONDS`` was left by a process that died between the two (or a queue
    that did not answer): the worker hands it over then (see ``core/taskqueue.py``).
    """

    task_path = models.CharField(max_length=255)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        # The table keeps the name it had when the model lived in ``web``: moving a model
        # between apps should not rename a table a running site is writing to.
        db_table = "web_taskoutbox"
        verbose_name = _("task waiting for the queue")
        verbose_name_plural = _("tasks waiting for the queue")

    def __str__(self) -> str:
        return f"{self.task_path}({self.kwargs})"
