"""Query budgets: the article page and the thread API cost the same queries whatever the
size of the thread and of the site, and none of them reads the whole comments table."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.core.processcache import process_caches_clear
from newsdesk.discussion.models import Comment, Thread
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

# The whole article page (Wagtail's routing, the article, the slots, the discussion) and the
# thread API, on a cache miss with this process's copies forgotten too: the worst case, and
# the same whatever the time between requests (a copy is checked again after a second).
PAGE_QUERIES = 26
API_QUERIES = 10


def _fill(article, count: int) -> None:
    """``count`` comments: a third top-level, the rest replies nested up to 8 deep."""
    thread = Thread.objects.create(article=article)
    now = timezone.now()
    tops = Comment.objects.bulk_create(
        Comment(thread=thread, depth=1, guest_name=f"Reader {i}", body_source="Hello.",
                body_html="<p>Hello.</p>", created_at=now)
        for i in range(max(1, count // 3))
    )  # fmt: skip
    parents, made = list(Comment.objects.filter(thread=thread)), len(tops)
    while made < count:
        batch = [
            Comment(thread=thread, parent=p, root_id=p.root_key, depth=p.depth + 1,
                    guest_name="Replier", body_source="Reply.", body_html="<p>Reply.</p>",
                    created_at=now)
            for p in parents[: count - made]
        ]  # fmt: skip
        parents = [c for c in Comment.objects.bulk_create(batch) if c.depth < 8] or tops
        made += len(batch)


def _requests(client, article) -> list[tuple[str, list[str]]]:
    """The page (a cache miss) and the API's thread, with the SQL each ran."""
    out = []
    for url in (article.url, f"/api/threads/{article.pk}"):
        cache.clear()
        process_caches_clear()  # every request pays for the article's lookup
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        out.append((url, [query["sql"] for query in queries.captured_queries]))
    return out


# What a search of one thread's comments may be constrained by: the thread, a root, a parent
# or the comments' ids. Anything else ("status=?") reads that status across the whole site.
_THREAD_BOUND = re.compile(r"\b(?:thread_id|root_id|parent_id|rowid|id)[=>< ]")


def _comment_scans(sql_list: list[str]) -> list[str]:
    """The SQLite plans that read discussion_comment without searching an index, or, for a
    query about one thread, by an index that does not narrow it to that thread."""
    scans = []
    with connection.cursor() as cursor:
        for sql in sql_list:
            if "discussion_comment" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            aliases = {"discussion_comment", *re.findall(r'"discussion_comment" (U\d+)', sql)}
            about_a_thread = '"discussion_comment"."thread_id" =' in sql
            for row in cursor.fetchall():
                words = row[-1].split()
                if len(words) < 2 or words[1] not in aliases:
                    continue
                # "SCAN t" reads every row, "SCAN t USING (COVERING) INDEX" every index entry.
                searched_site_wide = (
                    words[0] == "SEARCH"
                    and about_a_thread
                    and not _THREAD_BOUND.search(row[-1].partition("(")[2])
                )
                if words[0] == "SCAN" or searched_site_wide:
                    scans.append(f"{row[-1]}  <-  {sql[:300]}")
    return scans


def test_page_and_api_cost_the_same_queries_for_10_or_2000_comments_and_a_busy_site(
    client, article, section, django_assert_max_num_queries
):
    _fill(article, 10)
    _requests(client, article)  # the first request fills per-process caches (site roots...)
    small = _requests(client, article)

    Thread.objects.filter(article=article).delete()
    _fill(article, 2000)
    cache.clear()
    process_caches_clear()
    with django_assert_max_num_queries(PAGE_QUERIES):
        page = client.get(article.url)
    assert page.status_code == 200
    assert page.content.decode().count('class="comment') >= 20  # the first page is there
    cache.clear()
    process_caches_clear()
    with django_assert_max_num_queries(API_QUERIES):
        assert client.get(f"/api/threads/{article.pk}").status_code == 200
    large = _requests(client, article)

    _fill(make_article(section=section, title="Elsewhere, a busy story"), 5000)
    busy_site = _requests(client, article)

    for (url, few), (_, many), (_, busy) in zip(small, large, busy_site, strict=True):
        assert len(few) == len(many) == len(busy), url


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
def test_no_query_of_the_page_or_the_api_scans_the_comments_table(client, article, section):
    _fill(article, 300)
    _fill(make_article(section=section, title="Elsewhere, a busy story"), 300)
    for url, sql_list in _requests(client, article):
        assert _comment_scans(sql_list) == [], url


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
def test_posting_through_the_full_gate_scans_no_comments_table(client, article, monkeypatch):
    """A post runs moderation's assessor too (bans, the identical-text count, trust)."""
    from wagtail import hooks

    from newsdesk.core.hooks import COMMENT_ASSESS
    from newsdesk.moderation.wagtail_hooks import assess_comment

    monkeypatch.setitem(hooks._hooks, COMMENT_ASSESS, [(assess_comment, 0)])
    _fill(make_article(section=article.get_parent().specific, title="Elsewhere"), 300)
    body = "A long enough comment to be compared with the recent ones, about the rivers."
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/api/threads/{article.pk}/comments",
            {"body": body, "name": "Ann"},
            content_type="application/json",
            REMOTE_ADDR="10.9.8.7",
        )
    assert response.status_code == 201, response.content
    sql_list = [query["sql"] for query in queries.captured_queries]
    # The identical-text read ran (it is the one that could scan), and nothing scanned.
    assert any(sql.startswith("SELECT") and "body_digest" in sql for sql in sql_list)
    assert _comment_scans(sql_list) == []
