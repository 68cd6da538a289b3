"""``python -m bench.viral``: the laptop tier (today's Newsdesk, and a baseline revision's
with ``BENCH_BASELINE``) then the newsroom tier, one table, and the JSON as the last line.

The steps of each tier are ``run.Run``'s; this module orders them, keeps the laptop tier's
figures when the newsroom tier fails (the run still exits 1), and prints the result.
"""

import signal
import time
import traceback

from bench.viral import data, newsroom, report, servers
from bench.viral.baseline import BaselineError, baseline_ensure
from bench.viral.config import config_from_env
from bench.viral.run import Run, _say, _terminate


def baseline_of(cfg):
    """The baseline's work tree when ``BENCH_BASELINE`` names one, else ``None``; a bad
    revision raises ``BaselineError`` before anything starts."""
    if not cfg.baseline:
        return None
    return baseline_ensure(revision=cfg.baseline, bench_dir=cfg.dir, say=_say)


def newsroom_measure(run: Run, cfg) -> str:
    """The newsroom tier's rows (and spike), into ``run``; returns why they were skipped, or
    "" when measured. PostgreSQL and Redis are stopped again whatever happens."""
    if not cfg.newsroom:
        return "BENCH_NEWSROOM=0"
    try:
        services = newsroom.services_start(free_port=servers.free_port, say=_say)
    except newsroom.NewsroomUnavailable as error:
        _say(f"newsroom: skipped: {error}")
        return str(error)
    try:
        state = newsroom.data_build(cfg, services, say=_say)
        run.newsroom_start(services, state)
        for number in range(cfg.rounds):
            _say(f"newsroom round {number + 1}/{cfg.rounds}")
            run.round(number)
        run.site_100k()
        run.newsroom_spike = run.spikes()["newsroom"]
        run.notes.append(
            "newsroom tier: PostgreSQL (fsync on) and Redis from scripts/services.sh, on this"
            " machine; Newsdesk's figures only (Isso and nginx measured on the laptop tier)"
        )
    finally:
        run.servers.stop_all()
        newsroom.services_stop(services)
    return ""


def main() -> int:
    cfg = config_from_env()
    signal.signal(signal.SIGTERM, _terminate)
    run = Run(cfg)
    started = time.monotonic()
    failed = ""
    try:
        _say(
            f"viral bench: {cfg.rounds} round(s) of {cfg.seconds:g} s,"
            f" spike {cfg.spike_seconds:g} s{' (quick)' if cfg.quick else ''}"
        )
        try:
            baseline = baseline_of(cfg)
        except BaselineError as error:
            _say(f"BENCH_BASELINE: {error}")
            return 2
        state = data.data_ensure(cfg, say=_say)
        run.laptop_start(state, baseline)
        for number in range(cfg.rounds):
            _say(f"round {number + 1}/{cfg.rounds}")
            run.round(number)
        run.driver_ceiling()
        run.site_100k()
        spikes = run.spikes()
        run.servers.stop_all()
        try:
            newsroom_skipped = newsroom_measure(run, cfg)
        except Exception as error:  # the laptop tier's figures are still printed
            traceback.print_exc()
            failed = newsroom_skipped = f"failed: {type(error).__name__}: {error}"
        if not newsroom_skipped:
            spikes["newsroom"] = run.newsroom_spike
    except KeyboardInterrupt:
        _say("interrupted: stopping the servers")
        return 130
    finally:
        run.servers.stop_all()
    medians = {key: report.median_of(results) for key, results in run.results.items()}
    hit_key = "nginxhit_c32" if "nginxhit_c32" in medians else "djangohit_c32"
    _say()
    report.table_print(run.table_rows(medians), out=_say)
    _say()
    for note in run.notes:
        _say(f"note: {note}")
    if newsroom_skipped:
        _say(f"note: newsroom tier not measured: {newsroom_skipped}")
    _say(f"note: hit_vs_nginx uses {hit_key}; elapsed {time.monotonic() - started:.0f} s")
    extra = {
        "hit_source": "nginx proxy_cache" if hit_key.startswith("nginx") else "Django page cache",
        "rates": {key: float(f"{m['rate']:.3g}") for key, m in medians.items()},
        "rounds": cfg.rounds,
        "seconds": cfg.seconds,
        "quick": cfg.quick,
    }
    if baseline is not None:
        extra["baseline"] = {"revision": baseline.revision, "commit": baseline.commit}
    figures = report.figures(
        medians, spikes, extra, hit_key=hit_key, newsroom_skipped=newsroom_skipped
    )
    _say(report.json_line(figures))
    return 1 if failed else 0
