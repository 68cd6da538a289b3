"""``deploy/postgresql/create.sql`` run as the guide says, on a PostgreSQL of its own.

A throwaway cluster (``initdb``, a free port, sockets in a folder of this run) stands in for
Debian's; the file is run with ``psql -v password=... -f`` by the superuser, exactly as
docs/production.md shows, and the role it creates is then tried: it signs in with its
password, owns what migrations need, and can do nothing else; another role cannot even
connect to its database.
"""

import os
import re
import secrets
import shutil
import stat
import subprocess
import sys

import pytest
from django.conf import settings

from tests.site.deploy_kit import PG_MISSING, pg_cluster, psql, site_role_create

pytestmark = pytest.mark.skipif(PG_MISSING is not None, reason=PG_MISSING or "")


@pytest.fixture(scope="module")
def cluster():
    """(port, socket folder): a PostgreSQL started for this module."""
    with pg_cluster() as started:
        yield started


@pytest.fixture(scope="module")
def site_role(cluster) -> str:
    """create.sql run once by the superuser, as the guide runs it; the role's password."""
    return site_role_create(*cluster)


def test_create_sql_makes_a_least_privileged_owner_of_one_database(cluster, site_role):
    port, sockets = cluster
    password = site_role

    def as_site(sql: str, database: str = "newsdesk"):
        return psql(
            port,
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
            host="127.0.0.1",
            user="newsdesk",
            password=password,
            database=database,
        )

    # What Django's migrations and the site do: create, alter, write, read.
    work = as_site(
        "CREATE TABLE t (id serial PRIMARY KEY, body text); ALTER TABLE t ADD COLUMN n int;"
        "INSERT INTO t (body) VALUES ('x'); SELECT count(*) FROM t; DROP TABLE t;"
    )
    assert work.returncode == 0, work.stderr
    # A wrong password is refused (the password was really set).
    wrong = psql(
        port,
        "-c",
        "SELECT 1",
        host="127.0.0.1",
        user="newsdesk",
        password="wrong",
        database="newsdesk",
    )
    assert wrong.returncode != 0
    # Nothing beyond its database.
    for sql in ("CREATE DATABASE other", "CREATE ROLE other", "ALTER ROLE newsdesk SUPERUSER"):
        refused = as_site(sql)
        assert refused.returncode != 0, sql
        assert re.search(r"permission denied|must be superuser", refused.stderr), refused.stderr
    attributes = psql(
        port,
        "-At",
        "-c",
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
        "FROM pg_roles WHERE rolname = 'newsdesk'",
        host=str(sockets),
        user="postgres",
    )
    assert attributes.stdout.strip() == "f|f|f|f|f"

    # Another login role on the same server cannot connect to the site's database.
    other_password = secrets.token_hex(12)
    psql(
        port,
        "-c",
        f"CREATE ROLE intruder LOGIN PASSWORD '{other_password}'",
        host=str(sockets),
        user="postgres",
    )
    intruder = psql(
        port,
        "-c",
        "SELECT 1",
        host="127.0.0.1",
        user="intruder",
        password=other_password,
        database="newsdesk",
    )
    assert intruder.returncode != 0 and "permission denied" in intruder.stderr


def test_the_role_backs_up_its_database_into_a_private_file(cluster, site_role, tmp_path):
    """``manage.py backup_database`` as the site runs it (its DATABASE_URL, the kit's role):
    pg_dump works with the role's own rights and the archive is 0600 in a 0700 folder."""
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed (Debian: postgresql-client)")
    port, _sockets = cluster
    destination = tmp_path / "backups" / "newsdesk.dump"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="newsdesk.settings.dev",
        NEWSDESK_DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=f"postgres://newsdesk:{site_role}@127.0.0.1:{port}/newsdesk",
    )
    previous = os.umask(0o022)
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "backup_database", str(destination)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pg_dump custom archive" in result.stdout
    assert stat.S_IMODE(destination.stat().st_mode) == 0o600
    assert stat.S_IMODE(destination.parent.stat().st_mode) == 0o700
