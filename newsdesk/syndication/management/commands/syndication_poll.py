"""Poll partner feeds now: every due source, or one with ``--source ID``.

Prints what each poll added, updated, skipped and failed; the exit status is 1 when a
source or an entry failed, so a script can tell.
"""

from django.core.management.base import BaseCommand, CommandError

from newsdesk.syndication.models import Source
from newsdesk.syndication.services import PollReport, source_poll, sources_poll_due


class Command(BaseCommand):
    help = "Poll every due partner feed now, or one (--source ID) whether due or not."

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, help="The id of one source to poll.")

    def handle(self, *args, source=None, **options):
        if source is not None:
            if not Source.objects.filter(pk=source).exists():
                raise CommandError(f"No source #{source} (see syndication_list_sources).")
            report = source_poll(source_id=source)
            if report is None:
                raise CommandError(f"Source #{source} is being polled already; try again later.")
            reports = [report]
        else:
            reports = sources_poll_due()
            if not reports:
                self.stdout.write("No source is due.")
        for report in reports:
            self._print(report)
        failed = [r for r in reports if not r.ok]
        if failed:
            raise CommandError(f"{len(failed)} of {len(reports)} sources failed.")

    def _print(self, report: PollReport) -> None:
        style = self.style.SUCCESS if report.ok else self.style.ERROR
        self.stdout.write(style(f"#{report.source_id} {report.source_name}: {report.summary()}"))
        for title in report.added:
            self.stdout.write(f"  added: {title}")
        for title in report.updated:
            self.stdout.write(f"  updated: {title}")
        for title in report.flagged:
            self.stdout.write(f"  changed by the partner, kept the editor's version: {title}")
        for failure in report.failed:
            self.stdout.write(f"  failed: {failure}")
        if report.error and not report.failed:
            self.stdout.write(f"  error: {report.error}")
        if report.warning:
            self.stdout.write(f"  warning: {report.warning}")
