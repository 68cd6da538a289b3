"""WSGI entry point: ``gunicorn newsdesk.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")
application = get_wsgi_application()


def _refuse_to_start_on_check_errors() -> None:
    """gunicorn runs no system checks (manage.py's commands do): run the apps' own here, so
    a site whose checks report an Error (the demo payment provider live in production)
    does not serve. Django's and Wagtail's checks stay with ``manage.py check``."""
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    errors = [m for m in checks.run_checks(tags=["funding"]) if m.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{m.id}: {m.msg} HINT: {m.hint}" for m in errors))


_refuse_to_start_on_check_errors()
