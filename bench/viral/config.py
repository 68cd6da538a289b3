"""The benchmark's knobs, from the environment.

BENCH_QUICK=1        a smoke run: 1 round of 2 s, a 10 s spike, smaller data
BENCH_ROUNDS=3       rounds per measurement (medians are reported)
BENCH_SECONDS=8      seconds per round
BENCH_SPIKE_SECONDS=60
BENCH_DIR=var/bench  where the data, the servers' files and the logs go
BENCH_BASELINE=REV   also measure Newsdesk at git revision REV, on the same data, in the same
                     rounds (``baseline.py``): rows "baseline REV", keys ``*_baseline``
BENCH_NEWSROOM=1     ``python -m bench.viral`` measures the newsroom tier too (PostgreSQL +
                     Redis, ``newsroom.py``), keys ``newsroom_*``; 0 skips it
"""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class BenchConfig:
    """One run's settings; sizes shrink in a quick run."""

    quick: bool
    rounds: int
    seconds: float
    spike_seconds: float
    dir: Path
    thread_small: int  # the "1,000-comment" thread
    thread_large: int  # the "10,000-comment" thread
    others_total: int  # comments on other articles for (g)
    others_articles: int
    baseline: str = ""  # a git revision, or "" for none
    newsroom: bool = True

    @property
    def data_dir(self) -> Path:
        return self.dir / ("data-quick" if self.quick else "data")


def config_from_env() -> BenchConfig:
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    return BenchConfig(
        quick=quick,
        rounds=int(os.environ.get("BENCH_ROUNDS", "1" if quick else "3")),
        seconds=float(os.environ.get("BENCH_SECONDS", "2" if quick else "8")),
        spike_seconds=float(os.environ.get("BENCH_SPIKE_SECONDS", "10" if quick else "60")),
        dir=Path(os.environ.get("BENCH_DIR", ROOT / "var" / "bench")).resolve(),
        thread_small=1000,
        thread_large=2000 if quick else 10_000,
        others_total=10_000 if quick else 100_000,
        others_articles=10 if quick else 50,
        baseline=os.environ.get("BENCH_BASELINE", "").strip(),
        newsroom=os.environ.get("BENCH_NEWSROOM", "1") not in ("", "0"),
    )
