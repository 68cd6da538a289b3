"""``manage.py prepare``: the slow preparation a process would otherwise do at its first
request, done once before the web processes start.

It runs the ``SITE_STARTING`` duties (``core/hooks.py``): moderation trains its starter
models once and keeps them in ``MODERATION_MODEL_CACHE_DIR``. ``manage.py serve`` runs the
same duties itself; under systemd the web unit runs this command first (``ExecStartPre=``),
and ``manage.py upgrade`` runs it after migrating. Without it, the first comments after a
fresh install or a release with new labelled data waited for the training in a gunicorn
worker, past gunicorn's timeout: the reader got a 500. Safe to run while the site runs and
again: a prepared install takes a second or two.
"""

from django.core.management.base import BaseCommand

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.core.management.commands.worker import run_duties


class Command(BaseCommand):
    help = "Prepare what every web process needs (the starter moderation models) before start."

    def handle(self, *args, **options):
        run_duties(newsdesk_hooks.SITE_STARTING)
        self.stdout.write("Prepared: the web processes will not wait at their first request.")
