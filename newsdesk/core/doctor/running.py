"""Doctor's checks of what the site does while it runs: workers and their queue, where client
addresses come from, backups, collected static files. Each returns a ``Finding``."""

import hashlib
import ipaddress
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from newsdesk.core import health
from newsdesk.core.clientaddr import (
    address_parse,
    arrivals_seen,
    peer_is_trusted,
    trusted_proxies,
)
from newsdesk.core.conf import setting
from newsdesk.core.doctor.findings import FAIL, OK, WARN, Finding
from newsdesk.core.doctor.heartbeat import HEARTBEAT_STALE_SECONDS, worker_heartbeats

GUIDE = "docs/production.md"
# A backup older than this is no longer last night's.
BACKUP_MAX_AGE_HOURS = 26
START_WORKER = (
    "start the workers (systemctl start newsdesk-worker@1, or manage.py worker) and read "
    "their log (journalctl -u 'newsdesk-worker@*')"
)


def _ago(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min ago"
    return f"{seconds / 3600:.1f} h ago"


def _rq_workers() -> tuple[int, list[str]]:
    """RQ's own view: how many workers are registered in Redis with a recent heartbeat."""
    import django_rq
    from rq import Worker

    now = datetime.now(tz=UTC)
    alive, names = 0, []
    for queue_name in setting("RQ_QUEUES"):
        connection = django_rq.get_queue(queue_name).connection
        for worker in Worker.all(connection=connection):
            beat = worker.last_heartbeat
            if beat is not None and beat.tzinfo is None:
                beat = beat.replace(tzinfo=UTC)
            if beat is not None and (now - beat).total_seconds() <= worker.worker_ttl + 60:
                alive += 1
                names.append(worker.name)
    return alive, names


def workers_check() -> Finding:
    """At least one worker beat in the last three minutes (``doctor/heartbeat.py``; on RQ also
    ``Worker.all`` with a recent heartbeat), and the queue drains: its oldest due task waits
    less than ``DOCTOR_QUEUE_MAX_AGE_MINUTES``."""
    kind = health.task_backend_kind()
    if kind == "immediate":
        return Finding("workers", OK, "tasks run inline (TASKS_BACKEND=immediate): no worker")
    now = time.time()
    beats = worker_heartbeats()
    alive = {
        name: now - when for name, when in beats.items() if now - when < HEARTBEAT_STALE_SECONDS
    }
    state = health.task_queue_state()
    limit_minutes = int(setting("DOCTOR_QUEUE_MAX_AGE_MINUTES"))
    queue = f"{state.waiting} task(s) waiting, the oldest due {_ago(state.oldest_seconds)}"
    if not state.waiting:
        queue = "no task waiting"
    if kind == "rq":
        rq_alive, _ = _rq_workers()
        if not rq_alive:
            return Finding(
                "workers", FAIL, f"no RQ worker registered in Redis; {queue}", START_WORKER
            )
    if not alive:
        last = f"the last beat {_ago(now - max(beats.values()))}" if beats else "none heard from"
        return Finding(
            "workers",
            FAIL,
            f"no worker alive in the last {HEARTBEAT_STALE_SECONDS // 60} minutes ({last}); "
            f"{queue}",
            START_WORKER,
        )
    if state.oldest_seconds > limit_minutes * 60:
        return Finding(
            "workers",
            FAIL,
            f"{len(alive)} worker(s) alive but the queue is not draining: {queue} "
            f"(more than {limit_minutes} min)",
            "a task may hang the workers, or they are too few: read their log "
            "(journalctl -u 'newsdesk-worker@*'), restart them, or start more "
            "(systemctl start newsdesk-worker@2)",
        )
    latest = min(alive.values())
    return Finding(
        "workers",
        OK,
        f"{len(alive)} worker(s) alive ({kind} queue, last beat {_ago(latest)}); {queue}",
    )


# Where a proxy in front of the site sits: loopback, the private ranges, a container's
# shared address space. (Python's ``is_private`` also counts the documentation ranges.)
LOCAL_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "::1/128",
        "fc00::/7",
    )
)


def _local(peer: str) -> bool:
    address = address_parse(peer)
    return address is not None and any(
        address in network for network in LOCAL_NETWORKS if network.version == address.version
    )


