"""Only the posting comparison (d) of the viral benchmark, for working on the write path.

    .venv/bin/python -m bench.viral.posting      (BENCH_ROUNDS, BENCH_SECONDS as for the rest)

Starts the same servers on the same data as ``python -m bench.viral`` and measures posting
through Newsdesk's API and Isso's, at concurrency 1 and 32, side by side; prints the table
and the posting figures of the JSON. A third row posts to a second Newsdesk on the same data
whose comment scoring is skipped (``unscored.py``): how much of a post is the moderation
signals' work, and how the rest compares with Isso.
"""

import json
import signal
import sys

from bench.viral import data, report, servers
from bench.viral.config import config_from_env
from bench.viral.run import Run, _say, _terminate


def main() -> int:
    cfg = config_from_env()
    signal.signal(signal.SIGTERM, _terminate)
    run = Run(cfg)
    try:
        run.start(data.data_ensure(cfg, say=_say))
        _say("servers: Newsdesk with the comment scoring skipped (gunicorn, 2 workers)")
        unscored = servers.newsdesk_unscored_start(
            run.servers, site_dir=run.site_dir, port=servers.free_port(), env_of=data.site_env
        )
        for number in range(cfg.rounds):
            _say(f"round {number + 1}/{cfg.rounds}")
            for c in (1, 32):
                label = "(d) post a comment: Newsdesk API, full pipeline"
                run.post_drive(f"post_c{c}", label, c, peer=False)
                run.post_drive(
                    f"unscored_c{c}",
                    "(d) post a comment: Newsdesk API, scoring skipped",
                    c,
                    peer=False,
                    base=unscored,
                )
                run.post_drive(
                    f"isso_post_c{c}", "(d) post a comment: Isso POST /new", c, peer=True
                )
    except KeyboardInterrupt:
        return 130
    finally:
        run.servers.stop_all()
    medians = {key: report.median_of(results) for key, results in run.results.items()}
    report.table_print(
        [(label, c, medians[key]) for key, (label, c) in run.labels.items()], out=_say
    )
    rate = {key: m["rate"] for key, m in medians.items()}
    _say(
        json.dumps(
            {
                "post_vs_isso_c1": round(rate["post_c1"] / rate["isso_post_c1"], 3),
                "post_vs_isso_c32": round(rate["post_c32"] / rate["isso_post_c32"], 3),
                "post_p99_ms_c32": medians["post_c32"]["p99"],
                "unscored_vs_isso_c1": round(rate["unscored_c1"] / rate["isso_post_c1"], 3),
                "unscored_vs_isso_c32": round(rate["unscored_c32"] / rate["isso_post_c32"], 3),
                "unscored_p99_ms_c32": medians["unscored_c32"]["p99"],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
