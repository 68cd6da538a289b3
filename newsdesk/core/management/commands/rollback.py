"""``manage.py rollback --backup PATH``: return to the release before an upgrade.

Run it under the previous release's code (its checkout), with the backup ``upgrade`` printed.
It restores that backup (``restore_database``: checked first, a safety copy of the current
database kept, then the cache and RQ's queue emptied), checks that this code and the restored
database agree on their migrations, and reloads the services as ``upgrade`` does. Whatever
was written after the backup is lost from the site (the safety copy keeps it).
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsdesk.core import upgrade


class Command(BaseCommand):
    help = "Restore the pre-upgrade backup PATH (run under the previous release's code)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backup", type=Path, required=True, help="The backup manage.py upgrade printed."
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, backup: Path, interactive: bool, **options):
        call_command("restore_database", str(backup), interactive=interactive, stdout=self.stdout)
        pending = upgrade.migrations_pending()
        if pending:
            self.stdout.write(
                self.style.WARNING(
                    f"This code has {len(pending)} migration(s) the restored database lacks "
                    f"({', '.join(pending[:3])}): it is newer than the backup. Check out the "
                    "release the backup was taken under, then reload the services (or run "
                    "manage.py upgrade to go forward again)."
                )
            )
        else:
            self.stdout.write("The restored database and this code agree on their migrations.")
        outcome = upgrade.services_reload()
        if not outcome.ran:
            self.stdout.write(
                self.style.WARNING(
                    f"Reload the web processes and restart the workers: {outcome.command} "
                    "(or restart manage.py serve)."
                )
            )
        elif outcome.returncode:
            self.stdout.write(
                self.style.ERROR(
                    f"{outcome.command} failed (exit {outcome.returncode}): {outcome.output}"
                )
            )
        else:
            self.stdout.write(f"{outcome.command}: done.")
