"""Helpers of the deploy kit's tests: a Redis started from ``deploy/redis/newsdesk.conf``, a
throwaway PostgreSQL cluster standing in for Debian's, and ``deploy/postgresql/create.sql``
run in it as docs/production.md runs it."""

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.ports import free_port

DEPLOY = Path(settings.BASE_DIR) / "deploy"
REDIS_SERVER = shutil.which("redis-server")
CREATE_SQL = DEPLOY / "postgresql" / "create.sql"


def _pg_bin() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


PG_BIN = _pg_bin()
PSQL = shutil.which("psql")
# Why PostgreSQL tests cannot run here, or None.
PG_MISSING = (
    "PostgreSQL's server and psql are not installed (Debian: postgresql)"
    if PG_BIN is None or PSQL is None
    else None
)


@contextmanager
def pg_cluster() -> Iterator[tuple[int, Path]]:
    """A PostgreSQL cluster of its own (initdb, a free port, its sockets in a new folder),
    run as the postgres user when the tests run as root, as on Debian; yields (port, socket
    folder). Local connections are trusted, TCP ones need a password (scram-sha-256)."""
    assert PG_BIN is not None, PG_MISSING
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root: the cluster is the postgres user's, as on Debian.
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run PostgreSQL")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = folder / "data"
    subprocess.run(
        [
            *run_as,
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *run_as,
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(folder / "log"),
            "-w",
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield port, folder
    finally:
        subprocess.run(
            [*run_as, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def psql(port: int, *args: str, host: str, user: str, password: str = "", database="postgres"):
    """psql run with ``args`` against the cluster, with no PG* variable of the caller's."""
    assert PSQL is not None, PG_MISSING
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if password:
        env["PGPASSWORD"] = password
    return subprocess.run(
        [PSQL, "-X", "-h", host, "-p", str(port), "-U", user, "-d", database, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def site_role_create(port: int, sockets: Path) -> str:
    """create.sql run by the superuser exactly as the guide runs it (``psql -v
    password=... -f``); the new role's password."""
    password = secrets.token_hex(24)
    created = psql(
        port,
        "-v",
        "ON_ERROR_STOP=1",
        "-v",
        f"password={password}",
        "-f",
        str(CREATE_SQL),
        host=str(sockets),
        user="postgres",
    )
    assert created.returncode == 0, created.stdout + created.stderr
    return password


@contextmanager
def kit_redis(folder: Path) -> Iterator[str]:
    """A Redis run with the kit's configuration, on a free port, its files in ``folder``;
    yields its URL. Only the port and the folder differ from the shipped file."""
    assert REDIS_SERVER, "redis-server is not installed"
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            str(DEPLOY / "redis" / "newsdesk.conf"),
            "--port",
            str(port),
            "--dir",
            str(folder),
            "--bind",
            "127.0.0.1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stdout.read().decode()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=30)
