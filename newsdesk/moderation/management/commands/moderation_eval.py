"""Measure the comment pipeline.

    manage.py moderation_eval FILE [--show-misses]
        Each text of a labelled CSV (columns text,label) goes through the full pipeline as a
        new guest comment on a fresh thread, with the site's current models, saving nothing.
    manage.py moderation_eval --protocols random,target,form,independent,moderators
        The honest protocols of ``protocols.py`` on the shipped labelled data: models are
        trained for each held-out part (minutes: a training per held-out group). The figures
        are stored as an ``EvaluationReport``, shown in the admin's model page.
    --sweep (with either)
        Also prints, per measure, what other hold scores of the combined evidence would have
        held: the share of ok comments held and of each harmful label caught at 0.50 to
        0.90, the other signals as they are. The trade an editor chooses along.

Prints a confusion table (a row per label, columns published, held and rejected) per
measure and, as its last line, one JSON object: for a file, n, false_hold_rate (share of ok
held or rejected) and caught (share of spam, abuse and hate held or rejected); for the
protocols, the same figures pooled and per held-out group, under each protocol's name.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.moderation.evaluation import Evaluation, labelled_rows_evaluate
from newsdesk.moderation.labelled import LabelledFileError, labelled_examples_read
from newsdesk.moderation.protocols import PROTOCOLS


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="a CSV file with a text,label header")
        parser.add_argument(
            "--show-misses",
            action="store_true",
            help="also list the texts the pipeline got wrong (before the table)",
        )
        parser.add_argument(
            "--sweep",
            action="store_true",
            help="also show what other hold scores of the combined evidence would hold",
        )
        parser.add_argument(
            "--protocols",
            help="comma-separated protocols to run on the shipped data: " + ", ".join(PROTOCOLS),
        )

    def handle(self, *args, file, show_misses, sweep, protocols, **options):
        if bool(file) == bool(protocols):
            raise CommandError("give either a labelled FILE or --protocols, not both or neither")
        self.sweep = sweep
        if protocols:
            self._protocols([name.strip() for name in protocols.split(",") if name.strip()])
            return
        try:
            rows = [(e.text, e.label) for e in labelled_examples_read(path=Path(file))]
        except LabelledFileError as error:
            raise CommandError(str(error)) from error
        if not rows:
            raise CommandError(f"{file}: no rows to evaluate")
        evaluation = labelled_rows_evaluate(rows)
        self._print(evaluation, show_misses=show_misses)
        self.stdout.write(json.dumps(evaluation.summary()))

    def _print(self, evaluation: Evaluation, *, show_misses: bool, title: str = "") -> None:
        if title:
            self.stdout.write(f"\n== {title}")
        if show_misses:
            for label, verdict, text in evaluation.misses:
                self.stdout.write(f"[{label} → {verdict}] {text}")
            self.stdout.write("")
        self.stdout.write(evaluation.table())
        if self.sweep:
            self.stdout.write(evaluation.sweep_table())

    def _protocols(self, names: list[str]) -> None:
        from newsdesk.moderation.services.evaluation import evaluation_report_run

        unknown = sorted(set(names) - set(PROTOCOLS))
        if unknown:
            raise CommandError(
                f"unknown protocol(s) {', '.join(unknown)}; choose from {', '.join(PROTOCOLS)}"
            )
        try:
            report, results = evaluation_report_run(
                protocols=names, progress=lambda line: self.stderr.write(line)
            )
        except LabelledFileError as error:
            raise CommandError(str(error)) from error
        for result in results:
            title = f"{result.name} (pooled)"  # i18n: same in every language
            self._print(result.pooled, show_misses=False, title=title)
        self.stdout.write(json.dumps(report.figures))
