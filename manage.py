#!/usr/bin/env python
"""Newsdesk's command line: ``python manage.py help``."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Read the environment here, before any command: a value not of its kind
        # (PORT=eighty) or a missing one (SECRET_KEY in production) is the operator's to
        # fix, said in one line, not a traceback.
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings)
    except ImproperlyConfigured as error:
        sys.exit(f"Error: {error}")
    execute_from_command_line(sys.argv)
