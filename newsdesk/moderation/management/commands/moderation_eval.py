"""Measure the comment pipeline on a labelled CSV (columns text,label).

Each text goes through the full pipeline as a new guest comment on a fresh thread, without
saving anything. Prints a confusion table (a row per label, columns published, held and
rejected) and, as its last line, one JSON object: n, false_hold_rate (share of ok held or
rejected) and caught (share of spam, abuse and hate held or rejected).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.moderation.evaluation import labelled_rows_evaluate
from newsdesk.moderation.selectors import LabelledFileError, labelled_rows_read


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("file", help="a CSV file with a text,label header")
        parser.add_argument(
            "--show-misses",
            action="store_true",
            help="also list the texts the pipeline got wrong (before the table)",
        )

    def handle(self, *args, file, show_misses, **options):
        try:
            rows = labelled_rows_read(path=Path(file))
        except LabelledFileError as error:
            raise CommandError(str(error)) from error
        if not rows:
            raise CommandError(f"{file}: no rows to evaluate")
        evaluation = labelled_rows_evaluate(rows)
        if show_misses:
            for label, verdict, text in evaluation.misses:
                self.stdout.write(f"[{label} → {verdict}] {text}")
            self.stdout.write("")
        self.stdout.write(evaluation.table())
        self.stdout.write(json.dumps(evaluation.summary()))
