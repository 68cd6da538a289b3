"""Interface text in Python modules that is not marked for translation.

What a reader or a staff member reads reaches them through a few doors, and a string
literal found at one of them must be wrapped in a gettext call (``_()``, ``gettext_lazy``,
``pgettext``, ``ngettext``...):

- a keyword a form, a model, a panel or a menu shows: ``label=``, ``help_text=``,
  ``verbose_name=``, ``heading=``...; the values of ``error_messages=`` and the labels of
  ``choices=``;
- a model's ``TextChoices`` / ``IntegerChoices`` labels;
- a message to the reader: ``messages.success(request, "...")`` and its siblings;
- an error whose words are shown: ``ValidationError("...")``, ``PermissionDenied("...")``
  and every class of the project's own error tree (``core/errors.py``: a ``ServiceError``
  and its subclasses carry a sentence for the person who caused it), their
  ``default_message`` included.

Other literals (log lines, keys, SQL, internal errors) are not interface text. A line that
shows a deliberate exception (a technical term that stays English in every language) ends
with ``# i18n: same in every language``.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from newsdesk.core.i18n.scan_templates import is_language

GETTEXT_CALLS = frozenset(
    {
        "_",
        "gettext",
        "gettext_lazy",
        "gettext_noop",
        "pgettext",
        "pgettext_lazy",
        "ngettext",
        "ngettext_lazy",
        "npgettext",
        "npgettext_lazy",
    }
)
SHOWN_KEYWORDS = frozenset(
    {
        "label",
        "help_text",
        "verbose_name",
        "verbose_name_plural",
        "empty_label",
        "heading",
        "placeholder",
        "description",
        "label_suffix",
        "button_text",
        "title",
    }
)
MESSAGE_FUNCTIONS = frozenset({"success", "error", "info", "warning", "debug"})
SHOWN_ERRORS = frozenset({"ValidationError", "PermissionDenied", "ServiceError"})
CHOICE_BASES = frozenset({"TextChoices", "IntegerChoices", "Choices"})
PRAGMA = "# i18n: same in every language"


@dataclass(frozen=True)
class UnmarkedString:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: string not marked for translation: {self.text!r}"


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _literal_text(node: ast.AST) -> str | None:
    """The words of a plain or f-string literal, None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value) if isinstance(part, ast.Constant) else " "
            for part in node.values
            if isinstance(part, ast.Constant | ast.FormattedValue)
        )
    return None


def error_classes(modules: dict[Path, ast.Module]) -> set[str]:
    """The names of the project's error tree: ``ApplicationError`` and every class that
    derives from one of its names, across all modules."""
    bases: dict[str, set[str]] = {}
    for tree in modules.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(_name(b) for b in node.bases)
    shown = set(SHOWN_ERRORS)
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in shown and parents & shown:
                shown.add(name)
                changed = True
    return shown


class _Finder(ast.NodeVisitor):
    def __init__(self, path: Path, lines: list[str], errors: set[str]) -> None:
        self.path, self.lines, self.errors = path, lines, errors
        self.found: list[UnmarkedString] = []

    def _flag(self, node: ast.AST | None) -> None:
        if node is None:
            return
        text = _literal_text(node)
        if text is None or not is_language(text):
            return
        lineno = getattr(node, "lineno", 0)
        line = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""
        if PRAGMA in line:
            return
        self.found.append(UnmarkedString(self.path, lineno, " ".join(text.split())))

    def _flag_choices(self, node: ast.AST) -> None:
        if isinstance(node, ast.List | ast.Tuple):
            for item in node.elts:
                if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                    self._flag(item.elts[1])
                    self._flag_choices(item.elts[1])

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        if name in GETTEXT_CALLS:
            return  # marked; its arguments are the source text
        for keyword in node.keywords:
            if keyword.arg in SHOWN_KEYWORDS:
                self._flag(keyword.value)
            elif keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                for value in keyword.value.values:
                    self._flag(value)
            elif keyword.arg == "choices":
                self._flag_choices(keyword.value)
            elif keyword.arg == "message":
                self._flag(keyword.value)
        if name in MESSAGE_FUNCTIONS and _name(getattr(node.func, "value", ast.Name(""))) in (
            "messages",
        ):
            self._flag(node.args[1] if len(node.args) > 1 else None)
        if name in self.errors and node.args:
            self._flag(node.args[0])
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.name in self.errors:
            for statement in node.body:
                if isinstance(statement, ast.Assign) and any(
                    _name(target) == "default_message" for target in statement.targets
                ):
                    self._flag(statement.value)
        if {_name(b) for b in node.bases} & CHOICE_BASES:
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and isinstance(statement.value, ast.Tuple)
                    and len(statement.value.elts) >= 2
                ):
                    self._flag(statement.value.elts[-1])
        self.generic_visit(node)


def module_problems(path: Path, tree: ast.Module, errors: set[str]) -> list[UnmarkedString]:
    finder = _Finder(path, path.read_text(encoding="utf-8").splitlines(), errors)
    finder.visit(tree)
    return finder.found


def modules_under(root: Path) -> list[Path]:
    """The project's modules that hold interface text: not tests, migrations or settings, nor
    the demo's content (its articles, people and gifts keep the words they were written in,
    as a newsroom's own content would; the demo's app name is marked in ``demo/apps.py``,
    which ``i18n_messages`` still reads)."""
    skipped = {"tests", "migrations", "settings", "testing", "demo"}
    return sorted(
        path
        for path in root.rglob("*.py")
        if not skipped & set(path.relative_to(root).parts) and "__pycache__" not in path.parts
    )


def parse_all(paths: list[Path]) -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in paths}
