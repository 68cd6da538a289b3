"""The laptop settings with the test-only ``throwaway`` app at its release 2 (a migration more)."""

from newsdesk.settings.dev import *  # noqa: F403
from newsdesk.settings.dev import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "newsdesk.testing.throwaway"]
MIGRATION_MODULES = {"throwaway": "newsdesk.testing.throwaway.migrations_v2"}
