"""What posting a comment costs, end to end through the API (prints figures).

    .venv/bin/python -m bench.comment_post [POSTS]          (default 300)
    BENCH_PROFILE=1 .venv/bin/python -m bench.comment_post   (adds the top of a profile)
    BENCH_TEXTS=unseen ...   (only the random holdout's and the independent set's texts, e.g.
                              with MODERATION_ONNX_MODEL naming a fine-tuned model)

Uses its own SQLite test database (kept between runs in the data directory). Posts POSTS
comments one at a time through Django's test client to ``POST /api/threads/<id>/comments``:
the middleware stack, the rate limit, the guest's token, validation, Markdown and nh3, the
comment gate (bans, every moderation signal, the policy), the insert, the page cache's
invalidation and what runs on commit (the audit log, notifications). The texts are the
labelled comments of moderation's data (so some are held or rejected), a third of them
replies, each from its own address as in a crowd. Prints posts/s, p50/p99 ms and the CPU
time per post (the figure least moved by other load on a shared machine).
"""

import cProfile
import json
import os
import pstats
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.test")
os.environ.setdefault("NEWSDESK_TEST_DB", "bench-comment-post.sqlite3")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(count: int) -> None:
    import logging

    from newsdesk.moderation.labelled import (
        HOLDOUT_SET,
        INDEPENDENT_SET,
        labelled_examples_read,
        labelled_training_files,
    )
    from tests.support.factories import make_article, make_section

    logging.getLogger("newsdesk").setLevel(logging.WARNING)
    setup_test_environment()
    connection.creation.create_test_db(keepdb=True, verbosity=0)
    article = make_article(section=make_section("Bench"), title="Bench article")
    url = f"/api/threads/{article.pk}/comments"
    # BENCH_TEXTS=unseen: only texts no model is trained on (a model of moderation_finetune
    # looks its training texts' held-out scores up instead of running).
    unseen = os.environ.get("BENCH_TEXTS") == "unseen"
    paths = (HOLDOUT_SET, INDEPENDENT_SET) if unseen else (*labelled_training_files(), HOLDOUT_SET)
    texts = [example.text for path in paths for example in labelled_examples_read(path=path)]
    client = Client()
    first = client.post(
        url,
        json.dumps({"body": "Warming up.", "name": "Bench"}),
        content_type="application/json",
        REMOTE_ADDR="10.255.0.1",
    )
    assert first.status_code == 201, first.content
    token = first.json()["guest_token"]
    parent_id = first.json()["comment"]["id"]

    def post(i: int) -> int:
        payload = {"body": texts[i % len(texts)], "name": f"Reader {i % 97}"}
        if i % 3 == 2:
            payload["parent_id"] = parent_id
        response = client.post(
            url,
            json.dumps(payload),
            content_type="application/json",
            REMOTE_ADDR=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
            HTTP_X_GUEST_TOKEN=token,
        )
        assert response.status_code == 201, (response.status_code, response.content)
        return response.status_code

    offset = int(time.time()) % 1000 * 1000  # fresh addresses each run: no rate limit left over
    timings = []
    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    for i in range(count):
        start = time.perf_counter()
        post(offset + i)
        timings.append((time.perf_counter() - start) * 1000)
    wall_s = time.perf_counter() - wall_start
    cpu_ms = (time.process_time() - cpu_start) / count * 1000
    print(f"posts: {count} through the API, Django test client, one at a time")
    print(
        f"{count / wall_s:.0f} posts/s, p50 {statistics.median(timings):.2f} ms, "
        f"p99 {_percentile(timings, 0.99):.2f} ms, max {max(timings):.2f} ms; "
        f"CPU {cpu_ms:.2f} ms per post"
    )
    if os.environ.get("BENCH_PROFILE"):
        profile = cProfile.Profile()
        profile.enable()
        for i in range(count, count + 200):
            post(offset + i)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
