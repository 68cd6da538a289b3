"""Services and selectors are fully annotated and type-checked (issue 18, item 8).

``make lint`` runs mypy with django-stubs as ``[tool.mypy]`` in ``pyproject.toml`` says; this
test keeps that configuration honest, so a module cannot drop out of the check unnoticed:

- every services and selectors module (``services.py``, ``services/*.py``, ``selectors*.py``)
  is among the files mypy reads;
- none is under an ``ignore_errors`` override (its errors would be silenced);
- each is under the override that requires every function to be annotated
  (``disallow_untyped_defs``), except the few listed in ``NOT_YET_STRICT`` with their reason.

Whether the annotations are right is mypy's job (``make lint``), not this test's.
"""

import tomllib
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PACKAGE = BASE_DIR / "newsdesk"

# Checked by mypy, but some functions still lack annotations; their owners are annotating
# them under issue 18. Delete a line once its module is in the strict override (the test
# fails while a listed module is already strict, so this list only shrinks).
NOT_YET_STRICT: dict[str, str] = {}


def contract_modules() -> dict[str, Path]:
    """Every services and selectors module of the apps, by dotted name."""
    paths = [
        *PACKAGE.glob("*/services.py"),
        *PACKAGE.glob("*/services/*.py"),
        *PACKAGE.glob("*/selectors*.py"),
    ]
    return {
        ".".join(path.relative_to(BASE_DIR).with_suffix("").parts).removesuffix(".__init__"): path
        for path in paths
        if "tests" not in path.parts
    }


def mypy_config(text: str | None = None) -> dict:
    if text is None:
        text = (BASE_DIR / "pyproject.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["tool"]["mypy"]


def checked_paths(config: dict) -> set[Path]:
    """The Python files mypy reads (its ``files``, globs and folders expanded)."""
    found: set[Path] = set()
    for entry in config["files"]:
        for path in BASE_DIR.glob(entry):
            found |= set(path.rglob("*.py")) if path.is_dir() else {path}
    return {path.resolve() for path in found}


def module_matches(name: str, pattern: str) -> bool:
    """mypy's override patterns: ``a.b`` names a module, ``a.b.*`` it and its submodules."""
    if pattern.endswith(".*"):
        package = pattern[:-2]
        return name == package or name.startswith(package + ".")
    return name == pattern


def overrides_with(config: dict, option: str) -> list[str]:
    patterns: list[str] = []
    for override in config.get("overrides", []):
        if override.get(option):
            module = override["module"]
            patterns += [module] if isinstance(module, str) else module
    return patterns


def problems(config: dict) -> list[str]:
    """What breaks the rule in ``config`` (empty when it holds)."""
    out = []
    checked = checked_paths(config)
    ignored = overrides_with(config, "ignore_errors")
    strict = overrides_with(config, "disallow_untyped_defs")
    for name, path in sorted(contract_modules().items()):
        if path.resolve() not in checked:
            out.append(f"{name}: not among [tool.mypy] files")
        if any(module_matches(name, p) for p in ignored):
            out.append(f"{name}: its errors are ignored (ignore_errors)")
        is_strict = any(module_matches(name, p) for p in strict)
        if not is_strict and name not in NOT_YET_STRICT:
            out.append(f"{name}: not in the disallow_untyped_defs override")
        if is_strict and name in NOT_YET_STRICT:
            out.append(f"{name}: strict now; delete it from NOT_YET_STRICT")
    return out


def test_services_and_selectors_are_type_checked_strictly():
    assert contract_modules(), "no services or selectors found: is BASE_DIR right?"
    assert problems(mypy_config()) == []


def test_the_rule_catches_an_ignored_module():
    # The configuration as it was before discussion's services were annotated: silenced.
    config = mypy_config()
    config["overrides"] = [
        *config.get("overrides", []),
        {"module": ["newsdesk.discussion.services.*"], "ignore_errors": True},
    ]
    found = problems(config)
    assert "newsdesk.discussion.services.comments: its errors are ignored (ignore_errors)" in found


def test_the_rule_catches_an_unchecked_module():
    config = mypy_config()
    config["files"] = [entry for entry in config["files"] if "selectors_posting" not in entry]
    found = problems(config)
    assert "newsdesk.discussion.selectors_posting: not among [tool.mypy] files" in found
