"""How long scoring a comment takes, as on posting; side by side with an earlier revision.

    .venv/bin/python -m bench.moderation_bench [COMMENTS]
    BENCH_BASELINE=<revision> .venv/bin/python -m bench.moderation_bench [COMMENTS]
    BENCH_ONNX_MODEL=<model.onnx> .venv/bin/python -m bench.moderation_bench [COMMENTS]

Every labelled comment of the training and held-out sets, cycled to COMMENTS (default 2000),
goes one at a time through the comment gate (``comment_assess``: every signal, the editors'
policy) as a guest comment from its own address, as the discussion app calls it when a
reader posts. Prints the cold start (imports, models loaded, the starter models trained or
read from the model cache), then comments per second and p50 / p99 / max milliseconds of
single comments once warm, the CPU time per comment (the figure least moved by other load on
a shared machine), each signal's own mean cost, and the throughput of batches of 100.

With ``BENCH_BASELINE`` (as for ``bench.viral``), the same measure runs on that revision's
work tree (checked out once under ``BENCH_DIR/baseline/``) with the same texts, in
alternating rounds, and both columns are printed side by side with today's / baseline's
ratio. With ``BENCH_ONNX_MODEL`` instead, today's tree is measured with that model as
``MODERATION_ONNX_MODEL`` (e.g. one written by ``moderation_finetune``) and without any,
side by side: what a newsroom's model costs per comment, on the texts no model was trained
on (a fine-tuned model only looks up its training texts' held-out scores). Each measure runs
in its own process on its own SQLite test database.
"""

import csv
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "newsdesk" / "moderation" / "data"
ROUNDS = 2


def _texts() -> list[str]:
    """Today's labelled texts (the same for both revisions), read as plain CSV; with
    ``BENCH_TEXTS=unseen``, only those no model is trained on (the random holdout and the
    independent set): a fine-tuned model looks its training texts up instead of running."""
    if os.environ.get("BENCH_TEXTS") == "unseen":
        paths = [DATA / "labelled_holdout.csv", DATA / "independent" / "comments.csv"]
    else:
        paths = [DATA / "labelled_tune.csv", DATA / "labelled_holdout.csv"]
        paths += sorted((DATA / "labelled").glob("*.csv"))
    texts = []
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            texts.extend(row["text"] for row in csv.DictReader(handle))
    return texts


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(count: int) -> dict:
    """Score ``count`` comments in this process, with whichever ``newsdesk`` is importable
    (today's, or the baseline's when its tree is first on the path); return the figures.

    Uses only what both revisions have: ``comment_assess``, ``comment_candidates_assess``,
    ``SIGNALS`` and ``prepare``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.test")
    os.environ.setdefault("NEWSDESK_TEST_DB", "bench-moderation.sqlite3")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from newsdesk.discussion.pipeline import CommentCandidate, comment_assess
    from newsdesk.moderation.scoring import comment_candidates_assess
    from newsdesk.moderation.signals import SIGNALS, prepare

    setup_test_environment()
    connection.creation.create_test_db(keepdb=True, verbosity=0)
    texts = _texts()
    candidates = [
        CommentCandidate(
            body=texts[i % len(texts)],
            thread_key=str(i % 50),
            author_name="Guest",
            ip_address=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
            submitted_after=30.0,
        )
        for i in range(count)
    ]
    start = time.perf_counter()
    comment_assess(candidate=candidates[0])
    cold_s = time.perf_counter() - start

    timings = []
    cpu_start = time.process_time()
    start_all = time.perf_counter()
    for candidate in candidates:
        start = time.perf_counter()
        comment_assess(candidate=candidate)
        timings.append((time.perf_counter() - start) * 1000)
    single_s = time.perf_counter() - start_all
    cpu_ms = (time.process_time() - cpu_start) / count * 1000

    per_signal = {}
    for signal in SIGNALS:
        if not getattr(signal, "enabled", lambda: True)():
            continue
        spent = []
        for candidate in candidates[:500]:
            prepared = prepare(candidate)
            prepared.memo["scores"] = {}  # what the combined signal reads of the others
            start = time.perf_counter()
            signal.score_many([prepared])
            spent.append((time.perf_counter() - start) * 1000)
        per_signal[signal.NAME] = round(statistics.mean(spent), 3)

    start = time.perf_counter()
    for offset in range(0, count, 100):
        comment_candidates_assess(candidates=candidates[offset : offset + 100])
    batch_s = time.perf_counter() - start
    return {
        "comments": count,
        "mean_chars": round(statistics.mean(len(c.body) for c in candidates)),
        "cold_s": round(cold_s, 2),
        "per_s": round(count / single_s),
        "p50_ms": round(_percentile(timings, 0.50), 3),
        "p99_ms": round(_percentile(timings, 0.99), 3),
        "max_ms": round(max(timings), 2),
        "cpu_ms": round(cpu_ms, 3),
        "batch_per_s": round(count / batch_s),
        "per_signal_ms": per_signal,
    }


def _measured_in_process(
    count: int, *, tree: Path, database: str, onnx_model: str | None = None
) -> dict:
    """``measure(count)`` in a new process whose ``newsdesk`` is the one in ``tree``; with
    ``onnx_model``, that process scores with it (``""``: with no model at all)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "NEWSDESK_TEST_DB": database,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.test",
    }
    if onnx_model is not None:
        env["MODERATION_ONNX_MODEL"] = onnx_model
        env["BENCH_TEXTS"] = "unseen"
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure", str(count)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"the measure in {tree} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _best(runs: list[dict]) -> dict:
    """Per figure, the best of the rounds (the least disturbed by other load)."""
    best = dict(runs[0])
    for run in runs[1:]:
        for key in ("cold_s", "p50_ms", "p99_ms", "max_ms", "cpu_ms"):
            best[key] = min(best[key], run[key])
        for key in ("per_s", "batch_per_s"):
            best[key] = max(best[key], run[key])
    return best


