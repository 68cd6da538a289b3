"""How long a thread page takes to load and render, by thread size (prints figures).

    .venv/bin/python -m bench.discussion_thread [SIZES...]

Uses its own SQLite test database (kept between runs in the data directory), fills one
article's thread with N comments (a third top-level, the rest replies up to 8 deep), then
times the fetch (``thread_page_get``: queries and tree) and the HTML render of the whole
thread on one page. Time per comment should stay flat as N grows: linear in the size.
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.test")
os.environ.setdefault("NEWSDESK_TEST_DB", "bench-discussion.sqlite3")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def _fill(article, size: int) -> None:

    from newsdesk.discussion.models import Comment, Thread

    Thread.objects.filter(article=article).delete()
    thread = Thread.objects.create(article=article)
    now = timezone.now()
    tops = Comment.objects.bulk_create(
        Comment(thread=thread, depth=1, guest_name=f"Reader {i}", created_at=now,
                body_source="A *comment* with [a link](https://example.org).",
                body_html='<p>A <em>comment</em> with <a href="https://example.org" '
                          'rel="nofollow ugc noopener">a link</a>.</p>')
        for i in range(max(1, size // 3))
    )  # fmt: skip
    made, parents = len(tops), [Comment.objects.get(pk=t.pk) for t in tops]
    while made < size:
        batch = [
            Comment(thread=thread, parent=p, root_id=p.root_key, depth=p.depth + 1,
                    guest_name="Replier", created_at=now, body_source="Reply.",
                    body_html="<p>Reply.</p>")
            for p in parents[: size - made]
        ]  # fmt: skip
        parents = [c for c in Comment.objects.bulk_create(batch) if c.depth < 8] or tops
        made += len(batch)


def main(sizes: list[int]) -> None:
    from newsdesk.discussion import conf
    from newsdesk.discussion.readers import Reader
    from newsdesk.discussion.selectors import thread_page_get
    from tests.support.factories import make_article, make_section

    setup_test_environment()
    connection.creation.create_test_db(keepdb=True, verbosity=0)
    conf.DISCUSSION_PAGE_SIZE = max(sizes)
    article = make_article(section=make_section("Bench"), title="Bench article")
    reader = Reader(guest_key="bench")
    print(f"{'comments':>9} {'queries':>8} {'fetch ms':>9} {'render ms':>10} {'µs/comment':>11}")
    for size in sizes:
        _fill(article, size)
        best_fetch = best_render = float("inf")
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                page = thread_page_get(article=article, reader=reader, sort="oldest")
                fetched = time.perf_counter()
            render_to_string(
                "discussion/comment_list.html", {"nodes": page.nodes, "thread_open": True}
            )
            rendered = time.perf_counter()
            best_fetch = min(best_fetch, fetched - start)
            best_render = min(best_render, rendered - fetched)
        total = best_fetch + best_render
        print(
            f"{size:>9} {len(queries):>8} {best_fetch * 1000:>9.1f} {best_render * 1000:>10.1f} "
            f"{total / size * 1e6:>11.0f}"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 1000, 5000])
