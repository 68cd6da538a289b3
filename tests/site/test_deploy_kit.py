"""The deploy kit in ``deploy/`` (issue 25, part 1): what a sysadmin installs as shipped.

- the systemd units pass ``systemd-analyze verify``;
- the env-file template holds exactly the README's environment table (and only variables the
  README documents), and ``check --deploy`` is clean with it, as the guide configures;
- nginx sends one ``Cache-Control`` per static file, ``immutable`` only for hashed names.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.site.test_environment_table import readme_variables
from tests.support.nginx import NGINX, nginx_config, nginx_serving
from tests.support.ports import free_port

BASE_DIR = Path(settings.BASE_DIR)
DEPLOY = BASE_DIR / "deploy"
TEMPLATE = DEPLOY / "newsdesk.env.example"
UNITS = DEPLOY / "systemd"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


# --- systemd ------------------------------------------------------------------------------------


def units_for_verify(folder: Path) -> list[str]:
    """The kit's units copied into ``folder`` with /srv/newsdesk pointing at a folder of this
    run, the names systemd-analyze is asked to verify (templates as instances).

    ``systemd-analyze verify`` fails a unit whose ExecStart= binary does not exist ("is not
    executable"), and /srv/newsdesk does not exist on a test machine: the install's virtual
    environment is stood in for by links to this one's gunicorn and python. Nothing else of
    the units is changed."""
    root = folder / "srv"
    venv_bin = root / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    for name in ("gunicorn", "python"):
        (venv_bin / name).symlink_to(Path(sys.executable).with_name(name))
    (root / "var").mkdir()
    (root / "backups").mkdir()
    names = []
    for unit in sorted(UNITS.iterdir()):
        text = unit.read_text().replace("/srv/newsdesk", str(root))
        (folder / unit.name).write_text(text)
        if unit.name.endswith("@.service"):
            instance = "8000" if unit.name.startswith("newsdesk-web") else "1"
            names.append(unit.name.replace("@.", f"@{instance}."))
        else:
            names.append(unit.name)
    return names


def test_the_kit_has_templated_web_and_worker_units_and_the_backup_timer():
    names = {path.name for path in UNITS.iterdir()}
    assert {
        "newsdesk-web@.service",
        "newsdesk-worker@.service",
        "newsdesk-backup.service",
        "newsdesk-backup.timer",
    } <= names
    web = (UNITS / "newsdesk-web@.service").read_text()
    # Each instance binds its own port and has its own control socket.
    assert "--bind 127.0.0.1:%i" in web
    assert "--control-socket /run/newsdesk-web-%i/gunicorn.ctl" in web
    assert "RuntimeDirectory=newsdesk-web-%i" in web
    for unit in names - {"newsdesk-backup.timer"}:
        assert "EnvironmentFile=/etc/newsdesk/env" in (UNITS / unit).read_text(), unit


@pytest.mark.skipif(
    SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed (Debian: systemd)"
)
def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    names = units_for_verify(tmp_path)
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # verify reports some problems as warnings only: none may concern the kit's units.
    assert not re.search(r"newsdesk-[\w@.-]+: ", output), output


# --- the environment file -------------------------------------------------------------------------

VARIABLE_LINE = re.compile(r"^#?([A-Z][A-Z0-9_]*)=(.*)$")


def template_variables() -> dict[str, str | None]:
    """Each variable of the template: its value where the line is set, None where it only
    shows the default (``#NAME=value``)."""
    found: dict[str, str | None] = {}
    for line in TEMPLATE.read_text().splitlines():
        match = VARIABLE_LINE.match(line)
        if match:
            name, value = match.groups()
            assert name not in found, f"{name} twice in the template"
            found[name] = None if line.startswith("#") else value.strip('"')
    return found


def readme_environment_table() -> set[str]:
    """The names of the README's "Environment variables" table (its first column)."""
    text = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = text.split("### Environment variables", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_the_env_template_holds_exactly_the_readme_environment_table():
    table = readme_environment_table()
    assert len(table) > 40  # the table was found and read
    in_template = set(template_variables())
    assert table - in_template == set(), "in the README's table, missing from the template"
    # The template may set the apps' settings too (the payment keys), never an unknown name.
    assert in_template - readme_variables() == set(), "in the template, not in the README"


def guide_environment(data_dir: Path) -> dict[str, str]:
    """The environment of a unit started with the template as the guide fills it in: the
    CHANGE-ME values replaced by real-looking ones, the paths moved under ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if k not in readme_variables()}
    for name, value in template_variables().items():
        if value is None:
            continue
        value = value.replace("/srv/newsdesk/var", str(data_dir))
        if "CHANGE-ME" in value:
            value = value.replace("CHANGE-ME", secrets.token_urlsafe(48))
        env[name] = value
    return env


def test_check_deploy_is_clean_with_the_guides_environment(tmp_path):
    env = guide_environment(tmp_path)
    assert env["SECURE_SSL_REDIRECT"] == "0" and env["TRUSTED_PROXIES"] == "127.0.0.1"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    # HSTS preloading (an opt-in) and Django's own HTTPS redirect (nginx redirects).
    assert "(2 silenced)" in result.stdout


def test_the_redirect_warning_is_silenced_only_when_the_redirect_is_off(tmp_path):
    env = {**guide_environment(tmp_path), "SECURE_SSL_REDIRECT": "1"}
    code = "from django.conf import settings; print(sorted(settings.SILENCED_SYSTEM_CHECKS))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['security.W021']"


# --- nginx: static files --------------------------------------------------------------------------


@pytest.fixture
def nginx_static(tmp_path):
    """nginx running the sample (its ports and paths only changed), with two collected static
    files: a hashed name, as ManifestStaticFilesStorage writes, and the unhashed copy."""
    if NGINX is None:
        pytest.skip("nginx is not installed (scripts/install-bench-tools.sh installs it)")
    static = tmp_path / "static" / "web"
    static.mkdir(parents=True)
    (static / "site.css").write_text("body { color: #111; }\n")
    (static / "site.3f2a9c81b7de.css").write_text("body { color: #111; }\n")
    port = free_port()
    # No application behind it: static files never reach it.
    config = nginx_config(prefix=tmp_path, port=port, upstream_port=free_port())
    with nginx_serving(config, prefix=tmp_path, port=port):
        yield f"http://127.0.0.1:{port}"


def cache_controls(url: str) -> list[str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return response.headers.get_all("Cache-Control") or []


def test_nginx_sends_one_cache_control_per_static_file(nginx_static):
    hashed = cache_controls(f"{nginx_static}/static/web/site.3f2a9c81b7de.css")
    assert len(hashed) == 1, hashed
    assert "immutable" in hashed[0] and "max-age=31536000" in hashed[0]

    # An unhashed name may change with the next release: never immutable, kept briefly.
    plain = cache_controls(f"{nginx_static}/static/web/site.css")
    assert len(plain) == 1, plain
    assert "immutable" not in plain[0] and "max-age=31536000" not in plain[0]


def test_nginx_passes_the_readers_address_the_way_trusted_proxies_expects():
    """Every proxied location appends the address nginx saw (what ``core/clientaddr.py``
    reads right to left) and says the scheme; the full chain runs in
    ``newsdesk/core/tests/test_client_address_nginx.py``."""
    conf = (DEPLOY / "nginx" / "newsdesk.conf").read_text()
    passes = conf.count("proxy_pass http://newsdesk_app;")
    assert passes >= 2
    assert conf.count("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;") == passes
    assert conf.count("proxy_set_header X-Forwarded-Proto $scheme;") == passes
