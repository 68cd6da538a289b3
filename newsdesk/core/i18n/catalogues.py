"""The project's message catalogues: where they are, compiling them, checking them.

Each app keeps its own ``locale/<lang>/LC_MESSAGES/django.po``; Django finds the compiled
``.mo`` beside it. The ``.mo`` files are built, never committed: ``compile_all`` writes the
ones older than their ``.po`` (``make`` calls it through ``manage.py catalogues_compile``,
and the test suite at its start).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings

# The languages the project translates into (English is the source).
TRANSLATED = ("es", "fr")


def project_dir() -> Path:
    return Path(settings.BASE_DIR) / "newsdesk"


def po_files(*, root: Path | None = None) -> list[Path]:
    """Every catalogue of the project (or under ``root``), sorted."""
    return sorted((root or project_dir()).glob("*/locale/*/LC_MESSAGES/*.po"))


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parent.parent.name, abort_invalid=True)


def compile_all(*, force: bool = False) -> list[Path]:
    """Write each catalogue's ``.mo`` where it is missing or older than its ``.po``; return
    the ``.mo`` files written. Fuzzy entries are left out, as GNU msgfmt leaves them."""
    written = []
    for po in po_files():
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalog = _read(po)
        # One scratch file per process: two test processes may compile at the same moment.
        partial = mo.with_suffix(f".mo.{os.getpid()}.partial")
        with partial.open("wb") as handle:
            write_mo(handle, catalog)
        # Renamed into place: a server starting meanwhile reads a whole file or none.
        partial.replace(mo)
        written.append(mo)
    return written


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def problems(path: Path) -> list[Problem]:
    """What keeps ``path`` from being complete: untranslated or fuzzy entries, and
    translations whose placeholders differ from the source's (Babel's checkers)."""
    found = []
    catalog = _read(path)
    for message in catalog:
        if not message.id:
            continue
        line = message.lineno or 0
        source = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            found.append(Problem(path, line, f"fuzzy: {source!r}"))
            continue
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if not all(strings):
            found.append(Problem(path, line, f"untranslated: {source!r}"))
            continue
        for error in message.check(catalog):
            found.append(Problem(path, line, f"{error}: {source!r}"))
    return found
