"""Backups: consistent snapshots while writers go on, checked restores, refused bad files."""

import os
import sqlite3
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from newsdesk.core import backups

pytestmark = pytest.mark.django_db


def needs_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite backups; the PostgreSQL run tests pg_dump below")


@pytest.fixture
def site_db(tmp_path) -> Path:
    """A migrated Newsdesk SQLite database of its own (in WAL mode, as the site runs it),
    copied from the test database, so other connections may write to it freely."""
    needs_sqlite()
    path = tmp_path / "db.sqlite3"
    backups.sqlite_backup(source=Path(connection.settings_dict["NAME"]), destination=path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("DELETE FROM django_session")
    conn.commit()
    conn.close()
    return path


def session_keys(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT session_key FROM django_session")}
    finally:
        conn.close()


class PairWriter(threading.Thread):
    """Keeps committing two rows per transaction, as a comment and its thread counter would be
    written together; a consistent snapshot holds both rows of a pair or neither."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.committed = 0
        self.progress = threading.Condition()
        self.error = None

    def run(self):
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            while not self.stop.is_set():
                n = self.committed
                conn.execute("BEGIN IMMEDIATE")
                for part in "ab":
                    conn.execute(
                        "INSERT INTO django_session (session_key, session_data, expire_date)"
                        " VALUES (?, 'x', '2100-01-01 00:00:00')",
                        (f"pair-{n:06d}-{part}",),
                    )
                conn.execute("COMMIT")
                with self.progress:
                    self.committed += 1
                    self.progress.notify_all()
        except Exception as error:  # surfaced by the test
            self.error = error
        finally:
            conn.close()

    def wait_for(self, count: int):
        with self.progress:
            assert self.progress.wait_for(lambda: self.committed >= count or self.error, 30)


def assert_whole_pairs(keys: set[str]) -> int:
    numbers_a = sorted(int(k.split("-")[1]) for k in keys if k.endswith("-a"))
    numbers_b = sorted(int(k.split("-")[1]) for k in keys if k.endswith("-b"))
    assert numbers_a == numbers_b, "a transaction was half copied"
    assert numbers_a == list(range(len(numbers_a))), "a committed transaction was skipped"
    return len(numbers_a)


def test_backups_taken_while_writers_commit_are_consistent_and_restorable(site_db, tmp_path):
    writer = PairWriter(site_db)
    writer.start()
    snapshots = []
    try:
        for i in range(3):
            writer.wait_for(50 * (i + 1))
            report = backups.sqlite_backup(source=site_db, destination=tmp_path / f"b{i}.sqlite3")
            snapshots.append(report.path)
    finally:
        writer.stop.set()
        writer.join()
    assert writer.error is None
    pairs = [assert_whole_pairs(session_keys(path)) for path in snapshots]
    assert pairs[0] >= 50 and pairs[0] <= pairs[1] <= pairs[2]
    # The writer was never stopped by the backups: it kept committing after each of them.
    assert writer.committed > pairs[2]
    for path in snapshots:
        # A backup stands alone: no -wal file belongs with it.
        assert not Path(f"{path}-wal").exists()

    report = backups.sqlite_restore(backup=snapshots[0], target=site_db)
    assert assert_whole_pairs(session_keys(site_db)) == pairs[0]
    # The safety copy holds everything the writer committed before the restore.
    assert assert_whole_pairs(session_keys(report.safety_copy)) == writer.committed
    conn = sqlite3.connect(site_db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def corrupt_copy(good: Path, path: Path) -> Path:
    data = bytearray(good.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    # Scribble over the middle of the file, leaving the header readable.
    middle = (len(data) // page_size // 2) * page_size
    data[middle : middle + 3 * page_size] = os.urandom(3 * page_size)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("kind", ["garbage", "scribbled", "foreign", "missing"])
def test_restore_refuses_a_bad_file_and_changes_nothing(site_db, tmp_path, kind):
    good = backups.sqlite_backup(source=site_db, destination=tmp_path / "good.sqlite3").path
    bad = tmp_path / f"{kind}.sqlite3"
    if kind == "garbage":
        bad.write_bytes(os.urandom(64 * 1024))
    elif kind == "scribbled":
        corrupt_copy(good, bad)
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()
        conn.close()
    conn = sqlite3.connect(site_db)
    conn.execute("INSERT INTO django_session VALUES ('still-here', 'x', '2100-01-01 00:00:00')")
    conn.commit()
    conn.close()

    with pytest.raises(backups.BackupError):
        backups.sqlite_restore(backup=bad, target=site_db)

    assert session_keys(site_db) == {"still-here"}
    assert not list(tmp_path.glob("*before-restore*")), "no safety copy needed: nothing done"


def test_backup_refuses_to_keep_a_broken_copy(tmp_path):
    needs_sqlite()
    source = tmp_path / "broken.sqlite3"
    source.write_bytes(os.urandom(8192))
    destination = tmp_path / "backup.sqlite3"
    with pytest.raises(backups.BackupError):
        backups.sqlite_backup(source=source, destination=destination)
    assert not destination.exists()
    assert not list(tmp_path.glob(".*partial"))


def manage(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.dev",
        "NEWSDESK_DATA_DIR": str(data_dir),
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_backup_command_snapshots_the_sites_database(tmp_path):
    needs_sqlite()
    result = StringIO()
    call_command("backup_database", str(tmp_path / "nightly.sqlite3"), stdout=result)
    assert "integrity check ok" in result.getvalue()
    backups.sqlite_check(path=tmp_path / "nightly.sqlite3")


def test_restore_command_refuses_a_bad_file_before_touching_anything(tmp_path):
    needs_sqlite()
    refused = tmp_path / "refused.sqlite3"
    refused.write_bytes(b"not a database" * 100)
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore_database", str(refused), "--noinput")
    assert not list(Path(connection.settings_dict["NAME"]).parent.glob("*before-restore*"))


def test_restore_command_puts_the_backup_back_in_a_sites_database(site_db, tmp_path):
    backup = backups.sqlite_backup(source=site_db, destination=tmp_path / "b.sqlite3").path
    conn = sqlite3.connect(site_db)
    conn.execute("INSERT INTO django_session VALUES ('after-backup', 'x', '2100-01-01')")
    conn.commit()
    conn.close()

    result = manage("restore_database", str(backup), "--noinput", data_dir=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Stop the site" in result.stdout
    assert session_keys(site_db) == set()
    (safety_copy,) = tmp_path.glob("db.before-restore-*.sqlite3")
    assert session_keys(safety_copy) == {"after-backup"}


def test_postgresql_backup_is_a_pg_dump_archive(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("runs on the PostgreSQL tier (DATABASE_URL)")
    path = tmp_path / "site.dump"
    call_command("backup_database", str(path))
    listing = subprocess.run(["pg_restore", "--list", str(path)], capture_output=True, text=True)
    assert listing.returncode == 0
    assert "articles_articlepage" in listing.stdout


def test_postgresql_backup_without_client_tools_says_so(tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("runs on the PostgreSQL tier (DATABASE_URL)")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found on PATH"):
        call_command("backup_database", str(tmp_path / "site.dump"))
    assert not (tmp_path / "site.dump").exists()
