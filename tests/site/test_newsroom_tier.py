"""The newsroom tier brought up from the deploy kit alone, as docs/production.md installs it
(issue 25's "done when").

Nothing here is written for the test that the kit does not ship:

- PostgreSQL: a throwaway cluster stands in for Debian's, and ``deploy/postgresql/create.sql``
  makes the role and the database exactly as step 1 of the guide runs it;
- Redis runs ``deploy/redis/newsdesk.conf``;
- the environment is ``deploy/newsdesk.env.example`` with its CHANGE lines filled in and the
  paths under ``/srv/newsdesk`` moved into this run's folder; every command reads it as the
  guide's ``run()`` does (``set -a; . env``);
- migrate, collectstatic, createsuperuser and ``check --deploy --fail-level WARNING`` (step 4);
- two web masters and two workers run the ``ExecStart=`` lines of the systemd units with their
  instance names (step 5), and the nightly backup the backup unit's line;
- nginx runs ``deploy/nginx/newsdesk.conf`` with its ports and paths changed (step 6).

Then readers post from addresses of their own through nginx and are counted apart,
``doctor`` is clean, ``/readyz`` and the metrics answer, and a backup, an upgrade and a
restore to the upgrade's backup behave as the guide says. Slow (about two minutes), so only
in the PostgreSQL + Redis run of ``make test`` (CI's second tier).
"""

import http.client
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.site.deploy_kit import (
    DEPLOY,
    PG_MISSING,
    REDIS_SERVER,
    kit_redis,
    pg_cluster,
    site_role_create,
)
from tests.support.nginx import MISSING, NGINX, nginx_config, nginx_serving
from tests.support.ports import free_port
from tests.support.smtp import SmtpServer

BASE_DIR = Path(settings.BASE_DIR)
VENV_BIN = Path(sys.executable).parent
HOST = "news.example.org"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="the whole newsroom tier runs in the PostgreSQL + Redis run of the suite",
    ),
    pytest.mark.skipif(PG_MISSING is not None, reason=PG_MISSING or ""),
    pytest.mark.skipif(NGINX is None, reason=MISSING),
    pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed"),
]


# --- the kit's files, read as systemd and the guide read them ----------------------------------
def exec_start(unit: str, *, instance: str = "", root: Path, key="ExecStart") -> list[str]:
    """The unit's ``ExecStart=`` (or ``key=``) command as systemd runs it for ``instance``: line
    continuations joined, ``%i`` the instance, ``%%`` and ``$$`` unescaped, the paths under
    ``/srv/newsdesk`` and ``/run`` moved under ``root``, the virtual environment this one."""
    text = (DEPLOY / "systemd" / unit).read_text().replace("\\\n", " ")
    line = next(row for row in text.splitlines() if row.startswith(f"{key}="))
    command = line.removeprefix(f"{key}=").replace("%i", instance)
    command = command.replace("%%", "%").replace("$$", "$")
    command = command.replace("/srv/newsdesk/.venv/bin/", f"{VENV_BIN}/")
    command = command.replace("/srv/newsdesk/", f"{root}/").replace("/run/", f"{root}/run/")
    return shlex.split(command)


def env_file_write(*, root: Path, database_url: str, redis_url: str, smtp_port: int) -> Path:
    """``deploy/newsdesk.env.example`` with its CHANGE lines filled in as a sysadmin would,
    its paths in ``root``, and the one staging choice this run makes: no live Stripe account,
    so ``FUNDING_TEST_PAYMENTS=1`` (the guide's way to run without one); the mail server is
    the test's, without TLS or a password."""
    text = (DEPLOY / "newsdesk.env.example").read_text()
    values = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": "0",
        "STRIPE_SECRET_KEY": "",
        "STRIPE_PUBLISHABLE_KEY": "",
        "STRIPE_WEBHOOK_SECRET": "",
        "FUNDING_TEST_PAYMENTS": "1",
    }
    for name, value in values.items():
        text, count = re.subn(rf"(?m)^#?{name}=.*$", f"{name}={value}", text)
        assert count == 1, f"{name} is not in deploy/newsdesk.env.example"
    text = text.replace("/srv/newsdesk/", f"{root}/")
    assert "CHANGE-ME" not in text, "a CHANGE line was left as shipped"
    path = root / "env"
    path.write_text(text)
    path.chmod(0o640)
    return path


