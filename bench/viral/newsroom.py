"""The newsroom tier of the benchmark: Newsdesk on PostgreSQL and Redis, gunicorn and RQ.

``scripts/services.sh`` (what CI runs the suite on) starts a throwaway PostgreSQL and Redis,
here on free ports, in a folder of their own and with PostgreSQL's ``fsync`` on, as a
newsroom's server has it: a second pair beside a colleague's test services. Nothing of them
outlives the run.

The data is built on every run (the server is throwaway) by the same builder as the laptop
tier's (``sitedata.py``, ``bulk_create`` in batches) with ``DATABASE_URL`` pointing at
PostgreSQL: the 1,000- and 10,000-comment threads first, copied at that point as a template
database (``CREATE DATABASE ... TEMPLATE``, a file copy), then the 100,000 comments on other
articles. The rows are written with their ids chosen up front, so the sequences are set
past them afterwards (``manage.py sqlsequencereset``), as a restore would.

When PostgreSQL or Redis cannot be started, ``NewsroomUnavailable`` carries the reason, and
the run prints the newsroom rows as skipped instead of failing.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.viral import data
from bench.viral.config import ROOT, BenchConfig

SERVICES = ROOT / "scripts" / "services.sh"
BUILD_DB = "newsdesk"  # made by services.sh; holds the 100,000-comment site at the end
THREADS_DB = "bench_threads"  # the template copy: the measured threads only


class NewsroomUnavailable(Exception):
    """PostgreSQL or Redis could not be started; the message says why."""


@dataclass
class Services:
    """A running PostgreSQL and Redis, and what ``services.sh stop`` needs to end them."""

    server_url: str  # postgres://user@host:port (no database)
    redis_url: str
    script_env: dict
    folder: Path

    def database_url(self, name: str) -> str:
        return f"{self.server_url}/{name}"


def _script(command: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SERVICES), command], cwd=ROOT, env=env, capture_output=True, text=True,
        check=False, timeout=900,
    )  # fmt: skip


def services_start(*, free_port, say) -> Services:
    """PostgreSQL and Redis on free ports; ``NewsroomUnavailable`` when either cannot start."""
    if os.name != "posix" or os.geteuid() != 0:
        # services.sh runs PostgreSQL as the postgres user (su) and may apt-get it.
        raise NewsroomUnavailable("scripts/services.sh needs root (it runs PostgreSQL as postgres)")
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    folder.chmod(0o755)  # the postgres user walks into it
    env = {
        **os.environ,
        "PG_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        "SERVICES_DIR": str(folder),
        "SERVICES_ENV": str(folder / "services.env"),
        "PG_FSYNC": "on",
    }
    say(f"newsroom: PostgreSQL on :{env['PG_PORT']}, Redis on :{env['REDIS_PORT']}")
    result = _script("start", env)
    urls = _env_file(folder / "services.env")
    if result.returncode or not {"DATABASE_URL", "REDIS_URL"} <= urls.keys():
        _script("stop", env)
        shutil.rmtree(folder, ignore_errors=True)
        reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise NewsroomUnavailable(f"scripts/services.sh start failed: {reason[0]}")
    server_url = urls["DATABASE_URL"].rsplit("/", 1)[0]
    return Services(server_url, urls["REDIS_URL"], env, folder)


def services_stop(services: Services | None) -> None:
    if services is None:
        return
    _script("stop", services.script_env)
    shutil.rmtree(services.folder, ignore_errors=True)


def _env_file(path: Path) -> dict[str, str]:
    values = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            if value:
                values[name.strip()] = value.strip()
    return values


def site_env_of(services: Services, database: str):
    """``env_of`` for ``servers.newsdesk_start``: the laptop tier's environment with the
    database on PostgreSQL and the cache, rate limits and task queue on Redis (RQ)."""

    def env_of(site_dir: Path, **extra: str) -> dict:
        return data.site_env(
            site_dir, DATABASE_URL=services.database_url(database),
            REDIS_URL=services.redis_url, **extra,
        )  # fmt: skip

    return env_of


def _sql(services: Services, database: str, statements: list[str]) -> None:
    import psycopg

    with psycopg.connect(services.database_url(database), autocommit=True) as con:
        for statement in statements:
            con.execute(statement)


def _sequences_reset(services: Services, env: dict, log) -> None:
    """Set discussion's sequences past the ids the builder chose."""
    out = data.run_logged(
        [sys.executable, "manage.py", "sqlsequencereset", "discussion"], env=env, log=log
    )
    _sql(services, BUILD_DB, [out])


def _builder(args: list[str], *, env: dict, log) -> dict:
    """Run the laptop tier's data builder (``sitedata.py``) on ``env``'s database; what it made."""
    out = data.run_logged([sys.executable, "-m", "bench.viral.sitedata", *args], env=env, log=log)
    return json.loads(out.strip().splitlines()[-1])


def data_build(cfg: BenchConfig, services: Services, *, say) -> dict:
    """The benchmark's site on PostgreSQL: ``THREADS_DB`` with the measured threads and
    ``BUILD_DB`` with the other articles' comments too; the state as ``data_ensure``'s
    (paths and ids of the threads), plus ``databases`` and the site folder (media)."""
    site = cfg.dir / "run" / "newsroom-build"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    py = sys.executable
    # Redis is left out while building: the tasks run inline, the cache is the folder's.
    env = data.site_env(
        site, DATABASE_URL=services.database_url(BUILD_DB), TASKS_BACKEND="immediate"
    )
    with open(cfg.dir / "run" / "logs" / "newsroom-build.log", "w") as log:
        say("newsroom: migrating PostgreSQL and loading the demo")
        data.run_logged([py, "manage.py", "migrate", "--noinput", "-v0"], env=env, log=log)
        data.run_logged([py, "manage.py", "load_demo"], env=env, log=log)
        spec = {
            "threads": {"1k": cfg.thread_small, "10k": cfg.thread_large, "posting": 0},
            "others": cfg.others_articles,
        }
        say(f"newsroom: {cfg.thread_small:,} and {cfg.thread_large:,} comments (bulk)")
        state = _builder(["build", json.dumps(spec)], env=env, log=log)
        _sequences_reset(services, env, log)
        _sql(services, "postgres", [f'CREATE DATABASE "{THREADS_DB}" TEMPLATE "{BUILD_DB}"'])
        say(f"newsroom: {cfg.others_total:,} comments on {cfg.others_articles} other articles")
        others = json.dumps({"total": cfg.others_total})
        state["others"] = _builder(["add-others", others], env=env, log=log)
        _sequences_reset(services, env, log)
    shutil.rmtree(site / "cache", ignore_errors=True)
    state["databases"] = {"site": THREADS_DB, "site-100k": BUILD_DB}
    state["build_dir"] = str(site)
    return state


def site_prepare(cfg: BenchConfig, state: dict) -> Path:
    """A fresh run folder (media, secret key) for the newsroom Newsdesk."""
    run_dir = cfg.dir / "run" / "site-newsroom"
    shutil.rmtree(run_dir, ignore_errors=True)
    shutil.copytree(state["build_dir"], run_dir)
    return run_dir


def redis_flush(services: Services) -> None:
    """An empty Redis (cache, page cache, rate limits, queue) before Newsdesk starts on
    another database: nothing of the previous one answers for it."""
    import redis

    with contextlib.closing(redis.Redis.from_url(services.redis_url)) as client:
        client.flushall()


def acks_connection(services: Services, database: str):
    """A connection for ``scenarios.acks_check`` and its placeholder."""
    import psycopg

    return psycopg.connect(services.database_url(database)), "%s"
