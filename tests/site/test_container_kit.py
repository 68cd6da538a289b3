"""The container kit (issue 25, item 1): ``Dockerfile``, ``.dockerignore``, ``compose.yaml``,
``deploy/compose.env.example``, ``deploy/container/`` and ``scripts/container-check.sh``.

What can be checked without a container engine is checked here, fast: the compose file's
services, health checks and start order, the published port, the trusted proxies, the
template's variables against the README, the image's pins and commands, the entry point's
roles and the health probe. The ``slow`` test runs ``scripts/container-check.sh`` (build,
up, a comment posted and read back, doctor, a backup, down) and skips, with the script's
reason, where no engine runs.
"""

import http.server
import importlib.util
import ipaddress
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

from newsdesk.core.clientaddr import trusted_proxies_parse
from tests.site.test_environment_table import readme_variables
from tests.support.ports import free_port

ROOT = Path(settings.BASE_DIR)
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
ENV_EXAMPLE = ROOT / "deploy" / "compose.env.example"
CONTAINER = ROOT / "deploy" / "container"
ENTRYPOINT = CONTAINER / "entrypoint.sh"
CHECK_SCRIPT = ROOT / "scripts" / "container-check.sh"
WEB_UNIT = ROOT / "deploy" / "systemd" / "newsdesk-web@.service"
APP_SERVICES = ("migrate", "web", "worker")
RUN_IN_WEB = re.compile(r"docker compose run --rm (?:--no-deps )?web (\w+)")


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def compose_default(name: str) -> str:
    """The default compose.yaml gives its variable ``name`` (``${NAME:-default}``)."""
    match = re.search(r"\$\{" + name + r":-([^}]*)\}", COMPOSE.read_text())
    assert match, f"compose.yaml has no default for {name}"
    return match.group(1)


def env_example() -> dict[str, str | None]:
    """The template's names: value when set, None when shown commented (``#NAME=``)."""
    found: dict[str, str | None] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if match := re.match(r"^([A-Z][A-Z0-9_]+)=(.*)$", line):
            found[match.group(1)] = match.group(2)
        elif match := re.match(r"^#([A-Z][A-Z0-9_]+)=", line):
            found.setdefault(match.group(1), None)
    return found


def dockerfile_runtime_env() -> dict[str, str]:
    """The ``ENV`` of the image's last stage (the one that runs)."""
    last_stage = re.split(r"^FROM .*$", DOCKERFILE.read_text(), flags=re.M)[-1]
    block = re.search(r"^ENV ((?:.*\\\n)*.*)$", last_stage, flags=re.M)
    assert block, "the runtime stage sets no ENV"
    pairs = re.findall(r"([A-Z_]+)=(\S+)", block.group(1).replace("\\\n", " "))
    return dict(pairs)


# --- compose.yaml ---------------------------------------------------------------------------------


