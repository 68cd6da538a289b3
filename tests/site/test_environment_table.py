"""The README's environment tables and the settings package agree, both ways.

(a) Every variable the README lists ("Environment variables" and "Settings of each app") is
read through ``newsdesk/settings/env.py`` in a settings module, and no settings module reads
one the README does not list; nothing else in ``newsdesk/`` reads the environment.
(b) Setting each variable changes the resulting Django settings: each is imported fresh, in a
subprocess, with and without the variable.
Importing the settings has no side effects: the data folder stays untouched until Django
starts, and the laptop's secret key file is written when the key is first used.
"""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SETTINGS_DIR = ROOT / "newsdesk" / "settings"
READERS = {"env_str", "env_int", "env_float", "env_bool", "env_list"}
# Read by Django and the entry points themselves (manage.py, wsgi.py), before any settings.
NOT_A_SETTING = {"DJANGO_SETTINGS_MODULE"}


def readme_variables() -> set[str]:
    """The variables of the README's two tables: the first column of "Environment
    variables", and every upper-case name in the second column of "Settings of each app"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    names: set[str] = set()
    for heading, column in (("### Environment variables", 0), ("### Settings of each app", 1)):
        lines = text.split(heading, 1)[1].splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("|"))
        end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), None)
        rows = lines[start:end]
        for row in rows[2:]:  # after the header and its rule
            cell = row.strip("|").split(" | ")[column]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", cell))
    return names


def settings_reads() -> dict[str, tuple[str, str]]:
    """Every ``env_*("NAME", ...)`` call in the settings modules: name -> (reader, module)."""
    reads: dict[str, tuple[str, str]] = {}
    for path in sorted(SETTINGS_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in READERS
            ):
                first = node.args[0]
                assert isinstance(first, ast.Constant), f"{path.name}: a variable by its name"
                reads.setdefault(first.value, (node.func.id, path.stem))
    return reads


def test_each_variable_in_the_readme_is_read_and_none_other():
    listed = readme_variables() - NOT_A_SETTING
    read = set(settings_reads())
    assert listed - read == set(), "in the README, read by no settings module"
    assert read - listed == set(), "read by the settings, missing from the README's tables"


# Where the environment may still be touched outside settings/env.py: building a child
# process's environment, and the entry points naming the default settings module.
ENVIRONMENT_ALLOWED = {
    "manage.py": ['os.environ.setdefault("DJANGO_SETTINGS_MODULE"'],
    "newsdesk/wsgi.py": ['os.environ.setdefault("DJANGO_SETTINGS_MODULE"'],
    "newsdesk/settings/env.py": ["os.environ.get(name)"],
    "newsdesk/core/management/commands/serve.py": ["**os.environ,"],
    "newsdesk/core/backups.py": ["dict(os.environ)"],
    # prometheus_client reads its multiprocess folder from the environment only.
    "newsdesk/gunicorn_conf.py": [
        "os.environ[multiproc.MULTIPROC_VARIABLE]",
        "os.environ.get(multiproc.",
    ],
}


def test_nothing_but_the_settings_reads_the_environment():
    found = []
    paths = [ROOT / "manage.py", *(ROOT / "newsdesk").rglob("*.py")]
    for path in paths:
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not re.search(r"\bos\.(environ|getenv)\b|\bgetenv\(", line):
                continue
            if not any(allowed in line for allowed in ENVIRONMENT_ALLOWED.get(relative, ())):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


def test_settings_modules_write_the_lists_once():
    """The middleware and the apps are written once, in order; variants are flags, never an
    ``insert``/``append``/``remove`` on the list from elsewhere."""
    mutations = []
    for path in SETTINGS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"insert", "append", "extend", "remove", "index"}
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"MIDDLEWARE", "INSTALLED_APPS"}
            ):
                mutations.append(f"{path.name}:{node.lineno}")
    assert mutations == []


def test_no_settings_module_is_over_150_lines():
    long = {
        p.name: n for p in SETTINGS_DIR.glob("*.py") if (n := len(p.read_text().splitlines())) > 150
    }
    assert long == {}


# --- (b) each variable changes the settings ---------------------------------------------------

# Values that must mean something to their reader (a URL, a backend's name); the others get a
# value of their kind (a number, a list, a word, and for a switch both spellings are tried).
VALUES = {
    "DATABASE_URL": "postgres://newsdesk:secret@db.example/newsdesk",
    "REDIS_URL": "redis://cache.example:6379/1",
    "TASKS_BACKEND": "immediate",
    "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    "SITE_URL": "https://news.example.org",
    "LANGUAGE_CODE": "fr",
    "SITE_LANGUAGES": "es,fr",
    "TIME_ZONE": "Europe/Paris",
    "LOG_LEVEL": "DEBUG",
    "LOG_FORMAT": "json",
    "MODERATION_EXTRA_TERMS_DIR": "/srv/terms",
}
# What else must be set for the variable to be read at all, and in which settings module.
CONTEXT = {
    "EMAIL_PORT": {"EMAIL_HOST": "smtp.example.org"},
    "EMAIL_HOST_USER": {"EMAIL_HOST": "smtp.example.org"},
    "EMAIL_HOST_PASSWORD": {"EMAIL_HOST": "smtp.example.org"},
    "EMAIL_USE_TLS": {"EMAIL_HOST": "smtp.example.org"},
}
MODULE = {
    "SECURE_SSL_REDIRECT": "newsdesk.settings.production",
    "SECURE_HSTS_SECONDS": "newsdesk.settings.production",
    "SECURE_HSTS_PRELOAD": "newsdesk.settings.production",
    "NEWSDESK_TEST_DB": "newsdesk.settings.test",
}

PROBE = r"""
import importlib, json, os, sys

