"""``manage.py upgrade`` and ``manage.py rollback``: the steps, each a function of its own.

An upgrade runs under the new release's code: it shows the migrations to apply, backs the
database up into ``BACKUP_DIR`` (the existing backup code: ``core/backups.py``) and stops there
if that fails, migrates, collects static files when a manifest storage serves them, lets the
apps outdate what they cached from the previous release (``SITE_UPGRADED``: the page cache
outdates every page), and reloads the services (``UPGRADE_RELOAD_COMMAND``, or says what to
run). A rollback runs under the previous release's code and puts the pre-upgrade backup back
(``restore_database``: a safety copy first, then the cache and RQ's queue emptied).
"""

import shlex
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from wagtail import hooks

from newsdesk.core import backups
from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.core.conf import setting

# What the deploy kit's units are reloaded with (docs/production.md prints it for operators).
DEPLOY_KIT_RELOAD = "systemctl reload 'newsdesk-web@*' && systemctl restart 'newsdesk-worker@*'"


@dataclass(frozen=True)
class ReloadOutcome:
    """What the reload step did: ``ran`` is False when no command is configured (the operator
    must run one); ``returncode`` and ``output`` are the command's."""

    command: str
    ran: bool
    returncode: int = 0
    output: str = ""


def migrations_pending(*, database: str = "default") -> list[str]:
    """The migrations ``migrate`` would apply now, in order, as ``app.name``. Reads the
    database's ``django_migrations`` table; changes nothing."""
    connection = connections[database]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def backup_before_upgrade(*, folder: Path, database: str = "default") -> backups.BackupReport:
    """Back the database up into ``folder`` as ``newsdesk-pre-upgrade-<UTC time>`` (``.sqlite3``
    or a ``.dump`` of pg_dump); raises ``backups.BackupError`` when it cannot, before anything
    else is done."""
    connection = connections[database]
    stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
    settings_dict = connection.settings_dict
    try:
        if connection.vendor == "sqlite":
            destination = Path(folder) / f"newsdesk-pre-upgrade-{stamp}.sqlite3"
            return backups.sqlite_backup(
                source=Path(settings_dict["NAME"]), destination=destination
            )
        if connection.vendor == "postgresql":
            destination = Path(folder) / f"newsdesk-pre-upgrade-{stamp}.dump"
            return backups.postgresql_backup(settings_dict=settings_dict, destination=destination)
    except OSError as error:
        # A folder that cannot be made or written (a full disk, a file in its place).
        raise backups.BackupError(f"{folder}: {error.strerror or error}.") from error
    raise backups.BackupError(f"Backups of a {connection.vendor} database are not supported.")


def rollback_command(*, backup: Path) -> str:
    """The command that puts ``backup`` back, to run under the previous release's code."""
    manage = Path(settings.BASE_DIR) / "manage.py"
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(manage))} rollback --backup " + (
        shlex.quote(str(Path(backup).resolve()))
    )


def static_files_collected() -> bool:
    """Whether this install serves collected static files (a manifest storage: production),
    so an upgrade must run ``collectstatic``; the laptop tier serves the apps' folders."""
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    # A lazy object: isinstance sees the storage it wraps.
    return isinstance(staticfiles_storage, ManifestFilesMixin)


def caches_outdate() -> list[str]:
    """Run the ``SITE_UPGRADED`` hooks (the page cache outdates every page); one line per
    hook for the operator. A hook that raises is reported and the others still run."""
    lines = []
    for outdate in hooks.get_hooks(newsdesk_hooks.SITE_UPGRADED):
        name = f"{outdate.__module__}.{outdate.__name__}"
        try:
            outdate()
        except Exception as error:  # one app's failure must not hide the others' work
            lines.append(f"{name} failed: {type(error).__name__}: {error}")
        else:
            lines.append(f"{name}: done")
    return lines


def services_reload(*, timeout: float = 300) -> ReloadOutcome:
    """Run ``UPGRADE_RELOAD_COMMAND`` through the shell (it may chain commands with ``&&``);
    with none configured, run nothing (``ran`` False: the caller tells what to run)."""
    command = str(setting("UPGRADE_RELOAD_COMMAND") or "")
    if not command:
        return ReloadOutcome(command=DEPLOY_KIT_RELOAD, ran=False)
    result = subprocess.run(  # noqa: S602 - the operator's own command, from the settings
        command, shell=True, capture_output=True, text=True, timeout=timeout
    )
    output = (result.stdout + result.stderr).strip()
    return ReloadOutcome(command=command, ran=True, returncode=result.returncode, output=output)
