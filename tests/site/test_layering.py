"""The apps depend on each other one way, as ``docs/architecture.md`` draws it.

The allowed dependencies are read from that document's table, so the picture and the rule
cannot drift apart. A dependency is a Python import (at module level or inside a function),
a model named by its label (``ForeignKey("articles.ArticlePage")``), or, in an app's
templates, a ``{% load %}``, ``{% url 'namespace:...' %}``, ``{% include %}``/``{% extends %}``
or ``{% static %}`` of another app's. Known exceptions that colleagues are removing are listed
below with their reason: each fails the strict test only if it grows, and its own ``xfail``
test turns green when it is gone (then delete it from the list).
"""

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PACKAGE = BASE_DIR / "newsdesk"
DOC = BASE_DIR / "docs" / "architecture.md"
APPS = (
    "core",
    "pagecache",
    "web",
    "articles",
    "syndication",
    "funding",
    "discussion",
    "moderation",
    "newsletters",
    "accounts",
    "demo",
)
DOMAIN_APPS = (
    "articles",
    "syndication",
    "funding",
    "discussion",
    "moderation",
    "newsletters",
    "accounts",
)
# The project's own modules: they put the apps together and no app imports them.
PROJECT_MODULES = ("settings", "urls", "api", "wsgi", "gunicorn_conf", "testing", "observability")
# Between domain apps the way in is services, selectors, errors and types, not ``models``
# (docs/architecture.md); these read another app's models by design.
MODELS_IMPORT_ALLOWED = {
    ("discussion", "articles"),  # a thread belongs to an article page
    ("syndication", "articles"),  # it creates and updates article pages
}


# --- what the document allows -----------------------------------------------------------------
def allowed_dependencies() -> dict[str, set[str]]:
    """The rows of the "may import" table of docs/architecture.md."""
    text = DOC.read_text()
    table = text.split("<!-- layering:", 1)[1]
    allowed: dict[str, set[str]] = {}
    for line in table.splitlines()[1:]:
        if not line.startswith("|"):
            if allowed:
                break
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        app = cells[0].strip("`")
        if app in APPS:
            allowed[app] = set(re.findall(r"`(\w+)`", cells[1]))
    return allowed


def test_the_document_names_every_app_and_its_table_is_one_way():
    allowed = allowed_dependencies()
    assert set(allowed) == set(APPS)
    for app, deps in allowed.items():
        assert deps <= set(APPS) - {app}, (app, deps)
    # No cycle: repeatedly take away the apps whose dependencies are all taken.
    left = dict(allowed)
    while left:
        ready = [app for app, deps in left.items() if not deps & set(left)]
        assert ready, f"a cycle among {sorted(left)}"
        for app in ready:
            del left[app]


