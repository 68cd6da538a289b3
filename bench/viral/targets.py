"""The Newsdesks one run measures: today's on the laptop tier, a baseline revision's on the
same data (``baseline.py``), and today's on the newsroom tier (``newsroom.py``).

Each is a ``Target``: its rows' keys and names beside today's, its data's paths, and how it
is (re)started on a fresh copy of a data variant (``site``, then ``site-100k`` for (g)).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.viral import data, newsroom, scenarios, servers
from bench.viral.baseline import baseline_data_adapt
from bench.viral.config import ROOT, BenchConfig
from bench.viral.report import key_of


@dataclass
class Target:
    """One Newsdesk under measurement and the servers in front of it."""

    tier: str  # "laptop" (today's), "baseline", "newsroom"
    tag: str  # its rows' name beside today's ("" for today's)
    state: dict  # what the data holds (paths and ids of the threads)
    launch: Callable[[str], tuple[str, Path]]  # variant -> (url, site folder), started afresh
    acks_connect: Callable[["Target"], tuple]  # (DB-API connection, placeholder)
    url: str = ""
    site_dir: Path = field(default_factory=Path)
    variant: str = ""
    nginx: str = ""  # the sample nginx in front of it, for the spike
    django_hit: bool = False  # its page cache answered the probe

    def key(self, base: str) -> str:
        return key_of(self.tier, base)

    def start(self, variant: str) -> None:
        self.url, self.site_dir = self.launch(variant)
        self.variant = variant

    @property
    def path_1k(self) -> str:
        return self.state["threads"]["1k"]["path"]

    @property
    def path_10k(self) -> str:
        return self.state["threads"]["10k"]["path"]

    @property
    def article_1k(self) -> int:
        return self.state["threads"]["1k"]["article_id"]

    @property
    def posting(self) -> dict:
        return self.state["threads"]["posting"]


def _sqlite_acks(target: Target) -> tuple:
    return scenarios.sqlite_connection(target.site_dir / "db.sqlite3")


def laptop_target(
    cfg: BenchConfig, procs: servers.Servers, state: dict, *, baseline=None
) -> Target:
    """Today's Newsdesk on SQLite, or (``baseline``) that revision's on its own copy of the
    same data, made from the same pristine file."""
    tier, name, root, tag = "laptop", "newsdesk", ROOT, ""
    if baseline is not None:
        tier, name, root = "baseline", "newsdesk-baseline", baseline.root
        tag = f"baseline {baseline.short}"
    port = servers.free_port()

    def launch(variant: str) -> tuple[str, Path]:
        procs.stop(name)
        site_dir = data.site_prepare(cfg, variant=variant, name=f"site-{tier}")
        if baseline is not None:
            baseline_data_adapt(baseline=baseline, database=site_dir / "db.sqlite3")
        url = servers.newsdesk_start(
            procs, site_dir=site_dir, port=port, env_of=data.site_env, name=name, root=root
        )
        return url, site_dir

    return Target(tier, tag, state, launch, _sqlite_acks)


def newsroom_target(
    cfg: BenchConfig, procs: servers.Servers, state: dict, services: newsroom.Services
) -> Target:
    """Today's Newsdesk on PostgreSQL and Redis: gunicorn (2 workers) and the RQ worker."""
    port = servers.free_port()
    name = "newsdesk-newsroom"

    def launch(variant: str) -> tuple[str, Path]:
        procs.stop(name)
        newsroom.redis_flush(services)
        site_dir = newsroom.site_prepare(cfg, state)
        env_of = newsroom.site_env_of(services, state["databases"][variant])
        url = servers.newsdesk_start(procs, site_dir=site_dir, port=port, env_of=env_of, name=name)
        return url, site_dir

    def acks(target: Target) -> tuple:
        return newsroom.acks_connection(services, state["databases"][target.variant])

    return Target("newsroom", "newsroom tier", state, launch, acks)
