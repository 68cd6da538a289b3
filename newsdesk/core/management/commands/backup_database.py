"""``manage.py backup_database PATH``: a consistent snapshot of the site's database.

Safe while the site runs. SQLite: the online backup API, then ``PRAGMA integrity_check`` on
the copy. PostgreSQL: ``pg_dump --format=custom`` (the client tools must be on PATH). The
file is 0600, a folder made for it 0700. See docs/operations.md for schedules and restores.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from newsdesk.core import backups


class Command(BaseCommand):
    help = "Snapshot the database into PATH while the site keeps running, and check the copy."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file to write.")
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args, path: Path, database: str, **options):
        settings_dict = connections[database].settings_dict
        vendor = connections[database].vendor
        try:
            if vendor == "sqlite":
                report = backups.sqlite_backup(source=Path(settings_dict["NAME"]), destination=path)
                how = "SQLite online backup, integrity check ok"
            elif vendor == "postgresql":
                self.stdout.write(
                    "PostgreSQL: running pg_dump --format=custom (restore with "
                    "manage.py restore_database, which runs pg_restore --clean)."
                )
                report = backups.postgresql_backup(settings_dict=settings_dict, destination=path)
                how = "pg_dump custom archive"
            else:
                raise CommandError(f"Backups of a {vendor} database are not supported.")
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Backed up to {report.path} ({report.size:,} bytes; {how}).")
        )
        if report.open_folder:
            # The file itself is 0600; the folder is the operator's, so it is only named.
            self.stderr.write(
                self.style.WARNING(
                    f"{report.path.parent} lets other users in: the backup file is readable "
                    f"by its owner only, but consider chmod 700 {report.path.parent}."
                )
            )
