"""The boundaries between apps that the hooks of ``core/hooks.py`` draw.

- Every ``newsdesk_*`` hook is named once, in ``core/hooks.py``: no other file writes a hook
  name out, and no hook is registered under a name that file does not list.
- A change to a discussion reaches the page cache one way: discussion fires
  ``DISCUSSION_CHANGED`` from ``discussion/changes.py`` and the page cache alone listens;
  discussion, moderation and accounts do not import the page cache's invalidation.
- Other apps tell the page cache what makes a request theirs through ``PAGECACHE_RULES``; the
  page cache's code names none of it (nor any other app).
- ``accounts`` orchestrates a reader's download and erasure through each app's
  ``personal_data`` services and imports no other app's models.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.pagecache import registry

BASE_DIR = Path(settings.BASE_DIR)
PACKAGE = BASE_DIR / "newsdesk"
HOOKS_MODULE = PACKAGE / "core" / "hooks.py"
THIS_FILE = Path(__file__).resolve()
# Where Python that names hooks may live: the product, its tests, the benchmarks.
SCANNED = (PACKAGE, BASE_DIR / "tests", BASE_DIR / "bench", BASE_DIR / "conftest.py")
HOOK_CALLS = {"register", "get_hooks", "register_temporarily"}


def _python_files(*roots: Path):
    for root in roots:
        if root.is_file():
            yield root
            continue
        for path in sorted(root.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _product_files(app: str):
    for path in _python_files(PACKAGE / app):
        if "tests" not in path.relative_to(PACKAGE).parts:
            yield path


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(), filename=str(path))


def _strings(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node


def _imported_modules(tree: ast.AST) -> list[str]:
    modules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules += [f"{node.module}.{alias.name}" for alias in node.names]
    return modules


def _where(path: Path, node: ast.AST) -> str:
    shown = path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path.name
    return f"{shown}:{node.lineno}"


# --- hook names ---------------------------------------------------------------------------------
def hook_names_written_out(*roots: Path) -> list[str]:
    """Places outside ``core/hooks.py`` that write a ``newsdesk_*`` hook name as a string: a
    string that is one (or starts a slot's), one quoted inside another string (code run in a
    shell), or any ``newsdesk_*`` string handed to ``hooks.register``/``get_hooks``."""
    names = "|".join(
        re.escape(name) for name in (*newsdesk_hooks.HOOK_NAMES, newsdesk_hooks.SLOT_PREFIX)
    )
    quoted = re.compile(rf"""["']({names})["']""")
    found = []
    for path in _python_files(*roots):
        if path in (HOOKS_MODULE, THIS_FILE):  # this one writes bad code for the scan's test
            continue
        tree = _tree(path)
        for node in _strings(tree):
            value = node.value
            if (
                value in newsdesk_hooks.HOOK_NAMES
                or value.startswith(newsdesk_hooks.SLOT_PREFIX)
                or quoted.search(value)
            ):
                found.append(f"{_where(path, node)}: {value[:60]!r}")
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            first = node.args[0]
            if (
                name in HOOK_CALLS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and first.value.startswith("newsdesk_")
            ):
                found.append(f"{_where(path, node)}: {name}({first.value!r})")
    return sorted(set(found))


def test_no_hook_name_is_written_out_of_core_hooks():
    found = hook_names_written_out(*SCANNED)
    assert not found, "use the constants of newsdesk/core/hooks.py:\n" + "\n".join(found)


def test_the_hook_name_scan_finds_what_it_forbids(tmp_path):
    (tmp_path / "bad.py").write_text(
        "from wagtail import hooks\n"
        "@hooks.register('newsdesk_worker_periodic')\n"
        "def duty(): ...\n"
        "hooks.get_hooks('newsdesk_something_new')\n"
        "SLOT = f'newsdesk_slot_{name}'\n"
        "CODE = \"hooks.register_temporarily('newsdesk_comment_assess', hold)\"\n"
        "COOKIE = 'newsdesk_guest'  # a cookie, not a hook: allowed\n"
    )
    found = hook_names_written_out(tmp_path)
    assert sorted({int(line.split(":")[1]) for line in found}) == [2, 4, 5, 6], found


def test_every_newsdesk_hook_registered_is_named_in_core_hooks():
    hooks.search_for_hooks()
    registered = {name for name in hooks._hooks if name.startswith("newsdesk_")}
    assert registered, "the scan must see the project's hooks"
    assert registered <= set(newsdesk_hooks.HOOK_NAMES), registered - set(newsdesk_hooks.HOOK_NAMES)


def test_every_slot_the_templates_name_is_a_slot():
    named = set()
    for path in PACKAGE.rglob("*.html"):
        named.update(re.findall(r"""{%\s*slot\s+["'](\w+)["']""", path.read_text()))
    assert named, "the scan must see the templates' slots"
    assert named <= set(newsdesk_hooks.SLOTS), named - set(newsdesk_hooks.SLOTS)
    with pytest.raises(ValueError, match="No slot"):
        newsdesk_hooks.slot_hook("sidebar")


# --- one way from a discussion's change to the page cache ---------------------------------------
def test_only_discussion_fires_discussion_changed_and_only_the_page_cache_listens():
    users = set()
    for path in _python_files(PACKAGE):
        if path == HOOKS_MODULE or "tests" in path.parts:
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Attribute | ast.Name) and (
                getattr(node, "attr", None) == "DISCUSSION_CHANGED"
                or getattr(node, "id", None) == "DISCUSSION_CHANGED"
            ):
                users.add(str(path.relative_to(PACKAGE)))
    assert users == {"discussion/changes.py", "pagecache/wagtail_hooks.py"}, users
    hooks.search_for_hooks()
    listeners = hooks.get_hooks(newsdesk_hooks.DISCUSSION_CHANGED)
    assert [f.__module__ for f in listeners] == ["newsdesk.pagecache.wagtail_hooks"]


