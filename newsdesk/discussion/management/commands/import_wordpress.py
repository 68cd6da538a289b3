"""``manage.py import_wordpress FILE``: import a WordPress WXR export (safe to run twice)."""

from django.core.management.base import BaseCommand, CommandError

from newsdesk.discussion.importers.records import ImportFailed
from newsdesk.discussion.importers.wordpress import wordpress_parse
from newsdesk.discussion.services.imports import comments_import


class Command(BaseCommand):
    help = (
        "Import threads and comments from a WordPress export (WXR). Importing twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            report = comments_import(source="wordpress", export=wordpress_parse(file))
        except ImportFailed as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