def proxy_check() -> Finding:
    """Client addresses arrive through the proxy: what requests of the last hour carried
    (``clientaddr.arrival_record``) against ``TRUSTED_PROXIES``."""
    seen = arrivals_seen()
    trusted = trusted_proxies()
    named = ", ".join(str(network) for network in trusted) or "empty"
    untrusted = seen.get("untrusted-forwarded")
    if untrusted and peer_is_trusted(remote_addr=untrusted["peer"], trusted=trusted):
        untrusted = None  # noted before TRUSTED_PROXIES named it (doctor reads the same settings)
    if untrusted:
        peer = untrusted["peer"]
        if _local(peer):
            whose = (
                "TRUSTED_PROXIES is empty"
                if not trusted
                else f"TRUSTED_PROXIES ({named}) does not name it"
            )
            return Finding(
                "proxy",
                FAIL,
                f"requests arrive from {peer} with X-Forwarded-For but {whose}: every reader "
                "looks like one address (rate limits, bans, held comments)",
                f"set TRUSTED_PROXIES={peer} (the proxy's address) in the site's environment "
                f"and restart the web processes; {GUIDE}, 'nginx'",
            )
        return Finding(
            "proxy",
            WARN,
            f"a request from {peer}, not a trusted proxy, carried X-Forwarded-For: the "
            "site's port may be reachable without the proxy (the header was not believed)",
            "bind gunicorn to 127.0.0.1 (deploy/systemd/newsdesk-web@.service) or firewall "
            "its port; if that address is your proxy, add it to TRUSTED_PROXIES",
        )
    through = seen.get("trusted-forwarded")
    bare = seen.get("trusted-bare")
    if bare and not peer_is_trusted(remote_addr=bare["peer"], trusted=trusted):
        bare = None  # noted while TRUSTED_PROXIES named it, no longer
    if bare and not through:
        return Finding(
            "proxy",
            WARN,
            f"requests from the trusted proxy {bare['peer']} carry no X-Forwarded-For: "
            "every reader looks like the proxy",
            "have the proxy send it (nginx: proxy_set_header X-Forwarded-For "
            "$proxy_add_x_forwarded_for; as deploy/nginx/newsdesk.conf does)",
        )
    if through:
        return Finding(
            "proxy",
            OK,
            f"requests arrive through the trusted proxy {through['peer']} with the reader's "
            f"address (TRUSTED_PROXIES {named})",
        )
    direct = seen.get("direct")
    if direct:
        return Finding(
            "proxy",
            OK,
            f"requests come straight from readers (the last from {direct['peer']}), no proxy "
            f"header seen (TRUSTED_PROXIES {named})",
        )
    return Finding(
        "proxy",
        WARN,
        "no request seen in the last hour: cannot tell where client addresses come from",
        "open the site through its public address, then run doctor again",
    )


def _backup_files(folder: Path) -> list[Path]:
    """Backups in ``folder``: files, not the partial copies being written (``.name.partial``)
    nor a restore's safety copies."""
    return [
        path
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".") and "before-restore" not in path.name
    ]


def backups_check() -> Finding:
    """The newest file in ``BACKUP_DIR`` is younger than 26 hours (WARN when there is none;
    FAIL when it is older), and readable by the site's user alone."""
    folder = Path(setting("BACKUP_DIR"))
    from django.db import connections

    suffix = "sqlite3" if connections["default"].vendor == "sqlite" else "dump"
    command = f"manage.py backup_database {folder}/newsdesk-$(date +%Y%m%d-%H%M).{suffix}"
    timer = "systemctl enable --now newsdesk-backup.timer"
    files = _backup_files(folder) if folder.is_dir() else []
    if not files:
        return Finding(
            "backups",
            WARN,
            f"no backup in {folder}",
            f"take one ({command}) and schedule them ({timer}); BACKUP_DIR names the folder",
        )
    newest = max(files, key=lambda path: path.stat().st_mtime)
    age = time.time() - newest.stat().st_mtime
    found = f"newest {newest.name}, {_ago(age)}"
    if age > BACKUP_MAX_AGE_HOURS * 3600:
        return Finding(
            "backups",
            FAIL,
            f"{found}: older than {BACKUP_MAX_AGE_HOURS} h",
            f"is the nightly timer running? (systemctl list-timers newsdesk-backup.timer; "
            f"journalctl -u newsdesk-backup); take one now: {command}",
        )
    if newest.stat().st_mode & 0o077:
        return Finding(
            "backups",
            WARN,
            f"{found}, readable by other users (it holds password hashes and e-mail addresses)",
            f"chmod 600 {folder}/*; chmod 700 {folder}",
        )
    return Finding("backups", OK, f"{found}, in {folder}")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def static_check() -> Finding:
    """Under a manifest storage (production): ``staticfiles.json`` exists in STATIC_ROOT and
    names every static file of the code, whose collected copy is the same as the code's."""
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin):
        return Finding(
            "static",
            OK,
            f"{settings.STORAGES['staticfiles']['BACKEND']}: static files served from the "
            "apps' folders "
            "(no collectstatic needed)",
        )
    root = Path(settings.STATIC_ROOT)
    manifest = root / storage.manifest_name
    todo = "manage.py collectstatic --noinput (manage.py upgrade runs it)"
    if not manifest.is_file():
        return Finding("static", FAIL, f"no {manifest}: static files were never collected", todo)
    named, _manifest_hash = storage.load_manifest()
    missing, changed, total = [], [], 0
    for finder in finders.get_finders():
        for path, source_storage in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(source_storage, "prefix", None)
            name = f"{prefix}/{path}" if prefix else path
            total += 1
            copy = root / name
            if name not in named or not copy.is_file() or not (root / named[name]).is_file():
                missing.append(name)
            elif copy.stat().st_size != source_storage.size(path) or _digest(copy) != _digest(
                Path(source_storage.path(path))
            ):
                changed.append(name)
    if missing or changed:
        example = (missing or changed)[0]
        return Finding(
            "static",
            FAIL,
            f"{len(missing)} static file(s) missing from {manifest.name} and {len(changed)} "
            f"changed since collectstatic (e.g. {example})",
            todo,
        )
    return Finding("static", OK, f"{total} static files collected and current ({manifest})")
