"""The benchmark's data under ``<BENCH_DIR>/data``, built once and reused while valid.

- ``site/``: a Newsdesk data directory (SQLite, media) migrated with the demo loaded, the
  1,000- and 10,000-comment articles, an article for posting, and the other articles;
- ``site.sqlite3`` (those threads only) and ``site-100k.sqlite3`` (plus the comments on the
  other articles), pristine copies: each run starts from one, so posts of earlier runs
  never skew it;
- ``isso.sqlite3``: Isso's database with the same 1,000 comments.

``state.json`` records what was built and a fingerprint of what it was built from (lock
file, the generator, the sizes); a mismatch rebuilds everything. New migrations are applied
to the stored copies instead, as a site upgrading would (a rebuild takes about 10 minutes).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from bench.viral import isso
from bench.viral.config import ROOT, BenchConfig
from bench.viral.texts import thread_generate

DATA_VERSION = "1"  # raise it when the data's shape changes
HERE = Path(__file__).resolve().parent


def _migrations_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "newsdesk").glob("*/migrations/*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _fingerprint(cfg: BenchConfig) -> str:
    digest = hashlib.sha256(DATA_VERSION.encode())
    for path in (ROOT / "uv.lock", HERE / "texts.py", HERE / "sitedata.py"):
        digest.update(path.read_bytes())
    sizes = (cfg.thread_small, cfg.thread_large, cfg.others_total, cfg.others_articles)
    digest.update(repr(sizes).encode())
    return digest.hexdigest()[:16]


def site_env(data_dir: Path, **extra: str) -> dict:
    """The environment of a Newsdesk process working on ``data_dir``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "NEWSDESK_TEST_DB")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsdesk.settings.dev",
        NEWSDESK_DATA_DIR=str(data_dir),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(data_dir / "mail"),
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def run_logged(args: list[str], *, env: dict, log) -> str:
    """Run a build step (a command of the project) with its output into ``log``; its stdout."""
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=1800
    )
    log.write(result.stdout + result.stderr)
    if result.returncode:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise RuntimeError(f"failed: {' '.join(args[:4])}")
    return result.stdout


def sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (its WAL included)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    with sqlite3.connect(target) as dst:
        dst.execute("PRAGMA journal_mode=WAL")


def data_ensure(cfg: BenchConfig, *, say) -> dict:
    """The state of the built data, building it first when missing or outdated."""
    data = cfg.data_dir
    state_path = data / "state.json"
    fingerprint = _fingerprint(cfg)
    if state_path.exists():
        state = json.loads(state_path.read_text())
        needed = [data / "site.sqlite3", data / "site-100k.sqlite3", data / "isso.sqlite3"]
        if state.get("fingerprint") == fingerprint and all(p.exists() for p in needed):
            say(f"data: reusing {data}")
            if state.get("migrations") != _migrations_digest():
                _copies_migrate(data, say=say)
                state["migrations"] = _migrations_digest()
                state_path.write_text(json.dumps(state, indent=1))
            return state
    say(f"data: building in {data} (first run: a few minutes)")
    shutil.rmtree(data, ignore_errors=True)
    site = data / "site"
    site.mkdir(parents=True)
    py = sys.executable
    env = site_env(site, TASKS_BACKEND="immediate")
    with open(data / "build.log", "w") as log:
        run_logged([py, "manage.py", "migrate", "--noinput", "-v0"], env=env, log=log)
        run_logged([py, "manage.py", "load_demo"], env=env, log=log)
        spec = {
            "threads": {"1k": cfg.thread_small, "10k": cfg.thread_large, "posting": 0},
            "others": cfg.others_articles,
        }
        say(f"data: {cfg.thread_small:,} and {cfg.thread_large:,} comments")
        out = run_logged(
            [py, "-m", "bench.viral.sitedata", "build", json.dumps(spec)], env=env, log=log
        )
        state = json.loads(out.strip().splitlines()[-1])
        sqlite_copy(site / "db.sqlite3", data / "site.sqlite3")
        say(f"data: {cfg.others_total:,} comments on {cfg.others_articles} other articles")
        args = json.dumps({"total": cfg.others_total})
        out = run_logged([py, "-m", "bench.viral.sitedata", "add-others", args], env=env, log=log)
        state["others"] = json.loads(out.strip().splitlines()[-1])
        sqlite_copy(site / "db.sqlite3", data / "site-100k.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{site / 'db.sqlite3'}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(site / "cache", ignore_errors=True)

    say("data: Isso's database with the same 1,000 comments")
    venv = cfg.dir / "isso-venv"
    isso.isso_venv_ensure(venv)
    config = data / "isso-build.cfg"
    isso.isso_config_write(config, db=data / "isso.sqlite3", port=1, site="http://127.0.0.1:1")
    count = isso.isso_db_build(
        venv=venv, db=data / "isso.sqlite3", config=config,
        comments=thread_generate(cfg.thread_small),
    )  # fmt: skip
    state["isso_comments"] = count
    state["fingerprint"] = fingerprint
    state["migrations"] = _migrations_digest()
    state_path.write_text(json.dumps(state, indent=1))
    return state


def _copies_migrate(data: Path, *, say) -> None:
    """Apply the migrations written since the stored copies were built, to each of them."""
    site = data / "site"
    env = site_env(site, TASKS_BACKEND="immediate")
    with open(data / "build.log", "a") as log:
        for name in ("site", "site-100k"):
            say(f"data: applying new migrations to {name}.sqlite3")
            sqlite_copy(data / f"{name}.sqlite3", site / "db.sqlite3")
            run_logged(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env=env, log=log
            )
            sqlite_copy(site / "db.sqlite3", data / f"{name}.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{site / 'db.sqlite3'}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(site / "cache", ignore_errors=True)


def site_prepare(cfg: BenchConfig, *, variant: str, name: str = "site") -> Path:
    """A fresh run directory ``run/<name>`` for a Newsdesk, from the pristine copy ``variant``
    (site, site-100k): today's and the baseline's each get one, made from the same copy."""
    run_dir = cfg.dir / "run" / name
    shutil.rmtree(run_dir, ignore_errors=True)
    shutil.copytree(cfg.data_dir / "site", run_dir)
    sqlite_copy(cfg.data_dir / f"{variant}.sqlite3", run_dir / "db.sqlite3")
    return run_dir


def isso_prepare(cfg: BenchConfig) -> Path:
    run_dir = cfg.dir / "run" / "isso"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    shutil.copy(cfg.data_dir / "isso.sqlite3", run_dir / "comments.db")
    return run_dir
