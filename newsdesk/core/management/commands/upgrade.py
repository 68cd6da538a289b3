"""``manage.py upgrade``: back up, migrate, collect static files, outdate caches, reload, check.

Run it under the new release's code (after ``git pull`` and ``make install`` or the release's
checkout). It stops before migrating if the backup fails, prints the backup's path and the
exact rollback command, and ends with ``doctor``'s report. ``--dry-run`` prints the migration
plan only. See newsdesk/core/upgrade.py and docs/production.md, "Upgrading and rolling back".
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newsdesk.core import backups, doctor, upgrade
from newsdesk.core.conf import setting


class Command(BaseCommand):
    help = "Upgrade this install: back up, migrate, collect static files, reload, run doctor."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the migration plan; change nothing."
        )
        parser.add_argument(
            "--backup-dir",
            type=Path,
            default=None,
            help="Where the pre-upgrade backup goes (default: BACKUP_DIR).",
        )

    def say(self, text: str = "") -> None:
        self.stdout.write(text)

    def handle(self, *args, dry_run: bool, backup_dir: Path | None, **options):
        pending = upgrade.migrations_pending()
        if pending:
            self.say(f"Migrations to apply ({len(pending)}):")
            for name in pending:
                self.say(f"  {name}")
        else:
            self.say("Migrations to apply: none (the database is up to date).")
        if dry_run:
            self.say("Dry run: nothing was backed up, migrated or reloaded.")
            return

        folder = backup_dir or Path(setting("BACKUP_DIR"))
        self.say(f"1/6 Backing up the database into {folder} ...")
        try:
            report = upgrade.backup_before_upgrade(folder=folder)
        except backups.BackupError as error:
            raise CommandError(f"The backup failed: {error} Nothing was migrated.") from error
        rollback = upgrade.rollback_command(backup=report.path)
        self.say(self.style.SUCCESS(f"    Backup: {report.path} ({report.size:,} bytes)"))
        self.say(f"    To go back, under the previous release's code: {rollback}")

        self.say("2/6 Migrating ...")
        try:
            call_command("migrate", interactive=False, verbosity=1, stdout=self.stdout)
        except Exception as error:
            raise CommandError(
                f"The migration failed: {type(error).__name__}: {error}. The database may be "
                f"partly migrated; go back with: {rollback}"
            ) from error

        if upgrade.static_files_collected():
            self.say("3/6 Collecting static files ...")
            call_command("collectstatic", interactive=False, verbosity=0)
            self.say("    Static files collected.")
        else:
            self.say("3/6 Static files: served from the apps' folders, nothing to collect.")

        self.say("4/6 Outdating what caches hold from the previous release ...")
        for line in upgrade.caches_outdate():
            self.say(f"    {line}")
        # Before the reload: new web processes must not train the starter moderation models
        # at a reader's request (manage.py prepare).
        call_command("prepare", stdout=self.stdout)

        self.say("5/6 Reloading the services ...")
        outcome = upgrade.services_reload()
        if not outcome.ran:
            self.say(
                self.style.WARNING(
                    "    UPGRADE_RELOAD_COMMAND is not set: reload the web processes and "
                    f"restart the workers yourself, e.g. {outcome.command} (or restart "
                    "manage.py serve)."
                )
            )
        elif outcome.returncode:
            self.say(
                self.style.ERROR(
                    f"    {outcome.command} failed (exit {outcome.returncode}): "
                    f"{outcome.output} Run it by hand."
                )
            )
        else:
            self.say(f"    {outcome.command}: done. {outcome.output}".rstrip())

        self.say("6/6 doctor:")
        findings = doctor.doctor_run()
        for line in doctor.render(findings):
            self.say(f"    {line}")
        self.say(self.style.SUCCESS(f"Upgraded. Backup: {report.path}"))
        self.say(f"Rollback: {rollback}")
        if doctor.exit_code(findings):
            self.say(
                self.style.WARNING(
                    "doctor found problems (above): services that were just reloaded may need "
                    "a minute; run manage.py doctor again."
                )
            )