def snapshot(module, env):
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        for name in [n for n in sys.modules if n.startswith("newsdesk.settings")]:
            del sys.modules[name]
        settings = importlib.import_module(module)
        return {k: repr(getattr(settings, k)) for k in dir(settings) if k.isupper()}
    finally:
        os.environ.clear()
        os.environ.update(saved)

results = {}
for case in json.load(sys.stdin):
    base = snapshot(case["module"], case["context"])
    changed = []
    for value in case["values"]:
        after = snapshot(case["module"], {**case["context"], case["name"]: value})
        changed += [k for k in after if after[k] != base.get(k)]
    results[case["name"]] = sorted(set(changed))
print(json.dumps(results))
"""


def _value_kinds(name: str, reader: str) -> list[str]:
    if name in VALUES:
        return [VALUES[name]]
    return {
        "env_int": ["13"],
        "env_float": ["7.5"],
        "env_bool": ["1", "0"],
        "env_list": ["a.example.org,b.example.org"],
    }.get(reader, [f"/srv/{name.lower()}"])


def _clean_environment(data_dir: Path) -> dict[str, str]:
    """This process's environment without any variable of the tables (CI sets DATABASE_URL
    and REDIS_URL), the data folder in ``data_dir``, a key so production imports."""
    names = readme_variables() | set(settings_reads())
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update(NEWSDESK_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return env


def test_setting_each_variable_changes_the_settings(tmp_path):
    reads = settings_reads()
    cases = [
        {
            "name": name,
            "module": MODULE.get(name, "newsdesk.settings.dev"),
            "context": {"SECRET_KEY": "k" * 50, **CONTEXT.get(name, {})},
            "values": _value_kinds(name, reader),
        }
        for name, (reader, _module) in sorted(reads.items())
    ]
    data_dir = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        input=json.dumps(cases),
        env=_clean_environment(data_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    changed = json.loads(result.stdout)
    assert [name for name, settings_changed in changed.items() if not settings_changed] == []
    assert set(changed) == set(reads)
    # Importing the settings many times left the disk alone.
    assert not data_dir.exists()


def test_importing_the_settings_writes_nothing_and_the_key_is_made_on_use(tmp_path):
    data_dir = tmp_path / "data"
    code = (
        "import newsdesk.settings.dev as s, os, sys;"
        "assert not os.path.exists(sys.argv[1]), 'created at import';"
        "key = str(s.SECRET_KEY); print(key)"
    )
    env = _clean_environment(data_dir)
    first = subprocess.run(
        [sys.executable, "-c", code, str(data_dir)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr[-2000:]
    key_file = data_dir / "secret_key"
    assert key_file.read_text().strip() == first.stdout.strip() and len(first.stdout.strip()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0
    # The next start reads the same key, as a plain string.
    code = (
        "import newsdesk.settings.dev as s; assert type(s.SECRET_KEY) is str; print(s.SECRET_KEY)"
    )
    again = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout.strip() == first.stdout.strip()


def test_processes_using_a_new_key_at_once_all_get_the_same_one(tmp_path):
    """gunicorn's workers and the worker start together on a fresh laptop: one key wins."""
    env = _clean_environment(tmp_path / "data")
    code = "import newsdesk.settings.dev as s; print(str(s.SECRET_KEY))"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    keys = {process.communicate(timeout=120)[0].strip() for process in processes}
    assert keys == {(tmp_path / "data" / "secret_key").read_text().strip()}
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["secret_key"]


@pytest.mark.parametrize(
    ("reader", "value", "words"),
    [
        ("env_int", "eighty", "PORT must be a whole number"),
        ("env_float", "soon", "PORT must be a number"),
        ("env_bool", "maybe", "PORT must be one of"),
    ],
)
def test_a_value_not_of_its_kind_is_an_error_naming_the_variable(monkeypatch, reader, value, words):
    from newsdesk.settings import env

    monkeypatch.setenv("PORT", value)
    with pytest.raises(env.EnvironmentVariableError, match=words):
        getattr(env, reader)("PORT", 1)


def test_unset_and_empty_variables_give_the_default(monkeypatch):
    from newsdesk.settings import env

    monkeypatch.delenv("PORT", raising=False)
    assert env.env_int("PORT", 8000) == 8000
    monkeypatch.setenv("PORT", "  ")
    assert env.env_int("PORT", 8000) == 8000
    assert env.env_list("PORT", "a, b,,c") == ["a", "b", "c"]
    monkeypatch.setenv("PORT", "OFF")
    assert env.env_bool("PORT", True) is False


def test_threads_of_one_process_using_a_new_key_at_once_all_get_the_same_one(tmp_path):
    """A gunicorn worker with ``--threads`` serves its first requests at once: every thread
    reads the one key, and none fails on another thread's half-written candidate file (each
    once wrote ``.secret_key.<pid>`` and removed the other's)."""
    env = _clean_environment(tmp_path / "data")
    code = (
        "import threading, newsdesk.settings.dev as s\n"
        "from newsdesk.settings import paths\n"
        "barrier = threading.Barrier(16); keys, errors = set(), []\n"
        "def use():\n"
        "    barrier.wait()\n"
        "    try: keys.add(str(s.SECRET_KEY))\n"
        "    except Exception as error: errors.append(repr(error))\n"
        "threads = [threading.Thread(target=use) for _ in range(16)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "assert not errors, errors\n"
        "print(len(keys), keys.pop())\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-2000:]
    count, key = run.stdout.split()
    assert count == "1" and key == (tmp_path / "data" / "secret_key").read_text().strip()
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["secret_key"]
