"""Background tasks: one API (django-tasks), a database queue on the laptop tier, RQ on Redis.

``TASKS_BACKEND`` is the flag the other settings modules read (apps.py adds django_rq and
middleware.py its dashboard's 404 for RQ).
"""

from .env import env_float, env_str

REDIS_URL = env_str("REDIS_URL")

# ``database``, ``rq`` or ``immediate`` (tasks run inline: used while loading the demo).
TASKS_BACKEND = env_str("TASKS_BACKEND", "rq" if REDIS_URL else "database")
# On RQ, tasks written to the outbox with a comment or a gift and not handed over this long
# after are queued by the worker (newsdesk/core/taskqueue.py).
TASK_OUTBOX_GRACE_SECONDS = env_float("TASK_OUTBOX_GRACE_SECONDS", 10.0)

if TASKS_BACKEND == "rq":
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# On RQ, a job a worker took from the queue but had not started this many seconds later (the
# worker was killed in between) goes back on the queue (newsdesk/core/taskrecovery.py).
RQ_TAKEN_NOT_STARTED_SECONDS = 30.0