# What discussion may still use of the page cache: declaring, while a page renders, that it
# read a personal input (``pagecache.personal_input_read``). Nothing of invalidation.
PAGECACHE_ALLOWED = {"newsdesk.pagecache.personal.personal_input_read"}


@pytest.mark.parametrize("app", ["discussion", "moderation", "accounts"])
def test_discussion_moderation_and_accounts_do_not_invalidate_pages_themselves(app):
    found = [
        f"{path.relative_to(BASE_DIR)}: {module}"
        for path in _product_files(app)
        for module in _imported_modules(_tree(path))
        if module.startswith("newsdesk.pagecache") and module not in PAGECACHE_ALLOWED
    ]
    assert not found, "announce through discussion.changes instead:\n" + "\n".join(found)


# --- the page cache names no other app -----------------------------------------------------------
OTHER_APPS = ("articles", "syndication", "funding", "discussion", "moderation", "accounts", "demo")
# None: web registers its late-slot renderer with the page cache (PageCacheRules).
PAGECACHE_IMPORTS_ALLOWED: set[str] = set()


def test_the_page_cache_imports_no_other_app():
    found = [
        f"{path.relative_to(BASE_DIR)}: {module}"
        for path in _product_files("pagecache")
        for module in _imported_modules(_tree(path))
        if module.startswith("newsdesk.")
        and module.split(".")[1] not in ("core", "pagecache")
        and module not in PAGECACHE_IMPORTS_ALLOWED
    ]
    assert not found, "\n".join(found)


def test_the_page_cache_names_nothing_the_apps_register():
    """What the apps tell the page cache (cookies, headers, URL prefixes, route namespaces)
    is written nowhere in its code, nor is a comment's ``is_public``."""
    registry.registered_rules_reset()
    rules = registry.registered_rules()
    theirs = {
        *rules.personal_cookies,
        *rules.personal_headers,
        *rules.private_prefixes,
        *(namespace for namespace, _ in rules.public_routes if namespace),
        *(model.__name__ for model in rules.listed_page_models),
    }
    assert {"X-Guest-Token", "/discussion/comments/", "articles", "ArticlePage"} <= theirs
    found = []
    for path in _product_files("pagecache"):
        tree = _tree(path)
        for node in _strings(tree):
            hits = sorted(name for name in theirs if name in node.value)
            if hits and not (node.value.strip().count("\n") or " " in node.value.strip()):
                found.append(f"{_where(path, node)}: {hits}")  # a value, not prose
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "is_public":
                found.append(f"{_where(path, node)}: .is_public")
            if isinstance(node, ast.Name) and node.id in theirs:
                found.append(f"{_where(path, node)}: {node.id}")
    assert not found, "\n".join(found)


# --- accounts orchestrates ------------------------------------------------------------------------
@pytest.mark.parametrize("module", ["services.py", "selectors.py"])
def test_accounts_reads_and_erases_other_apps_data_through_their_services(module):
    path = PACKAGE / "accounts" / module
    found = [
        name
        for name in _imported_modules(_tree(path))
        if name.startswith("newsdesk.")
        and name.split(".")[1] in OTHER_APPS
        and name.split(".")[1] != "accounts"
        and ".models" in name
    ]
    assert not found, found
    used = set(_imported_modules(_tree(path)))
    for app in ("discussion", "funding", "moderation"):
        assert f"newsdesk.{app}.services.personal_data" in used, app
