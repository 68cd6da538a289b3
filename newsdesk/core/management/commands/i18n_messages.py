"""``manage.py i18n_messages [--app NAME]``: refresh the catalogues from the code.

Django's ``makemessages`` for Spanish and French, run in each app's folder so its strings
land in its own ``locale/`` (created if missing): new strings come in untranslated, changed
ones fuzzy, gone ones leave. Without source locations (``--no-location``), so a catalogue
changes only when its words do. Tests and migrations are not read: their strings are not
interface text.
"""

from contextlib import chdir

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newsdesk.core.i18n.catalogues import TRANSLATED, project_dir

IGNORED = ["tests", "migrations", "static", "locale"]


def messages_make(app_dir) -> None:
    (app_dir / "locale").mkdir(exist_ok=True)
    with chdir(app_dir):
        call_command(
            "makemessages",
            locale=list(TRANSLATED),
            domain="django",
            no_location=True,
            no_obsolete=True,
            ignore_patterns=IGNORED,
            extensions=["html", "txt", "py", "xml"],
            verbosity=0,
        )


class Command(BaseCommand):
    help = "Update the Spanish and French catalogues of one app (or of every app)."

    def add_arguments(self, parser):
        parser.add_argument("--app", help="The app's folder name under newsdesk/ (default: all).")

    def handle(self, *args, app: str | None = None, **options):
        root = project_dir()
        apps = [root / app] if app else sorted(p.parent for p in root.glob("*/apps.py"))
        for app_dir in apps:
            if not (app_dir / "apps.py").exists():
                raise CommandError(f"No app named {app_dir.name!r} under newsdesk/.")
            messages_make(app_dir)
            self.stdout.write(f"{app_dir.name}: catalogues updated")
