"""``manage.py export_comments [--article ID] [--output FILE]``: threads and comments as JSON."""

import json

from django.core.management.base import BaseCommand

from newsdesk.discussion.exports import comments_export


class Command(BaseCommand):
    help = "Export every thread (or one article's) with its comments as JSON, without e-mails."

    def add_arguments(self, parser):
        parser.add_argument("--article", type=int, default=None, help="Only this article's thread.")
        parser.add_argument("--output", default="-", help="A file to write (default: stdout).")

    def handle(self, *args, article, output, **options):
        text = json.dumps(comments_export(article_id=article), ensure_ascii=False, indent=1)
        if output == "-":
            self.stdout.write(text)
        else:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {output}")
