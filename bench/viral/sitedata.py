"""The Newsdesk side of the data, run inside Django (a subprocess of the benchmark).

    python -m bench.viral.sitedata build '{"threads": {"1k": 1000, "10k": 10000}, "others": 50}'
    python -m bench.viral.sitedata add-others '{"total": 100000}'

Uses the settings of the environment (``NEWSDESK_DATA_DIR`` names the benchmark's site).
Comments are written with ``bulk_create`` and the fields ``comment_create`` would set for a
published guest comment (body rendered by the same ``markdown_to_html``; thread, parent,
root and depth right), with ids chosen up front so a whole tree goes in one pass. Prints
one JSON object (what was made) on its last line.
"""

import json
import os
import sys
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.viral.texts import GeneratedComment, thread_generate  # noqa: E402
from newsdesk.discussion.models import Comment, CommentStatus, Thread  # noqa: E402
from newsdesk.discussion.rendering import markdown_to_html  # noqa: E402

BATCH = 2000
SECTION_TITLE = "Viral bench"
ARTICLE_BODY = (
    "<p>The port authority signed a twenty-year lease with a shipping group that had been "
    "fined twice for the same dredging work, the documents obtained by our partner show.</p>"
    "<p>The lease was never put to tender. The authority says the urgency of the harbour "
    "repairs justified a direct award; the auditors' draft report disagrees.</p>"
    "<blockquote>We were told the figures would be published. They never were.</blockquote>"
    "<p>The council meets on Thursday. The opposition has asked for the annex to be read "
    "aloud, line by line.</p>"
)


def _next_id() -> int:
    return (Comment.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def comments_insert(*, thread: Thread, generated: list[GeneratedComment], start) -> int:
    """Insert a generated tree into ``thread``; returns the first id used."""
    first = _next_id()
    depth: dict[int, int] = {}
    root: dict[int, int] = {}  # the id of each comment's top-level comment
    html_of: dict[str, str] = {}
    rows = []
    for c in generated:
        pk = first + c.index
        if c.parent is None:
            depth[c.index], root[c.index], parent_id = 1, pk, None
        else:
            depth[c.index] = depth[c.parent] + 1
            root[c.index], parent_id = root[c.parent], first + c.parent
        html = html_of.get(c.text)
        if html is None:
            html = html_of[c.text] = markdown_to_html(c.text)
        created = start + timedelta(seconds=c.seconds)
        rows.append(
            Comment(
                pk=pk,
                thread=thread,
                parent_id=parent_id,
                root_id=None if c.parent is None else root[c.index],
                depth=depth[c.index],
                guest_name=c.author,
                body_source=c.text,
                body_html=html,
                status=CommentStatus.PUBLISHED,
                created_at=created,
                notified_at=created,
            )
        )
    with transaction.atomic():
        for i in range(0, len(rows), BATCH):
            Comment.objects.bulk_create(rows[i : i + BATCH])
    return first


def _start_ending(generated: list[GeneratedComment], *, hours_ago: float):
    """The start time that puts a thread's last comment ``hours_ago`` hours in the past
    (a comment is never dated in the future)."""
    last = generated[-1].seconds if generated else 0
    return timezone.now() - timedelta(hours=hours_ago, seconds=last)


def _article(section, title: str):
    from tests.support.factories import make_article

    return make_article(section=section, title=title, body=[("paragraph", ARTICLE_BODY)])


def build(*, threads: dict[str, int], others: int) -> dict:
    from tests.support.factories import make_section

    section = make_section(SECTION_TITLE)
    made = {}
    for key, size in threads.items():
        article = _article(section, f"Harbour lease: the {key} thread")
        thread = Thread.objects.create(article=article, title=article.title)
        generated = thread_generate(size)
        first = comments_insert(
            thread=thread, generated=generated, start=_start_ending(generated, hours_ago=1)
        )
        made[key] = {
            "article_id": article.pk,
            "path": article.url,
            "thread_id": thread.pk,
            "first_comment_id": first,
            "comments": size,
        }
    other_ids = []
    for n in range(others):
        article = _article(section, f"Another story, number {n + 1}")
        Thread.objects.create(article=article, title=article.title)
        other_ids.append(article.pk)
    return {"threads": made, "other_article_ids": other_ids}


def add_others(*, total: int) -> dict:
    """``total`` comments spread over the other articles' threads (not the measured ones)."""
    section_threads = list(
        Thread.objects.filter(
            article__title__startswith="Another story", comments__isnull=True
        ).order_by("pk")
    )
    per_thread = total // max(1, len(section_threads))
    for n, thread in enumerate(section_threads):
        generated = thread_generate(per_thread, seed=100 + n)
        start = _start_ending(generated, hours_ago=24 * (n + 2))
        comments_insert(thread=thread, generated=generated, start=start)
    return {"added": per_thread * len(section_threads), "threads": len(section_threads)}


def main(command: str, args: dict) -> None:
    if command == "build":
        result = build(threads=args["threads"], others=args["others"])
    elif command == "add-others":
        result = add_others(total=args["total"])
    else:
        raise SystemExit(f"unknown command {command}")
    connection.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}"))
