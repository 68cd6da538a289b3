"""Query budget of posting: a comment and a reply, by a guest and by a signed-in reader,
through the whole site (middleware, the API, the comment gate with moderation's signals, the
audit log), cost a fixed number of queries whatever the size of the thread and of the site.

Budgets as the GET pages have theirs (``test_query_budgets.py``); counted with Django's
``CaptureQueriesContext``, savepoints included. Each kind of post is made once before it is
counted, so per-process copies (moderation's settings, bans, model; the article's state) are
filled, as in a running server.
"""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.discussion.models import Comment, CommentStatus, Thread
from tests.support.factories import make_article, make_section

pytestmark = pytest.mark.django_db

# (who, what) -> at most this many queries for one post.
# A guest's comment: moderation's identical-text read; in a savepoint, the comment and the
# audit row (the thread comes from the process's copy, read once per article until a thread
# or a subscription changes: selectors_posting; a top-level comment is a root with no second
# write). A reply reads its parent first. A signed-in reader adds the session, the account,
# and the count of their published comments.
POST_BUDGETS = {
    ("guest", "comment"): 5,
    ("guest", "reply"): 6,
    ("signed in", "comment"): 8,
    ("signed in", "reply"): 9,
}
_numbers = itertools.count(1)


def _grow(thread: Thread, comments: int) -> None:
    """``comments`` more published comments in ``thread``: half top-level, half replies."""
    now = timezone.now()
    tops = Comment.objects.bulk_create(
        Comment(thread=thread, depth=1, guest_name=f"Reader {i}", created_at=now,
                body_source="A view.", body_html="<p>A view.</p>")
        for i in range(comments // 2)
    )  # fmt: skip
    Comment.objects.bulk_create(
        Comment(thread=thread, parent=top, root_id=top.pk, depth=2, created_at=now,
                guest_name="Replier", body_source="A reply.", body_html="<p>A reply.</p>")
        for top in tops
    )  # fmt: skip


def _post(article, parent: Comment, who: str, what: str) -> list[str]:
    """One post (a new reader each time, from an address of its own), and its SQL."""
    number = next(_numbers)
    client = Client()
    if who == "signed in":
        user = get_user_model().objects.create_user(
            username=f"poster{number}", email=f"poster{number}@example.org", password="x" * 12
        )
        client.force_login(user)
    body = {
        # Long enough for moderation's identical-text count to run; a text of its own.
        "body": f"The water board's figures for the plain, read a second time ({number}).",
        "name": "Ann",
        "parent_id": parent.pk if what == "reply" else None,
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/api/threads/{article.pk}/comments",
            body,
            content_type="application/json",
            REMOTE_ADDR=f"10.{number // 250 % 250}.{number % 250}.7",
        )
    assert response.status_code == 201, response.content
    assert response.json()["comment"]["status"] == CommentStatus.PUBLISHED
    return [query["sql"] for query in queries.captured_queries]


def _costs(article, parent: Comment) -> dict[tuple[str, str], list[str]]:
    return {case: _post(article, parent, *case) for case in POST_BUDGETS}


def test_posting_keeps_its_query_budget_at_any_size():
    section = make_section("World")
    article = make_article(section=section, title="Rivers run dry across the plain")
    thread = Thread.objects.create(article=article)
    _grow(thread, 10)
    parent = Comment.objects.filter(thread=thread, depth=1).first()
    _costs(article, parent)  # each path once: per-process copies filled

    small = _costs(article, parent)
    _grow(thread, 1000)
    busy = make_article(section=section, title="Elsewhere, a busy story")
    _grow(Thread.objects.create(article=busy), 1000)
    _costs(article, parent)  # a new article outdated the copies of the articles' state
    large = _costs(article, parent)

    for case, budget in POST_BUDGETS.items():
        sql = "\n".join(small[case])
        assert len(small[case]) <= budget, f"{case}: {len(small[case])} queries\n{sql}"
        assert len(small[case]) == len(large[case]), case
