"""The article page served from the page cache (hit) and rendered (miss), side by side.

    .venv/bin/python -m bench.pagecache_bench [COMMENTS...]    (default: 100 1000)

Uses its own SQLite test database (kept in the data directory) and the test settings' cache
(local memory; Redis when REDIS_URL is set). For each thread size it fills one article's
discussion, then drives the full middleware stack through Django's test client, one request
at a time: a miss outdates the article's page before each request, a hit does not. Prints
requests/s and p50/p99 ms for both, and the hit/miss ratio. The comparison through gunicorn,
nginx and Isso under load is ``make bench`` (issue 8, later part).
"""

import logging
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.test")
os.environ.setdefault("NEWSDESK_TEST_DB", "bench-pagecache.sqlite3")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SECONDS_PER_CASE = float(os.environ.get("BENCH_SECONDS", "3"))


def _drive(client: Client, url: str, *, before=None) -> tuple[int, list[float], set[str]]:
    timings, statuses = [], set()
    deadline = time.perf_counter() + SECONDS_PER_CASE
    while time.perf_counter() < deadline or len(timings) < 5:
        if before is not None:
            before()
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        statuses.add(response["X-Page-Cache"])
    return len(timings), timings, statuses


def _figures(timings: list[float]) -> tuple[float, float, float]:
    ordered = sorted(timings)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return len(timings) / sum(timings), statistics.median(ordered) * 1000, p99 * 1000


def main(sizes: list[int]) -> None:
    from bench.discussion_thread import _fill
    from newsdesk.pagecache import page_tag, pages_invalidate
    from tests.support.factories import make_article, make_section

    logging.getLogger("newsdesk.pagecache").setLevel(logging.WARNING)  # one purge a miss
    setup_test_environment()
    connection.creation.create_test_db(keepdb=True, verbosity=0)
    settings.PAGECACHE_CLOCK_MARGIN = 0
    article = make_article(section=make_section("Bench"), title="Bench article")
    url = article.url
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"page cache on {backend}, Django test client, one request at a time")
    print(
        f"{'comments':>9} {'page KB':>8} {'miss req/s':>11} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'hit req/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'hit/miss':>9}"
    )
    for size in sizes:
        _fill(article, size)
        cache.clear()
        client = Client()
        page_kb = len(client.get(url).content) / 1024

        def outdate():
            pages_invalidate(tags=[page_tag(article.pk)])

        _, miss_t, miss_s = _drive(client, url, before=outdate)
        _, hit_t, hit_s = _drive(client, url)
        assert miss_s == {"miss"} and hit_s == {"hit"}, (miss_s, hit_s)
        miss, hit = _figures(miss_t), _figures(hit_t)
        print(
            f"{size:>9} {page_kb:>8.0f} {miss[0]:>11.1f} {miss[1]:>7.1f} {miss[2]:>7.1f}"
            f" {hit[0]:>10.1f} {hit[1]:>7.2f} {hit[2]:>7.2f} {hit[0] / miss[0]:>8.0f}x"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 1000])
