"""``manage.py upgrade`` and ``manage.py rollback`` across a real new migration.

The site's database is a database of the test's own: on SQLite a copy of the test database,
on the PostgreSQL tier (``DATABASE_URL``) a new database beside the test database, migrated
from scratch. The test-only app ``newsdesk.testing.throwaway`` is at release 1
(``settings_v1``: one migration) and release 2 (``settings_v2``: a migration more, which adds
a column and rewrites the rows). Each step is run as an operator would, by ``manage.py`` in a
process of its own: upgrade under release 2, rollback under release 1.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from newsdesk.core import backups

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.beside_browser]

ROWS = [(1, "first note"), (2, "second note, with a comma"), (3, "third")]


@dataclass
class Site:
    """A data folder, the environment that points ``manage.py`` at the site's database, a
    way to read that database, and the backup files' suffix."""

    data_dir: Path
    env: dict[str, str]
    query: Callable[[str], list[tuple]]
    suffix: str

    def manage(self, *args: str, release: int, **env: str) -> subprocess.CompletedProcess:
        environment = {
            **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "TASKS_BACKEND"}},
            "DJANGO_SETTINGS_MODULE": f"newsdesk.testing.settings_v{release}",
            "NEWSDESK_DATA_DIR": str(self.data_dir),
            "BACKUP_DIR": str(self.data_dir / "backups"),
            "UPGRADE_RELOAD_COMMAND": "",
            **self.env,
            **env,
        }
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=900,
        )

    def rows(self) -> list[tuple]:
        return [tuple(row) for row in self.query("SELECT id, text FROM throwaway_note ORDER BY id")]

    def columns(self) -> list[str]:
        return [
            row[0]
            for row in self.query(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'throwaway_note' ORDER BY ordinal_position"
                if self.suffix == ".dump"
                else "SELECT name FROM pragma_table_info('throwaway_note')"
            )
        ]

    def throwaway_migrations(self) -> list[str]:
        return [
            row[0]
            for row in self.query(
                "SELECT name FROM django_migrations WHERE app = 'throwaway' ORDER BY id"
            )
        ]

    def backup(self) -> Path:
        (path,) = (self.data_dir / "backups").glob(f"newsdesk-pre-upgrade-*{self.suffix}")
        return path


def _sqlite_site(tmp_path: Path) -> Site:
    database = tmp_path / "db.sqlite3"
    backups.sqlite_backup(source=Path(connection.settings_dict["NAME"]), destination=database)

    def query(sql: str) -> list[tuple]:
        conn = sqlite3.connect(database)
        try:
            rows = conn.execute(sql).fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()

    env = {"DATABASE_URL": f"sqlite:///{database}"}
    return Site(data_dir=tmp_path, env=env, query=query, suffix=".sqlite3")


@pytest.fixture
def site(tmp_path) -> Iterator[Site]:
    """A site whose database has the throwaway app at release 1 and three rows in its table."""
    if connection.vendor == "sqlite":
        made = _sqlite_site(tmp_path)
        migrate = ("migrate", "throwaway")
        drop = None
    elif connection.vendor == "postgresql":
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.skip("pg_dump and pg_restore are not installed (Debian: postgresql-client)")
        made, drop = _postgresql_site(tmp_path)
        migrate = ("migrate",)
    else:
        pytest.skip(f"no backups of {connection.vendor}")
    try:
        result = made.manage(*migrate, release=1)
        assert result.returncode == 0, result.stderr
        values = ", ".join(f"({number}, '{text}')" for number, text in ROWS)
        made.query(f"INSERT INTO throwaway_note (id, text) VALUES {values}")  # noqa: S608
        yield made
    finally:
        if drop:
            drop()


