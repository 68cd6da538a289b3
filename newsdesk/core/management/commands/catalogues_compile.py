"""``manage.py catalogues_compile``: build the ``.mo`` files from the project's ``.po``.

Run by ``make`` before the demo and the tests; only outdated catalogues are written
(``--force`` writes them all).
"""

from django.core.management.base import BaseCommand

from newsdesk.core.i18n.catalogues import compile_all


class Command(BaseCommand):
    help = "Compile the project's translation catalogues (.po to .mo) with Babel."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalogue.")

    def handle(self, *args, force: bool = False, **options):
        written = compile_all(force=force)
        self.stdout.write(f"Catalogues compiled: {len(written)}.")
