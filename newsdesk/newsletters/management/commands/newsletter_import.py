"""``manage.py newsletter_import LIST FILE``: import a Mailchimp or Substack CSV export into a
list, as the admin's upload does (``newsletters.importers``), and print what became of each
refused row. Exit status 1 when the file cannot be imported (nothing written)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.newsletters.errors import NewsletterError
from newsdesk.newsletters.importers import FORMATS, MAX_BYTES, subscribers_import
from newsdesk.newsletters.models import Newsletter


class Command(BaseCommand):
    help = "Import subscribers from a Mailchimp or Substack CSV export into a list."

    def add_arguments(self, parser):
        parser.add_argument("list", help="The list's slug (e.g. daily).")
        parser.add_argument("file", help="The CSV file of the export.")
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            default="auto",
            dest="source_format",
            help="Where the file comes from (default: recognised from its columns).",
        )

    def handle(self, *args, **options):
        newsletter = Newsletter.objects.filter(slug=options["list"]).first()
        if newsletter is None:
            slugs = ", ".join(Newsletter.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No list {options['list']!r} (the lists: {slugs}).")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                f"{path.name} is larger than {MAX_BYTES // (1024 * 1024)} MB: split it."
            )
        try:
            report = subscribers_import(
                newsletter=newsletter,
                data=path.read_bytes(),
                filename=path.name,
                source_format=options["source_format"],
            )
        except NewsletterError as error:
            raise CommandError(error.message) from error
        for one in report.refused:
            self.stdout.write(
                f"row {one.row}: {one.email or '(no address)'}: refused, {one.reason}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{FORMATS[report.source_format]} file {path.name} into {newsletter.name}: "
                f"imported {report.imported}, already there {report.already}, "
                f"refused {len(report.refused)}."
            )
        )