def _postgresql_site(tmp_path: Path) -> tuple[Site, Callable[[], None]]:
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_upgrade"
    server = {
        "host": params.get("HOST") or "localhost",
        "port": params.get("PORT") or 5432,
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
    }

    def admin(sql: str) -> None:
        with psycopg.connect(dbname=params["NAME"], autocommit=True, **server) as conn:
            conn.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}"')
    admin(f'CREATE DATABASE "{name}"')

    def query(sql: str) -> list[tuple]:
        with psycopg.connect(dbname=name, autocommit=True, **server) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []

    user = quote(str(server["user"] or ""), safe="")
    password = quote(str(server["password"] or ""), safe="")
    credentials = f"{user}:{password}@" if user else ""
    url = f"postgres://{credentials}{server['host']}:{server['port']}/{name}"
    made = Site(data_dir=tmp_path, env={"DATABASE_URL": url}, query=query, suffix=".dump")
    return made, lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_upgrade_migrates_and_rollback_restores_the_exact_rows(site):
    assert site.rows() == ROWS

    doctor = site.manage("doctor", release=2)
    assert doctor.returncode == 1
    assert "FAIL migrations  1 migration(s) not applied: throwaway.0002_note_shout" in (
        doctor.stdout
    )

    dry = site.manage("upgrade", "--dry-run", release=2)
    assert dry.returncode == 0, dry.stderr
    assert "throwaway.0002_note_shout" in dry.stdout
    assert site.columns() == ["id", "text"]
    assert not (site.data_dir / "backups").exists()

    upgraded = site.manage("upgrade", release=2)
    assert upgraded.returncode == 0, upgraded.stderr + upgraded.stdout
    out = upgraded.stdout
    # Backed up before migrating; the backup's path and the rollback command printed.
    assert out.index("Backup: ") < out.index("2/6 Migrating") < out.index("5/6 Reloading")
    backup = site.backup()
    assert f"rollback --backup {backup}" in out
    assert "newsdesk.pagecache.wagtail_hooks.site_upgraded: done" in out
    assert "UPGRADE_RELOAD_COMMAND is not set" in out
    assert "OK   migrations" in out  # doctor ran after the migration
    assert site.throwaway_migrations() == ["0001_initial", "0002_note_shout"]
    assert site.query("SELECT id, text, shout FROM throwaway_note ORDER BY id") == [
        (1, "v2: first note", "FIRST NOTE"),
        (2, "v2: second note, with a comma", "SECOND NOTE, WITH A COMMA"),
        (3, "v2: third", "THIRD"),
    ]

    # The previous release's code sees a database a newer release migrated.
    doctor = site.manage("doctor", release=1)
    assert "this code does not know (throwaway.0002_note_shout)" in doctor.stdout

    rolled = site.manage("rollback", "--backup", str(backup), "--noinput", release=1)
    assert rolled.returncode == 0, rolled.stderr + rolled.stdout
    assert "agree on their migrations" in rolled.stdout
    assert "Cache emptied" in rolled.stdout
    assert site.columns() == ["id", "text"]
    assert site.rows() == ROWS
    assert site.throwaway_migrations() == ["0001_initial"]


def test_rollback_under_the_new_code_says_to_check_out_the_previous_release(site):
    marker = site.data_dir / "reloaded"
    upgraded = site.manage("upgrade", release=2, UPGRADE_RELOAD_COMMAND=f"echo reloaded > {marker}")
    assert upgraded.returncode == 0, upgraded.stderr
    assert marker.read_text() == "reloaded\n"
    assert f"echo reloaded > {marker}: done" in upgraded.stdout
    rolled = site.manage("rollback", "--backup", str(site.backup()), "--noinput", release=2)
    assert rolled.returncode == 0, rolled.stderr
    assert "This code has 1 migration(s) the restored database lacks" in rolled.stdout
    assert "(throwaway.0002_note_shout)" in rolled.stdout


def test_upgrade_stops_before_migrating_when_the_backup_fails(site):
    blocker = site.data_dir / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    result = site.manage("upgrade", release=2, BACKUP_DIR=str(blocker / "backups"))
    assert result.returncode == 1
    assert "The backup failed" in result.stderr and "Nothing was migrated" in result.stderr
    assert "Traceback" not in result.stderr
    assert "2/6 Migrating" not in result.stdout
    assert site.throwaway_migrations() == ["0001_initial"]
    assert site.rows() == ROWS
