"""Only the posting comparison (d) of the viral benchmark, for working on the write path.

    .venv/bin/python -m bench.viral.posting      (BENCH_ROUNDS, BENCH_SECONDS as for the rest)
    BENCH_BASELINE=5b3120a .venv/bin/python -m bench.viral.posting    (and that revision's)

Starts the same servers on the same data as ``python -m bench.viral`` and measures posting
through Newsdesk's API and Isso's, at concurrency 1 and 32, side by side; prints the table
and the posting figures of the JSON. A further row posts to a second Newsdesk on the same data
whose comment scoring is skipped (``unscored.py``): how much of a post is the moderation
signals' work, and how the rest compares with Isso. With ``BENCH_BASELINE`` the revision's
Newsdesk posts too, on its own copy of the same data, right after today's in each round:
rows "baseline ...", keys ``*_baseline`` and ``post_vs_baseline_c1``/``_c32``. The newsroom
tier is ``python -m bench.viral``'s only.
"""

import json
import signal
import sys

from bench.viral import data, report, servers
from bench.viral.baseline import BaselineError
from bench.viral.config import config_from_env
from bench.viral.main import baseline_of
from bench.viral.run import Run, _say, _terminate


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else round(a / b, 3)


def posting_figures(medians: dict[str, dict]) -> dict:
    """The posting keys of the JSON, today's and (when measured) the baseline's."""
    rate = {key: m["rate"] for key, m in medians.items()}
    figures = {
        "post_vs_isso_c1": _ratio(rate["post_c1"], rate["isso_post_c1"]),
        "post_vs_isso_c32": _ratio(rate["post_c32"], rate["isso_post_c32"]),
        "post_p99_ms_c32": medians["post_c32"]["p99"],
        "unscored_vs_isso_c1": _ratio(rate["unscored_c1"], rate["isso_post_c1"]),
        "unscored_vs_isso_c32": _ratio(rate["unscored_c32"], rate["isso_post_c32"]),
        "unscored_p99_ms_c32": medians["unscored_c32"]["p99"],
    }
    if "post_c1_baseline" in rate:
        figures.update(
            {
                "post_vs_isso_c1_baseline": _ratio(rate["post_c1_baseline"], rate["isso_post_c1"]),
                "post_vs_isso_c32_baseline": _ratio(
                    rate["post_c32_baseline"], rate["isso_post_c32"]
                ),
                "post_p99_ms_c32_baseline": medians["post_c32_baseline"]["p99"],
                "post_vs_baseline_c1": _ratio(rate["post_c1"], rate["post_c1_baseline"]),
                "post_vs_baseline_c32": _ratio(rate["post_c32"], rate["post_c32_baseline"]),
            }
        )
    return figures


def main() -> int:
    cfg = config_from_env()
    signal.signal(signal.SIGTERM, _terminate)
    run = Run(cfg)
    try:
        try:
            baseline = baseline_of(cfg)
        except BaselineError as error:
            _say(f"BENCH_BASELINE: {error}")
            return 2
        run.laptop_start(data.data_ensure(cfg, say=_say), baseline)
        _say("servers: Newsdesk with the comment scoring skipped (gunicorn, 2 workers)")
        unscored = servers.newsdesk_unscored_start(
            run.servers, site_dir=run.today.site_dir, port=servers.free_port(),
            env_of=data.site_env,
        )  # fmt: skip
        for number in range(cfg.rounds):
            _say(f"round {number + 1}/{cfg.rounds}")
            for c in (1, 32):
                label = "(d) post a comment: Newsdesk API, full pipeline"
                for target in run.in_turn(number):
                    run.post_drive(f"post_c{c}", label, c, target=target)
                run.post_drive(
                    f"unscored_c{c}",
                    "(d) post a comment: Newsdesk API, scoring skipped",
                    c,
                    target=run.today,
                    base=unscored,
                )
                run.post_drive(f"isso_post_c{c}", "(d) post a comment: Isso POST /new", c)
    except KeyboardInterrupt:
        return 130
    finally:
        run.servers.stop_all()
    medians = {key: report.median_of(results) for key, results in run.results.items()}
    report.table_print(run.table_rows(medians), out=_say)
    _say(json.dumps(posting_figures(medians)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
