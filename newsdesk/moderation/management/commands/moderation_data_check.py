"""Find writers' habits in the labelled comments before the models learn them.

    manage.py moderation_data_check [FILE ...] [--min-share 0.03] [--min-ratio 4]

Lists the words found in at least ``--min-share`` of a harmful label's rows (spam, abuse,
hate) and ``--min-ratio`` times as often as in the ok rows, most skewed first, with the file
holding most of them. With FILEs (a new writer's CSV, not yet in ``data/labelled/``), only
their harmful rows are examined, against the ok rows of the training set and the FILEs.

A person reads the list: an insult or "download" in spam is the evidence itself; a word that
says nothing of harm ("must", "councillor", "country") is a habit the words model may learn
(``data/DATASHEET.md`` says what was found and what ``ok`` rows using it did).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.moderation.habits import skewed_words_find, training_rows_read
from newsdesk.moderation.labelled import LabelledFileError


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="labelled CSV files to examine")
        parser.add_argument("--min-share", type=float, default=0.03)
        parser.add_argument("--min-ratio", type=float, default=4.0)

    def handle(self, *args, files, min_share, min_ratio, **options):
        if not 0 < min_share <= 1 or min_ratio <= 1:
            raise CommandError("--min-share must be in (0, 1] and --min-ratio above 1")
        paths = [Path(name) for name in files]
        try:
            rows = training_rows_read(extra=paths)
        except LabelledFileError as error:
            raise CommandError(str(error)) from error
        sources = [path.name for path in paths] or None
        found = skewed_words_find(
            rows=rows, sources=sources, min_share=min_share, min_ratio=min_ratio
        )
        examined = ", ".join(sources) if sources else "the training set"
        if not found:
            self.stdout.write(f"No word of {examined}'s harmful rows is skewed that far.")
            return
        self.stdout.write(f"Words far more common in {examined}'s harmful rows than in ok rows:")
        self.stdout.write(
            f"{'label':<6} {'word':<16} {'rows':>6} {'ok rows':>8} {'times':>6}  mostly in"
        )
        for skewed in found:
            self.stdout.write(
                f"{skewed.label:<6} {skewed.word:<16} {skewed.share:>6.1%} "
                f"{skewed.ok_share:>8.2%} {skewed.ratio:>6.1f}  {skewed.main_source}"
            )
