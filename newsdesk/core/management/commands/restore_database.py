"""``manage.py restore_database PATH``: put a backup taken by ``backup_database`` back.

The backup is checked first (intact, a Newsdesk database) and a safety copy of the current
database is taken before anything is replaced. Stop the site and its worker first: whatever
they write after the backup was taken is replaced by the backup's contents. Afterwards the
shared cache and RQ's queue are emptied (``backups.stale_state_clear``), and it says so.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from newsdesk.core import backups

WARNING = (
    "Restoring replaces everything in the database with the backup's contents: comments, "
    "donations and tasks recorded since the backup was taken are lost (the safety copy keeps "
    "them). Stop the site and its worker first (the restore itself is safe while they run, "
    "but they would go on writing over the restored data)."
)


class Command(BaseCommand):
    help = "Replace the database with a backup, after checking it and keeping a safety copy."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A file written by backup_database.")
        parser.add_argument("--database", default="default", help="The database alias.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, path: Path, database: str, interactive: bool, **options):
        connection = connections[database]
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            # Refuse a bad file before asking anything (the restore checks it again).
            try:
                backups.sqlite_check(path=path)
            except backups.BackupError as error:
                raise CommandError(f"{error} Nothing was changed.") from error
        self.stdout.write(self.style.WARNING(WARNING))
        if interactive:
            answer = input("Type 'yes' to restore: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        # This process must not hold the database open while it is replaced.
        connection.close()
        try:
            if connection.vendor == "sqlite":
                report = backups.sqlite_restore(backup=path, target=Path(settings_dict["NAME"]))
            elif connection.vendor == "postgresql":
                self.stdout.write(
                    "PostgreSQL: running pg_restore --clean --single-transaction "
                    "after a safety pg_dump of the current database."
                )
                report = backups.postgresql_restore(settings_dict=settings_dict, backup=path)
            else:
                raise CommandError(f"Restores of a {connection.vendor} database are not supported.")
        except backups.BackupError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        self.stdout.write(f"Safety copy of the database as it was: {report.safety_copy}")
        self.stdout.write(self.style.SUCCESS(f"Restored {path} into the database."))
        # The cache and the queue still describe the database as it was before.
        for line in backups.stale_state_clear():
            self.stdout.write(line)
