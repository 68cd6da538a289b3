"""Backups of the site's database, taken and restored while the site may be running.

SQLite (the laptop tier): SQLite's online backup API copies the database from inside one read
transaction, so the copy is a consistent snapshot of one moment even while readers post
comments; in WAL mode those writers go on during the copy. The copy is checked with
``PRAGMA integrity_check`` and must look like a Newsdesk database before it is kept.

PostgreSQL (the newsroom tier): ``pg_dump --format=custom`` and ``pg_restore --clean``, the
tools PostgreSQL documents for this, run with the site's connection settings.

A backup holds password hashes and e-mail addresses: every file written here is 0600 (the
site's user alone) from its first byte, whatever the umask, and a folder made for it is 0700.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# An app whose migrations every Newsdesk database has applied: how a restore tells a Newsdesk
# database from any other SQLite file.
NEWSDESK_MARKER_APP = "articles"
SQLITE_TIMEOUT_SECONDS = 30
BACKUP_FILE_MODE = 0o600
BACKUP_FOLDER_MODE = 0o700


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why, for an operator."""


@dataclass(frozen=True)
class BackupReport:
    """What a backup or restore did: the file written and its size in bytes."""

    path: Path
    size: int
    safety_copy: Path | None = None
    # The folder it was written into lets other users in (made by the operator, left as is).
    open_folder: bool = False


def sqlite_check(*, path: Path) -> None:
    """Raise ``BackupError`` unless ``path`` is an intact SQLite file of a Newsdesk database."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    try:
        # Read-only, so checking a file never changes it (nor creates one).
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"{path} cannot be opened as an SQLite database: {error}.") from error
    try:
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a usable SQLite database: {error}.") from error
        problems = [row[0] for row in rows if row[0] != "ok"]
        if problems:
            summary = "; ".join(problems[:5])
            raise BackupError(f"{path} failed the integrity check: {summary}")
        try:
            applied = conn.execute(
                "SELECT COUNT(*) FROM django_migrations WHERE app = ?", (NEWSDESK_MARKER_APP,)
            ).fetchone()[0]
        except sqlite3.DatabaseError:
            applied = 0
        if not applied:
            raise BackupError(f"{path} is an SQLite database but not a Newsdesk database.")
    finally:
        conn.close()


def private_folder(*, path: Path) -> bool:
    """Make the folder ``path`` (and its missing parents) 0700; an existing folder is left as
    the operator made it. Returns True when the folder is open to other users, for a warning.
    """
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        folder.mkdir(exist_ok=True)
        # chmod, not mkdir's mode: mkdir's is filtered by the umask.
        folder.chmod(BACKUP_FOLDER_MODE)
    return bool(path.stat().st_mode & 0o077)


def private_file(*, path: Path) -> None:
    """Create ``path`` empty and 0600 (replacing any leftover), before anything is written into
    it: SQLite and pg_dump keep the mode of a file that exists, and SQLite gives its journal
    the database file's mode."""
    Path(path).unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_FILE_MODE)
    os.fchmod(descriptor, BACKUP_FILE_MODE)  # the umask may have taken bits off
    os.close(descriptor)


def _sqlite_copy(*, source: Path, destination: Path) -> None:
    """Copy ``source`` into ``destination`` with the online backup API, in one step.

    One step (``pages=-1``) reads the whole source inside one read transaction: a consistent
    snapshot, and in WAL mode writers are not held up. A copy in several steps would restart
    each time another connection wrote, and might never finish on a busy site.
    """
    src = sqlite3.connect(source, timeout=SQLITE_TIMEOUT_SECONDS)
    try:
        dst = sqlite3.connect(destination, timeout=SQLITE_TIMEOUT_SECONDS)
        try:
            src.backup(dst, pages=-1)
        finally:
            dst.close()
    finally:
        src.close()


def sqlite_backup(*, source: Path, destination: Path) -> BackupReport:
    """Snapshot the SQLite database ``source`` into the file ``destination``.

    The copy is written beside ``destination`` and renamed into place only once it passed the
    integrity check, so ``destination`` is never a half-written or broken backup.
    """
    source, destination = Path(source), Path(destination)
    if not source.is_file():
        raise BackupError(f"The database {source} does not exist.")
    if destination.resolve() == source.resolve():
        raise BackupError("The backup cannot overwrite the database itself.")
    open_folder = private_folder(path=destination.parent)
    partial = destination.with_name(f".{destination.name}.partial")
    private_file(path=partial)
    try:
        try:
            _sqlite_copy(source=source, destination=partial)
            _sqlite_leave_wal(path=partial)
        except sqlite3.Error as error:
            raise BackupError(f"The backup of {source} failed: {error}.") from error
        sqlite_check(path=partial)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(path=destination, size=destination.stat().st_size, open_folder=open_folder)


def _sqlite_leave_wal(*, path: Path) -> None:
    """A backup file stands alone: rollback journal mode, so no -wal file belongs with it."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def sqlite_restore(*, backup: Path, target: Path) -> BackupReport:
    """Replace the contents of the SQLite database ``target`` with the backup ``backup``.

    Refuses a backup that fails the integrity check or is not a Newsdesk database, before
    anything is touched. Then a safety copy of the current database is taken (its path is in
    the report), and the backup is copied in with the online backup API: it writes under
    SQLite's own lock, so a process that still has the database open sees either the old
    contents or the restored ones, never a mixture.
    """
    backup, target = Path(backup), Path(target)
    sqlite_check(path=backup)
    safety_copy = None
    if target.exists():
        stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S%f")
        safety_copy = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
        sqlite_backup(source=target, destination=safety_copy)
    src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=SQLITE_TIMEOUT_SECONDS)
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as error:
            raise BackupError(f"The restore into {target} failed: {error}.") from error
        finally:
            dst.close()
    finally:
        src.close()
    sqlite_check(path=target)
    return BackupReport(path=target, size=target.stat().st_size, safety_copy=safety_copy)


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_environment(settings_dict: dict) -> dict:
    """libpq's environment variables for the site's database: no password on a command line."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found on PATH. Install PostgreSQL's client tools (Debian: "
            f"apt-get install postgresql-client) in the same major version as the server."
        )
    return path


