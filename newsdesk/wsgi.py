"""WSGI entry point: ``gunicorn newsdesk.wsgi``."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    # One line naming the variable (PORT=eighty, no SECRET_KEY in production), and gunicorn's
    # "worker failed to boot" exit (3), so the master stops instead of starting workers that
    # fail the same way.
    sys.stderr.write(f"Error: {error}\n")
    raise SystemExit(3) from None


def _refuse_to_start_on_check_errors() -> None:
    """gunicorn runs no system checks (manage.py's commands do): run the funding app's here,
    as a command would (Django's ``BaseCommand.check``: the same report, silenced checks
    left out), so a site whose checks report an Error (the demo payment provider live in
    production) does not serve. Django's and Wagtail's checks stay with ``manage.py check``."""
    from django.core.management.base import BaseCommand

    from newsdesk.funding.checks import TAG

    BaseCommand().check(tags=[TAG])  # SystemCheckError, naming each error, if any


_refuse_to_start_on_check_errors()