def _print_alone(figures: dict) -> None:
    print(f"comments: {figures['comments']} (mean {figures['mean_chars']} characters)")
    print(f"cold start (first comment, models loaded): {figures['cold_s']:.2f} s")
    print(
        f"single comments, as posted: {figures['per_s']} comments/s, "
        f"p50 {figures['p50_ms']:.2f} ms, p99 {figures['p99_ms']:.2f} ms, "
        f"max {figures['max_ms']:.2f} ms; CPU {figures['cpu_ms']:.2f} ms per comment"
    )
    print(
        "mean ms per signal, alone: "
        + ", ".join(f"{name} {ms:.2f}" for name, ms in figures["per_signal_ms"].items())
    )
    print(f"batches of 100: {figures['batch_per_s']} comments/s")


def _print_side_by_side(today: dict, baseline: dict, short: str) -> None:
    print(f"comments: {today['comments']} (mean {today['mean_chars']} characters), both trees")
    print(f"{'figure':<34}{'today':>12}{short:>12}{'ratio':>8}")
    for key, label in (
        ("cpu_ms", "CPU ms per comment"),
        ("p50_ms", "p50 ms"),
        ("p99_ms", "p99 ms"),
        ("per_s", "single comments per s"),
        ("batch_per_s", "batched comments per s"),
        ("cold_s", "cold start s"),
    ):
        ratio = today[key] / baseline[key] if baseline[key] else float("nan")
        print(f"{label:<34}{today[key]:>12}{baseline[key]:>12}{ratio:>8.2f}")
    names = list(dict.fromkeys([*today["per_signal_ms"], *baseline["per_signal_ms"]]))
    for name in names:
        mine = today["per_signal_ms"].get(name)
        theirs = baseline["per_signal_ms"].get(name)
        cells = (
            f"{mine if mine is not None else '-':>12}{theirs if theirs is not None else '-':>12}"
        )
        print(f"{'  signal ' + name + ' ms':<34}{cells}")
    print(json.dumps({"today": today, "baseline": {"commit": short, **baseline}}))


def _onnx_side_by_side(count: int, model: str) -> None:
    """Today's tree with ``model`` and without any model, in alternating rounds."""
    path = Path(model).expanduser().resolve()
    if not path.is_file():
        raise SystemExit(f"BENCH_ONNX_MODEL names {path}, which is not a file.")
    with_runs, without_runs = [], []
    for _ in range(ROUNDS):
        with_runs.append(
            _measured_in_process(
                count, tree=ROOT, database="bench-moderation-onnx.sqlite3", onnx_model=str(path)
            )
        )
        without_runs.append(
            _measured_in_process(
                count, tree=ROOT, database="bench-moderation.sqlite3", onnx_model=""
            )
        )
    print(f"today with {path.parent.name}/{path.name} against today without an ONNX model")
    _print_side_by_side(_best(with_runs), _best(without_runs), "no model")


def main(count: int) -> None:
    revision = os.environ.get("BENCH_BASELINE", "").strip()
    onnx_model = os.environ.get("BENCH_ONNX_MODEL", "").strip()
    if onnx_model and not revision:
        _onnx_side_by_side(count, onnx_model)
        return
    if not revision:
        _print_alone(_measured_in_process(count, tree=ROOT, database="bench-moderation.sqlite3"))
        return
    sys.path.insert(0, str(ROOT))
    from bench.viral.baseline import BaselineError, baseline_ensure

    bench_dir = Path(os.environ.get("BENCH_DIR", ROOT / "var" / "bench")).resolve()
    try:
        baseline = baseline_ensure(revision=revision, bench_dir=bench_dir, say=print)
    except BaselineError as error:
        raise SystemExit(str(error)) from error
    today_runs, baseline_runs = [], []
    for _ in range(ROUNDS):  # alternating, so a busy machine weighs on both alike
        today_runs.append(
            _measured_in_process(count, tree=ROOT, database="bench-moderation.sqlite3")
        )
        baseline_runs.append(
            _measured_in_process(
                count, tree=baseline.root, database="bench-moderation-baseline.sqlite3"
            )
        )
    _print_side_by_side(_best(today_runs), _best(baseline_runs), baseline.short)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