class Tier:
    """The installed site: its folder, its env file, its ports."""

    def __init__(self, root: Path, env_file: Path):
        self.root, self.env_file = root, env_file
        self.web_ports = [free_port(), free_port()]
        self.nginx_port = free_port()
        self.processes: list[subprocess.Popen] = []
        self.smtp: SmtpServer | None = None
        self.article_id = 0

    def environ(self) -> dict[str, str]:
        """A clean environment: nothing of the test run's own settings leaks in."""
        keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
        return {k: v for k, v in os.environ.items() if k in keep}

    def run(self, *command: str, check: bool = True, timeout: int = 600):
        """``command`` as the guide's ``run()``: the env file read with ``set -a``."""
        result = subprocess.run(
            ["sh", "-c", f'set -a; . {self.env_file}; set +a; exec "$@"', "run", *command],
            cwd=BASE_DIR,
            env=self.environ(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check:
            assert result.returncode == 0, (command, result.stdout[-4000:], result.stderr[-4000:])
        return result

    def manage(self, *args: str, check: bool = True, timeout: int = 600):
        return self.run(f"{VENV_BIN}/python", "manage.py", *args, check=check, timeout=timeout)

    def start(self, name: str, command: list[str], *, port: int | None = None):
        """``command`` in the background, its output in ``logs/<name>.log``; with ``port``,
        return once it accepts connections there."""
        logs = self.root / "logs"
        logs.mkdir(exist_ok=True)
        with open(logs / f"{name}.log", "ab") as log:
            process = subprocess.Popen(
                ["sh", "-c", f'set -a; . {self.env_file}; set +a; exec "$@"', "run", *command],
                cwd=BASE_DIR,
                env=self.environ(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        deadline = time.monotonic() + 120
        while port:
            assert process.poll() is None, self.log(name)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, self.log(name)
                time.sleep(0.1)
        return process

    def log(self, name: str) -> str:
        """The end of a background process's output."""
        return (self.root / "logs" / f"{name}.log").read_text(errors="replace")[-6000:]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code).stdout


@pytest.fixture(scope="module")
def tier(tmp_path_factory):
    root = tmp_path_factory.mktemp("srv")
    (root / "run").mkdir()
    with (
        pg_cluster() as (pg_port, sockets),
        kit_redis(root / "redis") as redis_url,
        SmtpServer() as smtp,
    ):
        password = site_role_create(pg_port, sockets)
        env_file = env_file_write(
            root=root,
            database_url=f"postgres://newsdesk:{password}@127.0.0.1:{pg_port}/newsdesk",
            redis_url=redis_url,
            smtp_port=smtp.port,
        )
        site = Tier(root, env_file)
        site.smtp = smtp
        # Step 4: folders, tables, static files, the first administrator, the checks.
        for folder in (root / "var", root / "backups"):
            folder.mkdir(mode=0o700)
        site.manage("migrate", "--noinput")
        site.manage("collectstatic", "--noinput")
        site.run(
            "env",
            "DJANGO_SUPERUSER_PASSWORD=" + secrets.token_urlsafe(16),
            f"{VENV_BIN}/python",
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--username",
            "chief",
            "--email",
            "chief@example.org",
        )
        deploy_check = site.manage("check", "--deploy", "--fail-level", "WARNING")
        assert "no issues" in deploy_check.stdout
        # What the newsroom publishes (the demo content is not for a newsroom's database).
        article = site.shell(
            "from tests.support.factories import make_article\n"
            "print(make_article(title='The ferry timetable changes in spring').pk)\n"
        )
        site.article_id = int(article.strip().splitlines()[-1])
        try:
            # Step 5: two web masters and two workers, as their units run them.
            for port in site.web_ports:
                (root / "run" / f"newsdesk-web-{port}").mkdir(mode=0o700)
                site.run(*exec_start("newsdesk-web@.service", root=root, key="ExecStartPre"))
                unit = exec_start("newsdesk-web@.service", instance=str(port), root=root)
                site.start(f"web-{port}", unit, port=port)
            for name in ("1", "2"):
                unit = exec_start("newsdesk-worker@.service", instance=name, root=root)
                site.start(f"worker-{name}", unit)
            # Step 6: nginx in front of both masters.
            prefix = root / "nginx"
            prefix.mkdir()
            config = nginx_config(
                prefix=prefix,
                port=site.nginx_port,
                upstream_ports=site.web_ports,
                var=root / "var",
            )
            with nginx_serving(config, prefix=prefix, port=site.nginx_port):
                yield site
        finally:
            site.stop()


# --- readers -------------------------------------------------------------------------------
def call(port: int, method: str, path: str, *, source: str = "127.0.0.1", body=None, headers=None):
    """One request to 127.0.0.1:``port`` from the local address ``source``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def comment(tier: Tier, *, source: str, text: str) -> tuple[int, dict]:
    status, _, body = call(
        tier.nginx_port,
        "POST",
        f"/api/threads/{tier.article_id}/comments",
        source=source,
        body=json.dumps({"body": text, "name": f"Reader at {source}"}).encode(),
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-Guest-Token": uuid.uuid4().hex,
            # Proxies in between would say https; nginx's own $scheme is http here.
            "X-Forwarded-Proto": "https",
        },
    )
    try:
        return status, json.loads(body or b"{}")
    except ValueError:
        return status, {"error": body.decode(errors="replace")[:300]}


def note(n: int) -> str:
    return f"Ferry note {uuid.uuid4().hex[:8]}: the early crossing moves to 6:40 in week {n}."


def stored_addresses(tier: Tier, ids: list[int]) -> dict[int, tuple[str, str]]:
    out = tier.shell(
        "import json\n"
        "from newsdesk.discussion.models import Comment\n"
        f"rows = Comment.objects.filter(pk__in={ids!r})\n"
        "print(json.dumps({c.pk: [c.ip_address, c.status_reason] for c in rows}))\n"
    )
    return {int(k): tuple(v) for k, v in json.loads(out.strip().splitlines()[-1]).items()}


# --- the tier, from the outside ------------------------------------------------------------
def test_readers_behind_the_kits_nginx_are_counted_apart(tier):
    sources = [f"127.0.0.{n}" for n in range(11, 23)]
    answers = [comment(tier, source=source, text=note(n)) for n, source in enumerate(sources)]
    assert [status for status, _ in answers] == [201] * 12, (
        answers,
        tier.log(f"web-{tier.web_ports[0]}"),
    )
    ids = [answer["comment"]["id"] for _, answer in answers]
    rows = stored_addresses(tier, ids)
    assert [rows[i][0] for i in ids] == sources, "each comment keeps its own reader's address"
    assert not [i for i in ids if "comments in " in rows[i][1]], "twelve readers are no flood"


def test_health_and_readiness_answer_through_nginx(tier):
    status, headers, body = call(tier.nginx_port, "GET", "/healthz")
    assert status == 200, body
    status, headers, body = call(tier.nginx_port, "GET", "/readyz")
    assert status == 200, body
    assert "no-store" in headers.get("Cache-Control", "")
    checks = json.loads(body)
    assert checks, body


def test_metrics_are_read_by_a_local_scraper_and_refused_to_readers(tier):
    comment(tier, source="127.0.0.60", text=note(60))
    status, _, body = call(tier.web_ports[0], "GET", "/metrics")
    assert status == 200, body[:500]
    metrics = body.decode()
    # Requests counted by this master, the comments by verdict, the RQ queue's depth.
    assert re.search(r"^newsdesk_http_requests_total\{.*\} [1-9]", metrics, re.M), metrics
    assert re.search(r'^newsdesk_comments\{status="published"\} [1-9]', metrics, re.M), metrics
    assert re.search(r"^newsdesk_task_queue_depth\{.*\} \d", metrics, re.M), metrics
    status, _, _ = call(tier.nginx_port, "GET", "/metrics", source="127.0.0.61")
    assert status in (403, 404), "readers do not read the metrics through nginx"


def test_doctor_is_clean_once_a_backup_exists(tier):
    # The backup unit's own line, as the nightly timer runs it.
    tier.run(*exec_start("newsdesk-backup.service", root=tier.root))
    dumps = sorted((tier.root / "backups").glob("newsdesk-*.dump"))
    assert len(dumps) == 1 and oct(dumps[0].stat().st_mode & 0o777) == "0o600"
    doctor = tier.manage("doctor", check=False)
    print(doctor.stdout)  # for `pytest -s`: what a sysadmin reads
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    lines = doctor.stdout.splitlines()
    assert not [line for line in lines if line.startswith(("FAIL", "WARN"))], doctor.stdout
    assert any(line.startswith("OK") and "backup" in line for line in lines), doctor.stdout


def test_an_upgrade_backs_up_and_its_backup_restores_the_site(tier):
    upgrade = tier.manage("upgrade", check=False, timeout=900)
    print(upgrade.stdout)
    assert upgrade.returncode == 0, upgrade.stdout + upgrade.stderr
    backup = re.search(r"(\S+\.dump)", upgrade.stdout)
    assert backup, upgrade.stdout
    # Written after the upgrade: the restore takes it away again.
    status, answer = comment(tier, source="127.0.0.70", text=note(70))
    assert status == 201
    after = answer["comment"]["id"]
    restore = tier.manage(
        "restore_database", "--noinput", backup.group(1), check=False, timeout=900
    )
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert stored_addresses(tier, [after]) == {}
    status, _, body = call(tier.nginx_port, "GET", "/readyz")
    assert status == 200, body
    status, _ = comment(tier, source="127.0.0.71", text=note(71))
    assert status == 201, "the restored site takes comments"


def test_the_env_files_mail_settings_reach_the_mail_server(tier):
    tier.manage("sendtestemail", "chief@example.org")
    sent = [m for m in tier.smtp.messages() if "To: chief@example.org" in m]
    assert sent and "Test email from" in sent[0]
