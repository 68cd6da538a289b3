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
    try:
        execute_from_command_line(sys.argv)
    except BrokenPipeError:
        # The reader of our output went away (``manage.py moderation_data_check | head``):
        # stop quietly, as Python's documentation advises, instead of two tracebacks.
        # Standard output goes to /dev/null so that the interpreter's last flush at exit
        # cannot fail again; SIGPIPE keeps Python's handling, which a server needs.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
