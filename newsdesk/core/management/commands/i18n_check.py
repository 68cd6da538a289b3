"""``manage.py i18n_check [--app NAME]``: what ``make lint`` checks of the translations.

Fails (exit 1, one line per problem) when:

- a template or module shows text that is not marked for translation
  (``core/i18n/scan_templates.py``, ``scan_python.py``);
- a catalogue lags behind the code or is incomplete: the catalogues are made again from the
  code in a scratch copy of the project (``i18n_messages``), and every entry of the result
  must be translated, not fuzzy, with the source's placeholders.

The project's own files are never changed.
"""

import shutil
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.core.i18n import catalogues, scan_python, scan_templates
from newsdesk.core.management.commands.i18n_messages import messages_make


class Command(BaseCommand):
    help = "Check that interface text is marked and the catalogues are complete."

    def add_arguments(self, parser):
        parser.add_argument("--app", help="Check one app's folder under newsdesk/ only.")
        parser.add_argument(
            "--no-catalogues", action="store_true", help="Only look for unmarked text."
        )

    def handle(self, *args, app: str | None = None, no_catalogues: bool = False, **options):
        root = catalogues.project_dir()
        apps = [root / app] if app else sorted(p.parent for p in root.glob("*/apps.py"))
        problems: list[str] = []
        for app_dir in apps:
            problems += [str(p) for p in self._unmarked(root, app_dir)]
        if not no_catalogues:
            problems += self._catalogue_problems(root, apps)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} translation problems (see above).")
        self.stdout.write("Translations: every interface string marked and translated.")

    def _unmarked(self, root: Path, app_dir: Path) -> list:
        found: list = []
        for template in scan_templates.templates_under(app_dir.parent):
            if app_dir in template.parents:
                found += scan_templates.template_problems(template)
        modules = scan_python.parse_all(scan_python.modules_under(root))
        errors = scan_python.error_classes(modules)
        for path, tree in modules.items():
            if app_dir in path.parents:
                found += scan_python.module_problems(path, tree, errors)
        return found

    def _catalogue_problems(self, root: Path, apps: list[Path]) -> list[str]:
        problems = []
        with tempfile.TemporaryDirectory(prefix="newsdesk-i18n-") as scratch:
            copy = Path(scratch) / "newsdesk"
            shutil.copytree(
                root, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static")
            )
            for app_dir in apps:
                scratch_app = copy / app_dir.name
                messages_make(scratch_app)
                for po in sorted(scratch_app.glob("locale/*/LC_MESSAGES/django.po")):
                    committed = root / po.relative_to(copy)
                    if not committed.exists():
                        problems.append(f"{committed}: missing (manage.py i18n_messages)")
                        continue
                    for problem in catalogues.problems(po):
                        problems.append(f"{committed}: {problem.text}")
        return problems