def test_compose_runs_web_worker_postgres_redis_and_a_one_shot_migrate():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker"}
    assert re.fullmatch(r"postgres:1[67](-\w+)?", compose_default("NEWSDESK_POSTGRES_IMAGE"))
    assert re.fullmatch(r"redis:7(\.\d+)*(-\w+)?", compose_default("NEWSDESK_REDIS_IMAGE"))
    assert services["migrate"]["command"] == ["migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    assert services["web"]["command"] == ["web"]
    assert services["worker"]["command"] == ["worker"]
    for name in APP_SERVICES:
        # One image for all three, the site's settings from the env file.
        assert services[name]["image"] == services["web"]["image"]
        assert services[name]["env_file"] == services["web"]["env_file"]
        assert "deploy/compose.env" in services[name]["env_file"]
        assert services[name].get("init") is True, name


def test_each_service_has_its_health_check_and_web_and_worker_wait_for_them():
    services = compose()["services"]
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert services["web"]["healthcheck"]["test"][-1] == "/readyz"
    assert "deploy/container/healthcheck.py" in services["web"]["healthcheck"]["test"]
    # No HTTP in these: the image's /healthz probe is turned off rather than left failing.
    assert services["worker"]["healthcheck"] == {"disable": True}
    assert services["migrate"]["healthcheck"] == {"disable": True}
    healthy = {"condition": "service_healthy"}
    assert services["migrate"]["depends_on"] == {"postgres": healthy, "redis": healthy}
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {
            "postgres": healthy,
            "redis": healthy,
            "migrate": {"condition": "service_completed_successfully"},
        }, name


def test_only_web_is_published_and_on_127_0_0_1_alone():
    services = compose()["services"]
    published = {name: service["ports"] for name, service in services.items() if "ports" in service}
    assert list(published) == ["web"]
    assert published["web"] == ["127.0.0.1:${NEWSDESK_PORT:-8000}:8000"]


def test_named_volumes_keep_the_database_redis_media_and_backups():
    spec = compose()
    assert set(spec["volumes"]) == {"postgres-data", "redis-data", "media", "backups"}
    services = spec["services"]
    assert services["postgres"]["volumes"] == ["postgres-data:/var/lib/postgresql/data"]
    assert services["redis"]["volumes"] == ["redis-data:/data"]
    image_env = dockerfile_runtime_env()
    data_dir = image_env["NEWSDESK_DATA_DIR"]
    for name in APP_SERVICES:
        # Where the image's settings put media and where backups go (BACKUP_DIR's default,
        # the data folder's backups/).
        assert services[name]["volumes"] == [
            f"media:{image_env['MEDIA_ROOT']}",
            f"backups:{data_dir}/backups",
        ], name


def test_redis_runs_with_the_kits_limits_and_persistence():
    command = compose()["services"]["redis"]["command"]
    options = dict(zip(command[1::2], command[2::2], strict=True))
    kit = dict(
        line.split(None, 1)
        for line in (ROOT / "deploy" / "redis" / "newsdesk.conf").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    for name in ("maxmemory", "maxmemory-policy", "appendonly", "appendfsync"):
        assert options[f"--{name}"] == kit[name], name


def test_trusted_proxies_name_the_compose_network_and_the_health_probe():
    networks = trusted_proxies_parse(env_example()["TRUSTED_PROXIES"] or "")
    subnet = ipaddress.ip_network(compose_default("NEWSDESK_SUBNET"))
    assert compose()["networks"]["newsdesk"]["ipam"]["config"] == [
        {"subnet": "${NEWSDESK_SUBNET:-" + str(subnet) + "}"}
    ]
    # The proxy in front reaches web through the published port: from the network's gateway.
    gateway = next(subnet.hosts())
    assert any(gateway in network for network in networks)
    assert any(ipaddress.ip_address("127.0.0.1") in network for network in networks)
    # Nothing readers can send from: private networks only.
    assert all(network.is_private for network in networks)


# --- deploy/compose.env.example -------------------------------------------------------------------


def test_the_env_template_names_only_variables_of_the_readme():
    names = set(env_example())
    assert len(names) > 30  # the file was read
    assert names - readme_variables() == set(), "in compose.env.example, not in the README"


def test_the_env_template_sets_the_containers_values_and_no_demo_payments():
    values = env_example()
    assert values["DJANGO_SETTINGS_MODULE"] == "newsdesk.settings.production"
    assert values["REDIS_URL"] == "redis://redis:6379/0"
    assert values["SECURE_SSL_REDIRECT"] == "0"
    assert "CHANGE-ME" in (values["SECRET_KEY"] or "")
    # Live keys to fill in; the demo provider only where someone says so.
    assert (values["STRIPE_SECRET_KEY"] or "").startswith("sk_live_")
    assert values["FUNDING_TEST_PAYMENTS"] is None
    # compose.yaml builds it from POSTGRES_PASSWORD, for PostgreSQL and the site alike.
    assert "DATABASE_URL" not in values
    environment = compose()["x-newsdesk"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://newsdesk:${POSTGRES_PASSWORD:?")
    assert compose()["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )


def containers_environment(tmp_path: Path) -> dict[str, str]:
    """A web container's environment: the image's ENV, the template with its CHANGE-ME
    values filled in, compose's DATABASE_URL; the image's folders moved under tmp_path."""
    env = {k: v for k, v in os.environ.items() if k not in readme_variables()}
    for name, value in dockerfile_runtime_env().items():
        if name != "PATH":
            env[name] = value.replace("/var/lib/newsdesk", str(tmp_path / "data"))
    for name, value in env_example().items():
        if value is not None:
            env[name] = value.replace("CHANGE-ME", secrets.token_urlsafe(48))
    env["STATIC_ROOT"] = str(tmp_path / "static")
    env["MODERATION_MODEL_CACHE_DIR"] = str(tmp_path / "models")
    env["DATABASE_URL"] = f"postgres://newsdesk:{secrets.token_hex(24)}@postgres:5432/newsdesk"
    return env


def test_check_deploy_is_clean_with_the_containers_environment(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=containers_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- Dockerfile and .dockerignore -----------------------------------------------------------------


def test_the_image_installs_with_the_makefiles_uv_from_the_lock():
    text = DOCKERFILE.read_text()
    makefile_uv = re.search(r'"uv==([0-9.]+)"', (ROOT / "Makefile").read_text()).group(1)
    assert re.search(r"^ARG UV_VERSION=(\S+)$", text, flags=re.M).group(1) == makefile_uv
    assert '"uv==${UV_VERSION}"' in text
    assert re.search(r"uv sync --frozen --no-dev\b", text)


def test_the_image_is_multi_stage_on_a_pinned_python_3_11_slim_debian():
    text = DOCKERFILE.read_text()
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", text, flags=re.M).group(1)
    # A full version and a Debian release: a rebuild gets the same Python.
    assert re.fullmatch(r"python:3\.11\.\d+-slim-(bookworm|trixie)", base)
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?$", text, flags=re.M)
    assert stages == [("${PYTHON_IMAGE}", "build"), ("${PYTHON_IMAGE}", "runtime")]
    # pg_dump must be at least the server's version for backup_database.
    pg_major = re.search(r"^ARG PG_MAJOR=(\d+)$", text, flags=re.M).group(1)
    assert re.match(rf"postgres:{pg_major}\b", compose_default("NEWSDESK_POSTGRES_IMAGE"))
    assert '"postgresql-client-${PG_MAJOR}"' in text


def test_the_image_runs_as_a_user_of_its_own_with_static_files_collected_and_no_secrets():
    text = DOCKERFILE.read_text()
    user = re.findall(r"^USER (\S+)$", text, flags=re.M)
    assert user == ["newsdesk:newsdesk"]
    collect = next(line for line in text.split("RUN ") if "collectstatic" in line)
    assert "DJANGO_SETTINGS_MODULE=newsdesk.settings.production" in collect
    # With the Redis tier's apps installed, as at run time (RQ's dashboard has static files):
    # doctor fails an install whose manifest lacks any of them.
    assert "REDIS_URL=" in collect
    env = dockerfile_runtime_env()
    assert env["DJANGO_SETTINGS_MODULE"] == "newsdesk.settings.production"
    for name in env:
        assert not re.search(r"SECRET|PASSWORD|TOKEN|KEY", name), name
    assert not re.search(r"^(ENV|ARG) .*(SECRET|PASSWORD)", text, flags=re.M)
    healthcheck = re.search(r"^HEALTHCHECK .*\n.*$", text, flags=re.M).group(0)
    assert '"deploy/container/healthcheck.py", "/healthz"' in healthcheck
    assert re.search(r'^ENTRYPOINT \["deploy/container/entrypoint.sh"\]$', text, flags=re.M)
    assert os.access(ENTRYPOINT, os.X_OK)


def test_dockerignore_keeps_local_state_and_filled_in_env_files_out():
    lines = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", ".tools", "var", ".git", "**/*.sqlite3", "deploy/compose.env"} <= lines


# --- the image's commands -------------------------------------------------------------------------


def test_the_commands_the_kit_names_exist():
    commands = get_commands()
    for module in ("newsdesk.wsgi", "newsdesk.gunicorn_conf"):
        assert importlib.util.find_spec(module), module
    entrypoint = ENTRYPOINT.read_text()
    assert "exec gunicorn newsdesk.wsgi -c python:newsdesk.gunicorn_conf" in entrypoint
    assert "exec python manage.py worker" in entrypoint
    assert "worker" in commands
    services = compose()["services"]
    assert services["migrate"]["command"][0] in commands
    # What the guide and compose.yaml tell you to run with `docker compose run --rm web ...`
    # and what the check script runs in the containers.
    named = set()
    for path in (ROOT / "docs" / "production.md", COMPOSE):
        named |= set(RUN_IN_WEB.findall(path.read_text()))
    named |= set(re.findall(r"python manage\.py (\w+)", CHECK_SCRIPT.read_text()))
    assert {"migrate", "createsuperuser", "doctor", "upgrade", "backup_database"} <= named
    assert named - set(commands) == set()


def test_web_runs_gunicorn_with_the_systemd_units_options():
    unit = re.search(r"ExecStart=(.*?)\n(?!\s)", WEB_UNIT.read_text(), flags=re.S).group(1)
    unit_options = re.findall(r"(--[a-z-]+)(?: (\S+))?", unit.replace("\\\n", " "))
    web = ENTRYPOINT.read_text().split("web)", 1)[1].split(";;", 1)[0].replace("\\\n", " ")
    for option, value in unit_options:
        if option in ("--bind", "--workers", "--control-socket"):
            continue  # the container's own address, count and socket
        assert f"{option} {value}" in web, option
    assert "--bind 0.0.0.0:8000" in web
    assert '--workers "${WEB_CONCURRENCY:-2}"' in web


@pytest.fixture
def stub_bin(tmp_path):
    """A PATH whose gunicorn and python print how they were called."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("gunicorn", "python"):
        stub = folder / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*"\n')
        stub.chmod(0o755)
    return folder


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ([], "gunicorn newsdesk.wsgi -c python:newsdesk.gunicorn_conf --bind 0.0.0.0:8000"),
        (["web"], "gunicorn newsdesk.wsgi -c python:newsdesk.gunicorn_conf --bind 0.0.0.0:8000"),
        (["worker"], "python manage.py worker"),
        (["migrate", "--noinput"], "python manage.py migrate --noinput"),
        (["doctor"], "python manage.py doctor"),
        (["manage.py", "createsuperuser"], "python manage.py createsuperuser"),
        (["sh", "-c", "echo as is"], "as is"),
    ],
)
def test_the_entry_points_roles(stub_bin, arguments, expected):
    result = subprocess.run(
        [str(ENTRYPOINT), *arguments],
        env={"PATH": f"{stub_bin}:/usr/bin:/bin", "WEB_CONCURRENCY": "3"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(expected), result.stdout
    if expected.startswith("gunicorn"):
        assert "--workers 3 " in result.stdout


# --- the health probe -----------------------------------------------------------------------------


def healthcheck_module():
    spec = importlib.util.spec_from_file_location("healthcheck", CONTAINER / "healthcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_probe_names_a_host_django_allows():
    probe_host = healthcheck_module().probe_host
    assert probe_host("news.example.org,www.example.org") == "news.example.org"
    assert probe_host(" .example.org") == "example.org"
    assert probe_host("*") == "localhost"
    assert probe_host("") == "localhost"


@pytest.fixture
def answering():
    """A local server answering each path with the status the test puts in ``statuses``;
    records each request's headers."""
    statuses: dict[str, int] = {}
    seen: list[dict[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(dict(self.headers))
            self.send_response(statuses.get(self.path, 404))
            self.end_headers()
            self.wfile.write(b'{"ok": true}')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], statuses, seen
    server.shutdown()
    server.server_close()


def test_the_probe_passes_on_200_only(answering, monkeypatch):
    port, statuses, seen = answering
    statuses.update({"/healthz": 200, "/readyz": 503})
    monkeypatch.setenv("ALLOWED_HOSTS", "news.example.org")
    main = healthcheck_module().main
    assert main("/healthz", port=port) == 0
    assert seen[-1]["Host"] == "news.example.org"
    assert seen[-1]["X-Forwarded-Proto"] == "https"
    assert main("/readyz", port=port) == 1
    assert main("/healthz", port=free_port()) == 1  # nothing listening


# --- the whole thing, where an engine runs --------------------------------------------------------


def engine_missing() -> str | None:
    """Why no container engine can run the check here, or None."""
    for engine in ("docker", "podman"):
        if shutil.which(engine):
            result = subprocess.run(
                [engine, "info"], capture_output=True, text=True, timeout=60, check=False
            )
            if result.returncode == 0:
                return None
    return "no container engine runs here (docker without a daemon, no podman)"


@pytest.mark.slow
def test_the_container_check_builds_runs_posts_backs_up_and_stops():
    reason = engine_missing()
    if reason:
        pytest.skip(reason)
    result = subprocess.run(
        [str(CHECK_SCRIPT)], cwd=ROOT, capture_output=True, text=True, timeout=3600
    )
    output = result.stdout + result.stderr
    if result.returncode == 0 and result.stdout.startswith("skipped: "):
        pytest.skip(result.stdout.strip())
    assert result.returncode == 0, output[-6000:]
    assert "stored address: 198.51.100.23" in output
    assert "doctor: no failure" in output
    assert "container check passed" in output
