"""The table (medians of the rounds) and the last line: one JSON object with the issue's keys.

Today's Newsdesk on the laptop tier keeps the keys it always had; a baseline revision's
(``BENCH_BASELINE``) have ``_baseline`` after them, the newsroom tier's ``newsroom_`` before
(``key_of``), and the table shows each measurement's rows together.
"""

import json
import math
import statistics

from bench.viral.load import Result


def median_of(results: list[Result]) -> dict:
    def med(name: str) -> float:
        values = [getattr(r, name) for r in results if not math.isnan(getattr(r, name))]
        return statistics.median(values) if values else float("nan")

    return {
        "rate": med("rate"),
        "p50": med("p50"),
        "p99": med("p99"),
        "mean": med("mean"),
        "errors": sum(r.errors for r in results),
        "requests": sum(r.requests for r in results),
        "rounds": len(results),
    }


def key_of(tier: str, base: str) -> str:
    """A measurement's key in the results and the JSON: today's as it always was, a
    baseline's with ``_baseline`` after it, the newsroom tier's with ``newsroom_`` before."""
    if tier == "baseline":
        return f"{base}_baseline"
    if tier == "newsroom":
        return f"newsroom_{base}"
    return base


def rows_grouped(entries: list[tuple[str, str, int, str, int]], medians: dict, tags: dict):
    """The table's rows: each measurement's rows together, today's first, then the
    baseline's and the newsroom tier's (named by their tag alone under today's row).

    ``entries``: (key, base key, tier order, label, concurrency) in the order measured;
    ``tags``: the tag of each key not today's."""
    first: dict[str, int] = {}
    for n, entry in enumerate(entries):
        first.setdefault(entry[1], n)
    ordered = sorted(entries, key=lambda entry: (first[entry[1]], entry[2]))
    rows, previous = [], None
    for key, base, _, label, concurrency in ordered:
        tag = tags.get(key, "")
        if tag:
            label = f"  {tag}" if previous == base else f"{label} [{tag}]"
        rows.append((label, concurrency, medians[key]))
        previous = base
    return rows


def table_print(rows: list[tuple[str, int, dict]], *, out) -> None:
    head = (
        f"{'measurement':<58} {'c':>3} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'rounds':>6} {'errors':>6}"
    )
    out(head)
    out("-" * len(head))
    for label, concurrency, m in rows:
        out(
            f"{label:<58} {concurrency:>3} {m['rate']:>9.1f} {m['p50']:>8.1f} {m['p99']:>8.1f}"
            f" {m['rounds']:>6} {m['errors']:>6}"
        )


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return None
    return round(a / b, 3)


def _get(m: dict[str, dict], key: str, name: str) -> float | None:
    return m[key][name] if key in m else None


def tier_figures(m: dict[str, dict], tier: str) -> dict:
    """The issue's figures of one Newsdesk (today's, the baseline's, the newsroom tier's),
    against this run's Isso; ``None`` where a measurement is missing."""

    def k(base: str) -> str:
        return key_of(tier, base)

    p99 = _get(m, k("post_c32"), "p99")
    return {
        "miss_vs_isso": _ratio(_get(m, k("miss_c32"), "rate"), _get(m, "isso_c32", "rate")),
        "post_vs_isso_c1": _ratio(_get(m, k("post_c1"), "rate"), _get(m, "isso_post_c1", "rate")),
        "post_vs_isso_c32": _ratio(
            _get(m, k("post_c32"), "rate"), _get(m, "isso_post_c32", "rate")
        ),
        "post_p99_ms_c32": None if p99 is None or math.isnan(p99) else round(p99, 1),
        "growth_10k_vs_1k": _ratio(
            _get(m, k("seq_miss10k"), "mean"), _get(m, k("seq_miss1k"), "mean")
        ),
        "site_100k_vs_empty": _ratio(
            _get(m, k("seq_miss1k_100k"), "mean"), _get(m, k("seq_miss1k"), "mean")
        ),
    }


def rates_versus(m: dict[str, dict], tier: str) -> dict[str, float | None]:
    """Each measurement made on today's laptop tier and on ``tier``: today's rate over
    ``tier``'s (above 1: today's is faster), by today's key."""
    versus = {}
    for base in m:
        other = key_of(tier, base)
        if other != base and other in m:
            versus[base] = _ratio(m[base]["rate"], m[other]["rate"])
    return versus


def figures(
    m: dict[str, dict], spikes: dict[str, dict], extra: dict, *, hit_key: str,
    newsroom_skipped: str = "",
) -> dict:  # fmt: skip
    """The issue's keys (ratios from this run); the baseline's as ``*_baseline`` with
    ``post_vs_baseline_c1``/``_c32`` and ``vs_baseline`` (today's rate over the baseline's,
    each measurement); the newsroom tier's as ``newsroom_*`` with ``newsroom_vs_laptop``
    (its rate over the laptop tier's), or ``newsroom_skipped`` and why; then ``extra``."""
    out: dict = {
        "hit_vs_nginx": _ratio(_get(m, hit_key, "rate"), _get(m, "static_c32", "rate")),
        **tier_figures(m, "laptop"),
        "spike": spikes.get("laptop"),
    }
    if key_of("baseline", "post_c1") in m:
        out.update({f"{k}_baseline": v for k, v in tier_figures(m, "baseline").items()})
        out["spike_baseline"] = spikes.get("baseline")
        versus = rates_versus(m, "baseline")
        out["post_vs_baseline_c1"] = versus.get("post_c1")
        out["post_vs_baseline_c32"] = versus.get("post_c32")
        out["vs_baseline"] = versus
    if newsroom_skipped:
        out["newsroom_skipped"] = newsroom_skipped
    elif key_of("newsroom", "post_c1") in m:
        out.update({f"newsroom_{k}": v for k, v in tier_figures(m, "newsroom").items()})
        # Its own page cache (in Redis) answering, against this run's nginx static file (its
        # nginx's proxy cache is nginx's figure, measured on the laptop tier).
        out["newsroom_djangohit_vs_nginx"] = _ratio(
            _get(m, key_of("newsroom", "djangohit_c32"), "rate"), _get(m, "static_c32", "rate")
        )
        out["newsroom_spike"] = spikes.get("newsroom")
        out["newsroom_vs_laptop"] = {
            base: _ratio(m[key_of("newsroom", base)]["rate"], m[base]["rate"])
            for base in rates_versus(m, "newsroom")
        }
    out.update(extra)
    return out


def json_line(data: dict) -> str:
    return json.dumps(data, separators=(", ", ": "))
