"""How long polling a partner feed takes, by number of items (prints figures).

    .venv/bin/python -m bench.syndication_poll [ITEMS...]

Uses its own SQLite test database (kept between runs in the data directory) and the tests'
feed server on 127.0.0.1. For each size it serves a generated RSS feed of N stories (about
3 KB of HTML each) and times: fetch and parse alone; the first poll (N articles created,
published); a re-poll answered 304; a re-poll of the full body where every story is known.
The first poll is dominated by Wagtail's page creation (tree, revision, publish, search and
reference index), the re-polls by the fetch and one lookup per item.
"""

import os
import sys
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.test")
os.environ.setdefault("NEWSDESK_TEST_DB", "bench-syndication.sqlite3")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PARAGRAPH = (
    "<p>The council met on Tuesday to weigh the <a href='/budget'>budget</a> for the river "
    "works, with <em>three</em> options on the table and a vote expected next month.</p>"
)


def _feed(size: int, run: int) -> bytes:
    from newsdesk.syndication.tests.feeds import Story, rss

    start = datetime(2024, 1, 1, tzinfo=UTC)
    return rss(
        [
            Story(
                f"bench-{run}-{i}",
                f"Bench story {run}-{i}",
                f"https://partner.example/{run}/{i}",
                content=PARAGRAPH * 20,
                creator=f"Writer {i % 7}",
                published=start + timedelta(minutes=i),
            )
            for i in range(size)
        ]
    )


def main(sizes: list[int]) -> None:
    from django.conf import settings

    from newsdesk.articles.models import Outlet
    from newsdesk.syndication import conf
    from newsdesk.syndication.fetch import url_fetch
    from newsdesk.syndication.parsing import feed_parse, feed_type_allowed
    from newsdesk.syndication.services import source_create, source_poll
    from newsdesk.syndication.tests.feedserver import FeedServer
    from tests.support.factories import make_section

    setup_test_environment()
    connection.creation.create_test_db(keepdb=True, verbosity=0)
    settings.SYNDICATION_ENTRIES_PER_POLL = max(sizes)
    section = make_section("Bench")
    server = FeedServer().start()
    run = int(time.time())
    print(
        f"{'items':>6} {'fetch+parse ms':>15} {'import s':>9} {'ms/item':>8} {'queries/item':>13}"
        f" {'304 ms':>7} {'known ms':>9}"
    )
    try:
        for size in sizes:
            path = f"/feed-{run}-{size}.rss"
            url = server.add(path, body=_feed(size, run * 1000 + size))
            start = time.perf_counter()
            fetched = url_fetch(
                url=url,
                limits=conf.feed_fetch_limits(),
                accept="*/*",
                type_allowed=feed_type_allowed,
            )
            feed_parse(body=fetched.body, url=fetched.url, content_type=fetched.content_type)
            parse_ms = (time.perf_counter() - start) * 1000
            outlet = Outlet.objects.create(
                name=f"Bench {run}-{size}", site_url="https://partner.example/"
            )
            source = source_create(outlet=outlet, feed_url=url, section=section, mode="publish")
            queries = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(1)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                start = time.perf_counter()
                report = source_poll(source_id=source.pk)
                import_s = time.perf_counter() - start
            assert len(report.added) == size, report
            start = time.perf_counter()
            source_poll(source_id=source.pk)
            not_modified_ms = (time.perf_counter() - start) * 1000
            server.routes[path].validators = False
            start = time.perf_counter()
            known = source_poll(source_id=source.pk)
            known_ms = (time.perf_counter() - start) * 1000
            assert known.skipped == size, known
            print(
                f"{size:>6} {parse_ms:>15.1f} {import_s:>9.2f} {import_s / size * 1000:>8.0f} "
                f"{len(queries) / size:>13.0f} {not_modified_ms:>7.1f} {known_ms:>9.1f}"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10, 50, 200])
