"""Where a comment post's time goes, stage by stage, without a profiler's distortion.

    .venv/bin/python -m bench.viral.post_stages [N]      (default 300; BENCH_QUICK=1 works)

In-process through Django's full middleware stack (the test client, CSRF enforced) on a
copy of the benchmark's site, as ``profile.py`` does, posting N comments of the benchmark's
own realistic texts to the posting article, each from a new guest and a third of them
replies. Each stage is a function wrapped with a wall-clock timer; stages nest (the gate
inside ``comment_create``), so the figures do not add up to the total. Prints milliseconds
per post and the SQL queries per post.
"""

import functools
import importlib
import json
import random
import sys
import time
from collections import Counter

from bench.viral.profile import _setup
from bench.viral.texts import comment_text

# (module, attribute or Class.method, what it is)
STAGES = [
    ("newsdesk.discussion.api", "rate_limit_check", "rate limit (per address and account)"),
    ("newsdesk.discussion.api", "_article", "the article: live, public, open"),
    ("newsdesk.discussion.api", "_writer", "CSRF check and the guest's key"),
    ("newsdesk.discussion.api", "comment_create", "comment_create (the service, all of it)"),
    ("newsdesk.discussion.services.comments", "posting_place_get", "  the thread's row"),
    ("newsdesk.discussion.services.comments", "_parent_for_reply", "  the parent's row (replies)"),
    ("newsdesk.discussion.services.comments", "comment_assess", "  the gate (bans, signals)"),
    ("newsdesk.moderation.scoring", "signals_run", "    every signal's score"),
    ("newsdesk.moderation.signals.learned", "class_probabilities_fill", "      learned model"),
    ("newsdesk.moderation.signals.offensive", "profanity_fill", "      profanity model"),
    ("newsdesk.moderation.signals.hate", "score", "      hate: slurs, tropes, groups"),
    ("newsdesk.moderation.signals.abuse", "score", "      abuse: insults, threats"),
    ("newsdesk.moderation.signals.spam", "score", "      spam, all of it"),
    ("newsdesk.moderation.signals.spam", "_behaviour_findings", "        repeats, rate"),
    ("newsdesk.moderation.signals.spam", "_posting_rate_exceeded", "          posting rate"),
    ("newsdesk.moderation.selectors", "comments_with_text_count", "          same text lately"),
    ("newsdesk.discussion.services.comments", "markdown_to_html", "  Markdown and nh3"),
    ("newsdesk.discussion.models", "Comment.save", "  INSERT of the comment"),
    ("django.db.models.query", "QuerySet.update", "  UPDATEs (a top-level comment's root)"),
    ("newsdesk.discussion.services.comments", "comment_assessed_notify", "  audit log, cache"),
    ("newsdesk.moderation.services", "decision_automatic_record", "    audit row"),
    ("newsdesk.pagecache.tags", "pages_invalidate", "    page tags"),
    ("django.db.transaction", "Atomic.__exit__", "  COMMIT"),
    ("newsdesk.discussion.api", "_comment_out", "the answer's JSON"),
]


def _wrap(totals: Counter, module_name: str, name: str) -> None:
    module = importlib.import_module(module_name)
    owner, attribute = module, name
    if "." in name:
        class_name, attribute = name.split(".")
        owner = getattr(module, class_name)
    original = getattr(owner, attribute)

    @functools.wraps(original)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[(module_name, name)] += time.perf_counter() - started

    setattr(owner, attribute, timed)


def main(count: int) -> None:
    state = _setup()
    from django.db import connection
    from django.test import Client

    totals: Counter = Counter()
    for module_name, name, _ in STAGES:
        _wrap(totals, module_name, name)
    article_id = state["threads"]["posting"]["article_id"]
    client = Client(enforce_csrf_checks=True)
    client.get("/donate/")
    token = client.cookies["csrftoken"].value
    rng = random.Random(8)

    def post(n: int, parent: int | None) -> int:
        client.cookies.pop("newsdesk_guest", None)  # a new guest each time, as in a crowd
        body = {"body": f"{comment_text(rng)}\n\n(ref stage{n})", "name": "P", "parent_id": parent}
        response = client.post(
            f"/api/threads/{article_id}/comments", json.dumps(body),
            content_type="application/json", headers={"X-CSRFToken": token},
        )  # fmt: skip
        assert response.status_code == 201, response.content
        return response.json()["comment"]["id"]

    parent = post(-1, None)
    for n in range(20):  # warm every path once
        post(-2 - n, parent if n % 3 == 2 else None)
    totals.clear()
    queries = 0

    def counted(execute, sql, params, many, context):
        # A wrapper, not CaptureQueriesContext: its debug cursor formats every statement.
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started, cpu = time.perf_counter(), time.process_time()
    for n in range(count):
        with connection.execute_wrapper(counted):
            post(n, parent if n % 3 == 2 else None)
    wall = (time.perf_counter() - started) / count * 1000
    cpu = (time.process_time() - cpu) / count * 1000
    per_post = queries / count
    print(f"{count} posts: {wall:.2f} ms wall, {cpu:.2f} ms CPU, {per_post:.1f} queries a post")
    for module_name, name, label in STAGES:
        print(f"  {totals[(module_name, name)] / count * 1000:6.2f} ms  {label}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
