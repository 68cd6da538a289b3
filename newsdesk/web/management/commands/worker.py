"""The background worker: runs queued tasks (database queue, or RQ on the newsroom tier).

Before it takes tasks it runs every app's start-up duty (registered with the
``newsdesk_worker_startup`` hook), such as publishing pages that fell due while no worker
was running.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from wagtail import hooks


class Command(BaseCommand):
    help = "Run queued background tasks until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between polls of the database queue.",
        )

    def handle(self, *args, max_tasks, interval, **options):
        for duty in hooks.get_hooks("newsdesk_worker_startup"):
            duty()
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_rq"):
            rq_args = ["default", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
            if max_tasks:
                rq_args += ["--max-jobs", str(max_tasks)]
            call_command("rqworker", *rq_args)
        elif backend.startswith("django_tasks_db"):
            db_args = [
                "--interval",
                str(interval),
                "--queue-name",
                "*",
                "--no-startup-delay",
                "--no-reload",
            ]
            if max_tasks:
                db_args += ["--max-tasks", str(max_tasks)]
            call_command("db_worker", *db_args)
        else:
            self.stdout.write(f"The {backend} backend runs tasks without a worker; nothing to do.")
