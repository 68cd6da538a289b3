"""How long scoring a comment takes, as on posting (prints figures).

    .venv/bin/python -m bench.moderation_bench [COMMENTS]

Uses its own SQLite test database (kept between runs in the data directory). Every labelled
comment of the tuning and held-out sets, cycled to COMMENTS (default 2000), goes one at a
time through the comment gate (``comment_assess``: every signal, the editors' policy) as a
guest comment from its own address, as the discussion app calls it when a reader posts.
Prints the CPU time too: on a shared machine it is the figure least moved by other load.
Prints the cold start (imports, models loaded, the bootstrap model trained), then comments
per second and p50 / p99 / max milliseconds of single comments once warm, each signal's own
mean cost, and the throughput of scoring the same comments in batches of 100.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.test")
os.environ.setdefault("NEWSDESK_TEST_DB", "bench-moderation.sqlite3")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(count: int) -> None:
    from newsdesk.discussion.pipeline import CommentCandidate, comment_assess
    from newsdesk.moderation.scoring import comment_candidates_assess
    from newsdesk.moderation.selectors import HOLDOUT_SET, TUNING_SET, labelled_rows_read
    from newsdesk.moderation.signals import SIGNALS, prepare

    setup_test_environment()
    connection.creation.create_test_db(keepdb=True, verbosity=0)
    texts = [
        text for path in (TUNING_SET, HOLDOUT_SET) for text, _ in labelled_rows_read(path=path)
    ]
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
    mean_chars = statistics.mean(len(c.body) for c in candidates)

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
        spent = []
        for candidate in candidates[:500]:
            prepared = prepare(candidate)
            start = time.perf_counter()
            signal.score_many([prepared])
            spent.append((time.perf_counter() - start) * 1000)
        per_signal[signal.NAME] = statistics.mean(spent)

    start = time.perf_counter()
    for offset in range(0, count, 100):
        comment_candidates_assess(candidates=candidates[offset : offset + 100])
    batch_s = time.perf_counter() - start

    print(f"comments: {count} (mean {mean_chars:.0f} characters), CPUs: {os.cpu_count()}")
    print(f"cold start (first comment, models loaded): {cold_s:.2f} s")
    print(
        f"single comments, as posted: {count / single_s:.0f} comments/s, "
        f"p50 {_percentile(timings, 0.50):.2f} ms, p99 {_percentile(timings, 0.99):.2f} ms, "
        f"max {max(timings):.2f} ms; CPU {cpu_ms:.2f} ms per comment"
    )
    print(
        "mean ms per signal, alone: "
        + ", ".join(f"{name} {ms:.2f}" for name, ms in per_signal.items())
    )
    print(f"batches of 100: {count / batch_s:.0f} comments/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
