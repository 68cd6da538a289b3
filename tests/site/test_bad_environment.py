"""A value not of its kind in the environment, or a missing one (SECRET_KEY in production),
stops every entry point with one line naming the variable: ``manage.py`` (every command,
the worker and ``serve`` included) and the WSGI module gunicorn imports, which exits as a
worker that failed to boot (3) so the master stops. No traceback: the operator made a typo,
the code did not fail."""

import subprocess
import sys

import pytest

from tests.site.test_environment_table import ROOT, _clean_environment

CASES = [
    ("MODERATION_DECISION_WEIGHT", "abc", "MODERATION_DECISION_WEIGHT must be a number, not 'abc'"),
    ("PORT", "eighty", "PORT must be a whole number, not 'eighty'."),
    ("PAGECACHE_ENABLED", "maybe", "PAGECACHE_ENABLED"),
]


def _run(args: list[str], tmp_path, **variables: str) -> subprocess.CompletedProcess:
    env = _clean_environment(tmp_path / "data") | variables
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(("name", "value", "words"), CASES)
def test_manage_py_says_one_line_and_fails(tmp_path, name, value, words):
    result = _run(["manage.py", "check"], tmp_path, **{name: value})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("Error: ") and words in result.stderr
    assert result.stdout == ""


def test_a_missing_secret_key_in_production_is_one_line_too(tmp_path):
    production = {"DJANGO_SETTINGS_MODULE": "newsdesk.settings.production"}
    result = _run(["manage.py", "check"], tmp_path, **production)
    assert result.returncode == 1
    assert result.stderr == "Error: SECRET_KEY must be set in the environment in production.\n"
    result = _run(["-c", "import newsdesk.wsgi"], tmp_path, **production)
    assert result.returncode == 3
    assert result.stderr == "Error: SECRET_KEY must be set in the environment in production.\n"


def test_the_wsgi_module_says_one_line_and_exits_as_a_failed_boot(tmp_path):
    result = _run(["-c", "import newsdesk.wsgi"], tmp_path, PORT="eighty")
    assert result.returncode == 3
    assert result.stderr == "Error: PORT must be a whole number, not 'eighty'.\n"


def test_a_good_environment_still_runs_the_command(tmp_path):
    result = _run(["manage.py", "check", "--tag", "models"], tmp_path, PORT="8001")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no issues" in result.stdout


def test_a_reader_that_stops_reading_ends_the_command_quietly(tmp_path):
    """``manage.py moderation_data_check | head``: once ``head`` has its lines, the command's
    next write finds the pipe closed. It stops with status 1 and says nothing, instead of a
    traceback for the write and another for the interpreter's last flush."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-v0", "-c", "for n in range(200_000): print(n)"],
        env=_clean_environment(tmp_path / "data"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout.readline() == b"0\n"
    process.stdout.close()  # as head does once it has printed its lines
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in errors and "BrokenPipe" not in errors, errors