def _pg_run(arguments: list[str], *, settings_dict: dict) -> None:
    result = subprocess.run(
        arguments, env=_pg_environment(settings_dict), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()}")


def postgresql_backup_command(*, destination: Path) -> list[str]:
    """The documented PostgreSQL backup: one compressed archive ``pg_restore`` reads back."""
    return [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(destination)]


def postgresql_restore_command(*, backup: Path, settings_dict: dict) -> list[str]:
    """The documented PostgreSQL restore: drop what the archive holds, then recreate it."""
    return [
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--dbname",
        str(settings_dict["NAME"]),
        str(backup),
    ]


def postgresql_backup(*, settings_dict: dict, destination: Path) -> BackupReport:
    """Dump the site's PostgreSQL database to ``destination`` (custom format), atomically."""
    destination = Path(destination)
    open_folder = private_folder(path=destination.parent)
    partial = destination.with_name(f".{destination.name}.partial")
    private_file(path=partial)
    try:
        _pg_run(postgresql_backup_command(destination=partial), settings_dict=settings_dict)
        # pg_restore --list reads the whole table of contents: a truncated archive fails.
        _pg_run([_pg_tool("pg_restore"), "--list", str(partial)], settings_dict=settings_dict)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(path=destination, size=destination.stat().st_size, open_folder=open_folder)


def postgresql_restore(*, settings_dict: dict, backup: Path) -> BackupReport:
    """Restore a ``pg_dump --format=custom`` archive into the site's database, in one
    transaction (a failed restore leaves the database as it was), after dumping the current
    database beside the backup as a safety copy."""
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"{backup} does not exist or is not a file.")
    listing = subprocess.run(
        [_pg_tool("pg_restore"), "--list", str(backup)], capture_output=True, text=True
    )
    if listing.returncode != 0:
        raise BackupError(f"{backup} is not a readable pg_dump archive: {listing.stderr.strip()}")
    if "articles_articlepage" not in listing.stdout:
        raise BackupError(f"{backup} is a pg_dump archive but not of a Newsdesk database.")
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S%f")
    safety_copy = backup.with_name(f"{settings_dict['NAME']}.before-restore-{stamp}.dump")
    postgresql_backup(settings_dict=settings_dict, destination=safety_copy)
    _pg_run(
        postgresql_restore_command(backup=backup, settings_dict=settings_dict),
        settings_dict=settings_dict,
    )
    return BackupReport(path=backup, size=backup.stat().st_size, safety_copy=safety_copy)


# --- After a restore ----------------------------------------------------------------------


def _rq_stale_jobs_remove() -> int:
    """Remove every job RQ holds (queued, taken, scheduled, deferred, started, finished,
    failed, canceled); return how many. They were queued against the database as it was
    before the restore: their rows are gone or, worse, their ids now name other rows (a
    reply e-mail would go to the wrong reader). What the restored database still owes is
    in its outbox (``core.TaskOutbox``), which the worker hands to RQ again at start."""
    import django_rq
    from django.conf import settings
    from rq.job import Job

    removed = 0
    for name in getattr(settings, "RQ_QUEUES", {}):
        queue = django_rq.get_queue(name)
        registries = [
            queue.scheduled_job_registry,
            queue.deferred_job_registry,
            queue.started_job_registry,
            queue.finished_job_registry,
            queue.failed_job_registry,
            queue.canceled_job_registry,
        ]
        job_ids: set[str | bytes] = set(queue.get_job_ids())
        job_ids.update(queue.connection.lrange(queue.intermediate_queue_key, 0, -1))
        for registry in registries:
            job_ids.update(registry.get_job_ids(cleanup=False))
        with queue.connection.pipeline() as pipeline:
            for job_id in job_ids:
                job_id = job_id.decode() if isinstance(job_id, bytes) else job_id
                pipeline.delete(Job.key_for(job_id), f"{Job.key_for(job_id)}:dependents")
            pipeline.delete(queue.key, queue.intermediate_queue_key)
            pipeline.delete(*(registry.key for registry in registries))
            pipeline.execute()
        removed += len(job_ids)
    return removed


def stale_state_clear() -> list[str]:
    """Empty what outlives a restore outside the database: the shared cache (pages, the
    campaign bar's totals, rate limits, the processes' generation tokens) and, on RQ, the
    task queue. Returns one line per thing done, for the operator.

    Without it Redis kept serving the old campaign totals and cached pages for up to an hour
    and RQ ran jobs queued for rows the restore replaced. On the database queue the tasks are
    rows of the restored database itself, so they are already as they were at the backup.
    """
    from django.conf import settings
    from django.core.cache import caches

    lines = []
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.startswith("django_tasks_rq"):
        removed = _rq_stale_jobs_remove()
        lines.append(
            f"Task queue (RQ) emptied: {removed} job(s) queued before the restore removed; "
            "the worker queues what the restored database still owes at its start."
        )
    else:
        lines.append("Task queue: its tasks are in the database and were restored with it.")
    for alias in settings.CACHES:
        caches[alias].clear()
    lines.append(
        "Cache emptied (pages, campaign totals, rate limits): readers get pages rendered "
        "from the restored database. A proxy's copies (nginx, a CDN) expire within their "
        "max-age."
    )
    return lines
