"""``manage.py doctor``: check a running install and say what to do about what is wrong.

One line per check (OK, WARN or FAIL and what was found), and under each that is not OK one
line saying what to do. Exit code 0 when nothing failed (warnings allowed; ``--strict`` fails
on them too), 1 otherwise. See newsdesk/core/doctor/ and docs/production.md.
"""

from django.core.management.base import BaseCommand, CommandError

from newsdesk.core import doctor


class Command(BaseCommand):
    help = (
        "Check this install: settings, database, cache, migrations, workers, payments, "
        "client addresses, backups, static files."
    )
    # Doctor reports the system checks' errors itself (settings, payments), instead of being
    # stopped by them before it could say anything else.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict", action="store_true", help="Exit 1 on a warning too, not only on a failure."
        )

    def handle(self, *args, strict: bool, **options):
        findings = doctor.doctor_run()
        styles = {
            doctor.OK: self.style.SUCCESS,
            doctor.WARN: self.style.WARNING,
            doctor.FAIL: self.style.ERROR,
        }
        for line in doctor.render(findings):
            style = styles.get(line.split(" ", 1)[0])
            self.stdout.write(style(line) if style else line)
        code = doctor.exit_code(findings, strict=strict)
        if code:
            # CommandError prints its message and exits with its returncode; no traceback.
            raise CommandError("doctor found problems (see above).", returncode=code)
