"""The table's grouping and the JSON's keys of the baseline and newsroom tiers
(run: .venv/bin/python -m pytest bench/viral/)."""

import json
import math

import pytest

from bench.viral import report
from bench.viral.baseline import BaselineError, baseline_ensure


def _m(rate: float, *, mean: float = 10.0, p99: float = 50.0) -> dict:
    return {"rate": rate, "p50": 1.0, "p99": p99, "mean": mean, "errors": 0, "requests": 1,
            "rounds": 1}  # fmt: skip


def _medians(tiers: tuple[str, ...]) -> dict:
    base = {
        "djangohit_c32": _m(100), "miss_c32": _m(10), "seq_miss1k": _m(8, mean=120),
        "seq_miss10k": _m(7, mean=150), "seq_miss1k_100k": _m(8, mean=130),
        "post_c1": _m(30), "post_c32": _m(40, p99=900.04),
    }  # fmt: skip
    m = {"static_c32": _m(5000), "isso_c32": _m(1), "isso_post_c1": _m(20), "isso_post_c32": _m(25)}
    m["nginxhit_c32"] = _m(4000)
    for tier in tiers:
        scale = {"laptop": 1.0, "baseline": 0.5, "newsroom": 2.0}[tier]
        for key, value in base.items():
            m[report.key_of(tier, key)] = {**value, "rate": value["rate"] * scale}
    return m


def test_keys_are_todays_unchanged_the_baselines_suffixed_the_newsrooms_prefixed():
    assert report.key_of("laptop", "post_c1") == "post_c1"
    assert report.key_of("baseline", "post_c1") == "post_c1_baseline"
    assert report.key_of("newsroom", "post_c1") == "newsroom_post_c1"


def test_without_baseline_or_newsroom_the_json_keeps_the_issues_keys_only():
    out = report.figures(_medians(("laptop",)), {"laptop": {"lost": 0}}, {}, hit_key="nginxhit_c32",
                         newsroom_skipped="BENCH_NEWSROOM=0")  # fmt: skip
    assert out["post_vs_isso_c1"] == 1.5
    assert out["hit_vs_nginx"] == 0.8
    assert out["newsroom_skipped"] == "BENCH_NEWSROOM=0"
    assert not [key for key in out if key.endswith("_baseline") or key.startswith("newsroom_")
                if key != "newsroom_skipped"]  # fmt: skip


def test_the_baseline_and_newsroom_figures_sit_beside_todays_in_one_json_line():
    spikes = {"laptop": {"lost": 0}, "baseline": {"lost": 1}, "newsroom": {"lost": 2}}
    out = report.figures(_medians(("laptop", "baseline", "newsroom")), spikes, {"quick": True},
                         hit_key="nginxhit_c32")  # fmt: skip
    assert out["post_vs_isso_c1_baseline"] == 0.75
    assert out["post_vs_baseline_c1"] == 2.0
    assert out["post_vs_baseline_c32"] == 2.0
    assert out["vs_baseline"]["miss_c32"] == 2.0
    assert out["post_p99_ms_c32_baseline"] == 900.0
    assert out["spike_baseline"] == {"lost": 1}
    assert out["newsroom_post_vs_isso_c32"] == 3.2
    assert out["newsroom_vs_laptop"]["seq_miss1k"] == 2.0
    assert out["newsroom_djangohit_vs_nginx"] == 0.04
    assert "hit_vs_nginx_baseline" not in out
    assert out["newsroom_spike"] == {"lost": 2}
    assert "newsroom_skipped" not in out
    assert json.loads(report.json_line(out))["quick"] is True


def test_a_missing_measurement_is_none_not_an_error():
    m = _medians(("laptop",))
    del m["seq_miss1k_100k"]
    m["miss_c32"]["rate"] = math.nan
    figures = report.tier_figures(m, "laptop")
    assert figures["site_100k_vs_empty"] is None
    assert figures["miss_vs_isso"] is None


def test_the_table_shows_each_measurements_rows_together_todays_first():
    medians = _medians(("laptop", "baseline", "newsroom"))
    entries = [
        ("miss_c32", "miss_c32", 0, "(a) miss", 32),
        ("miss_c32_baseline", "miss_c32", 1, "(a) miss", 32),
        ("post_c1", "post_c1", 0, "(d) post", 1),
        ("post_c1_baseline", "post_c1", 1, "(d) post", 1),
        # the newsroom tier is measured after the whole laptop tier
        ("newsroom_miss_c32", "miss_c32", 2, "(a) miss", 32),
        ("newsroom_post_c1", "newsroom_post_c1", 2, "(d) post", 1),
    ]
    tags = {"miss_c32_baseline": "baseline abc1234", "post_c1_baseline": "baseline abc1234",
            "newsroom_miss_c32": "newsroom tier", "newsroom_post_c1": "newsroom tier"}  # fmt: skip
    labels = [label for label, _, _ in report.rows_grouped(entries, medians, tags)]
    assert labels == [
        "(a) miss",
        "  baseline abc1234",
        "  newsroom tier",
        "(d) post",
        "  baseline abc1234",
        # a row with no row of today's above it keeps its measurement's name
        "(d) post [newsroom tier]",
    ]


def test_an_unknown_baseline_revision_is_a_clear_error_and_creates_nothing(tmp_path):
    with pytest.raises(BaselineError, match="no such commit"):
        baseline_ensure(revision="no-such-revision-h6", bench_dir=tmp_path, say=print)
    with pytest.raises(BaselineError, match="not a revision"):
        baseline_ensure(revision="--orphan", bench_dir=tmp_path, say=print)
    assert not list(tmp_path.iterdir())