# --- what the code does -------------------------------------------------------------------------
def _app_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _product_files(suffix: str):
    for path in sorted(PACKAGE.rglob(f"*{suffix}")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _is_type_checking(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` but the bodies of ``if TYPE_CHECKING:`` blocks (their ``else``
    runs, so it stays)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if _is_type_checking(node):
            todo.extend(node.orelse)
            todo.append(node.test)
        else:
            todo.extend(ast.iter_child_nodes(node))


def _imported_modules(tree: ast.AST, *, runtime_only: bool = False) -> list[str]:
    """The modules ``tree`` imports; with ``runtime_only``, not those imported under
    ``if TYPE_CHECKING:``, which only the type checker reads."""
    modules = []
    for node in _runtime_nodes(tree) if runtime_only else ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # ``from newsdesk import discussion``, ``from newsdesk.funding import models``:
            # the alias may be the module.
            modules += [f"{node.module}.{alias.name}" for alias in node.names]
    return modules


def _model_labels(tree: ast.AST) -> list[str]:
    """Apps named by a model label in a string: ``"articles.ArticlePage"``."""
    labels = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = re.fullmatch(r"(\w+)\.[A-Z]\w*", node.value)
            if match and match.group(1) in APPS:
                labels.append(match.group(1))
    return labels


_TEMPLATE_TAG = re.compile(r"{%\s*(load|url|include|extends|static)\s+(.*?)%}", re.S)


def _template_libraries() -> dict[str, str]:
    """Template tag library name -> the app that has it."""
    return {
        path.stem: _app_of(path)
        for path in PACKAGE.glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }


def _template_dependencies(text: str, libraries: dict[str, str]) -> list[str]:
    apps = []
    for tag, rest in _TEMPLATE_TAG.findall(text):
        if tag == "load":
            names = rest.split()
            if "from" in names:  # {% load a b from library %}
                names = names[names.index("from") + 1 :]
            apps += [libraries[name] for name in names if name in libraries]
            continue
        match = re.match(r"""\s*["']([\w-]+)[:/]""", rest)
        if match and match.group(1) in APPS:
            apps.append(match.group(1))
    return apps


def dependencies() -> dict[tuple[str, str], list[str]]:
    """(app, app it depends on) -> where, for every dependency between two apps."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in _product_files(".py"):
        app = _app_of(path)
        if app not in APPS:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        where = str(path.relative_to(BASE_DIR))
        for module in _imported_modules(tree):
            parts = module.split(".")
            if parts[0] == "newsdesk" and len(parts) > 1 and parts[1] != app:
                found[(app, parts[1])].append(f"{where}: import {module}")
        for label in _model_labels(tree):
            if label != app:
                found[(app, label)].append(f"{where}: model label {label}")
    libraries = _template_libraries()
    for path in _product_files(".html"):
        app = _app_of(path)
        where = str(path.relative_to(BASE_DIR))
        for other in _template_dependencies(path.read_text(), libraries):
            if other != app:
                found[(app, other)].append(f"{where}: template uses {other}")
    return found


def layer_violations() -> dict[tuple[str, str], list[str]]:
    allowed = allowed_dependencies()
    violations = {}
    for (app, other), where in dependencies().items():
        if other in PROJECT_MODULES or other not in allowed[app]:
            violations[(app, other)] = where
    return violations


def models_imports() -> dict[tuple[str, str], list[str]]:
    """Imports of another domain app's ``models`` by a domain app, beyond the allowed.

    An import under ``if TYPE_CHECKING:`` does not count here: a model named as a type in
    an annotation is not a runtime dependency (nothing runs a query through it), and this
    rule is about reading and writing another app's rows. It still counts for the arrows
    (``dependencies``): a type from an app is knowledge of that app."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in _product_files(".py"):
        app = _app_of(path)
        if app not in DOMAIN_APPS:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for module in _imported_modules(tree, runtime_only=True):
            parts = module.split(".")
            if (
                parts[0] == "newsdesk"
                and len(parts) > 2
                and parts[1] in DOMAIN_APPS
                and parts[1] != app
                and parts[2] == "models"
                and (app, parts[1]) not in MODELS_IMPORT_ALLOWED
            ):
                found[(app, parts[1])].append(f"{path.relative_to(BASE_DIR)}: import {module}")
    return found


def _report(violations: dict[tuple[str, str], list[str]]) -> str:
    return "\n".join(
        f"{app} -> {other}:\n    " + "\n    ".join(where)
        for (app, other), where in sorted(violations.items())
    )


# --- the rules ----------------------------------------------------------------------------------
def test_the_scan_sees_the_dependencies_the_document_draws():
    """The scan is not blind: it finds what every reader of the code can see."""
    found = dependencies()
    assert ("articles", "web") in found
    assert ("moderation", "discussion") in found
    assert ("discussion", "articles") in found  # also as the label of Thread.article


def test_no_app_depends_against_the_arrows():
    """Core imports no app, the page cache no domain app, web no domain app's models, and so
    on, per the table, with no exception."""
    new = layer_violations()
    assert not new, "dependencies the architecture does not allow:\n" + _report(new)


def test_no_domain_app_imports_another_apps_models():
    new = models_imports()
    assert not new, "another domain app's models imported:\n" + _report(new)


def test_the_rule_catches_what_it_forbids(tmp_path, monkeypatch):
    """The scanner itself: a core module importing an app, a web template loading a domain
    app's tags and a page cache module naming discussion's model are all found."""
    fake = tmp_path / "newsdesk"
    (fake / "core").mkdir(parents=True)
    (fake / "core" / "bad.py").write_text(
        "def f():\n    from newsdesk.discussion.models import Comment\n"
    )
    (fake / "pagecache").mkdir()
    (fake / "pagecache" / "bad.py").write_text("MODEL = 'discussion.Comment'\n")
    (fake / "discussion" / "templatetags").mkdir(parents=True)
    (fake / "discussion" / "templatetags" / "comment_tree.py").write_text("")
    (fake / "web" / "templates" / "web").mkdir(parents=True)
    (fake / "web" / "templates" / "web" / "bad.html").write_text(
        "{% load static comment_tree %}{% url 'funding:donate' %}"
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    monkeypatch.setattr(sys.modules[__name__], "BASE_DIR", tmp_path)
    assert set(layer_violations()) == {
        ("core", "discussion"),
        ("pagecache", "discussion"),
        ("web", "discussion"),
        ("web", "funding"),
    }


def test_the_models_rule_counts_runtime_imports_not_types(tmp_path, monkeypatch):
    """A model imported under ``if TYPE_CHECKING:`` is a type, not a way into another app's
    rows; the same import at run time (module level, in a function, or in the ``else`` of
    such a block) is one."""
    fake = tmp_path / "newsdesk"
    (fake / "moderation").mkdir(parents=True)
    (fake / "moderation" / "typed.py").write_text(
        "import typing\nfrom typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from newsdesk.discussion.models import Comment\n"
        "if typing.TYPE_CHECKING:\n    from newsdesk.funding.models import Donation\n"
    )
    (fake / "accounts").mkdir()
    (fake / "accounts" / "runtime.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    pass\nelse:\n    import newsdesk.funding.models\n"
        "def f():\n    from newsdesk.discussion.models import Comment\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    monkeypatch.setattr(sys.modules[__name__], "BASE_DIR", tmp_path)
    assert set(models_imports()) == {("accounts", "discussion"), ("accounts", "funding")}
    # The arrows still see the types: moderation names discussion and funding.
    assert {("moderation", "discussion"), ("moderation", "funding")} <= set(dependencies())
