"""The table (medians of the rounds) and the last line: one JSON object with the issue's keys."""

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


def _ratio(a: float, b: float) -> float | None:
    if not b or math.isnan(a) or math.isnan(b):
        return None
    return round(a / b, 3)


def figures(m: dict[str, dict], spike: dict, extra: dict) -> dict:
    """The issue's keys (ratios from this run), then the raw rates they come from."""
    return {
        "hit_vs_nginx": _ratio(m["hit_c32"]["rate"], m["static_c32"]["rate"]),
        "miss_vs_isso": _ratio(m["miss_c32"]["rate"], m["isso_c32"]["rate"]),
        "post_vs_isso_c1": _ratio(m["post_c1"]["rate"], m["isso_post_c1"]["rate"]),
        "post_vs_isso_c32": _ratio(m["post_c32"]["rate"], m["isso_post_c32"]["rate"]),
        "post_p99_ms_c32": round(m["post_c32"]["p99"], 1),
        "growth_10k_vs_1k": _ratio(m["seq_miss10k"]["mean"], m["seq_miss1k"]["mean"]),
        "site_100k_vs_empty": _ratio(m["seq_miss1k_100k"]["mean"], m["seq_miss1k"]["mean"]),
        "spike": spike,
        **extra,
    }


def json_line(data: dict) -> str:
    return json.dumps(data, separators=(", ", ": "))
