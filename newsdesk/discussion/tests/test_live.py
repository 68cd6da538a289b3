"""Live threads: the shared live document (ETag, 304 without a query, outdated when a comment
is published and not when one is held), the fragments "show them" inserts, and that a held
or rejected comment never appears in either."""

import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.core.processcache import process_caches_clear
from newsdesk.discussion.live import state
from newsdesk.discussion.live.selectors import FRAGMENTS_MAX
from newsdesk.discussion.live.state import RECENT_MAX
from newsdesk.discussion.models import CommentStatus
from newsdesk.discussion.pipeline import Assessment, Verdict
from newsdesk.discussion.services.staff import comment_status_set, thread_close
from newsdesk.discussion.tests.helpers import guest, post
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

HELD_TEXT = "Held words that only moderators may read."
REJECTED_TEXT = "Rejected words that nobody may read."


@pytest.fixture(autouse=True)
def _no_clock_margin(monkeypatch):
    """A document built within the margin after a change is built again at the next poll
    (15 s later on a real page); in a test the next request comes at once."""
    monkeypatch.setattr(state, "CHANGE_MARGIN_SECONDS", 0.0)


@pytest.fixture
def article():
    return make_article(title="Live story")


def _live(client, article, **headers):
    return client.get(f"/discussion/articles/{article.pk}/live", **headers)


def _document(client, article) -> dict:
    response = _live(client, article)
    assert response.status_code == 200
    return json.loads(response.content)


def _post_with(verdict, article, body, **kw):
    def assess(candidate):
        return Assessment(verdict=verdict, reasons=["for a test"])

    with hooks.register_temporarily(newsdesk_hooks.COMMENT_ASSESS, assess):
        return post(article, guest(), body, **kw)


def test_the_document_lists_published_comments_with_parents_and_authors(client, article):
    first = post(article, guest(), "First.", name="Ada")
    reply = post(article, guest(), "A reply.", name="Bo", parent=first)

    response = _live(client, article)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=5" in response["Cache-Control"]
    assert response["ETag"].startswith('"')
    document = json.loads(response.content)
    assert document["article"] == article.pk
    assert document["count"] == 2
    assert [(c["id"], c["parent"], c["author"]) for c in document["comments"]] == [
        (first.pk, None, "Ada"),
        (reply.pk, first.pk, "Bo"),
    ]
    assert document["comments"][0]["at"] <= document["comments"][1]["at"]


def test_a_revalidation_with_the_etag_is_a_304_without_any_query(
    client, article, django_assert_num_queries
):
    post(article, guest(), "First.")
    etag = _live(client, article)["ETag"]

    with django_assert_num_queries(0):
        response = _live(client, article, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert "public" in response["Cache-Control"]
    assert response.content == b""


def test_a_stale_etag_gets_the_new_document(client, article):
    etag = _live(client, article)["ETag"]
    post(article, guest(), "Published after the first poll.")

    response = _live(client, article, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert json.loads(response.content)["count"] == 1


def test_publishing_a_comment_outdates_the_document_at_once(client, article):
    before = _document(client, article)
    comment = post(article, guest(), "New.")

    after = _document(client, article)

    assert before["comments"] == []
    assert [c["id"] for c in after["comments"]] == [comment.pk]


def test_a_held_comment_outdates_nothing_and_is_never_in_the_document(
    client, article, django_assert_num_queries
):
    post(article, guest(), "Published.")
    etag = _live(client, article)["ETag"]

    held = _post_with(Verdict.HOLD, article, HELD_TEXT)

    assert held.status == CommentStatus.HELD
    with django_assert_num_queries(0):  # still the cached document: nothing was outdated
        response = _live(client, article, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    cache.clear()
    process_caches_clear()
    document = _document(client, article)
    assert document["count"] == 1
    assert held.pk not in [c["id"] for c in document["comments"]]


def test_approving_a_held_comment_announces_it(client, article):
    held = _post_with(Verdict.HOLD, article, HELD_TEXT)
    before = _document(client, article)

    comment_status_set(comment=held, status=CommentStatus.PUBLISHED)

    assert held.pk not in [c["id"] for c in before["comments"]]
    assert held.pk in [c["id"] for c in _document(client, article)["comments"]]


def test_held_and_rejected_text_never_reaches_the_fragments(client, article):
    shown = post(article, guest(), "Shown words.")
    held = _post_with(Verdict.HOLD, article, HELD_TEXT)
    rejected = _post_with(Verdict.REJECT, article, REJECTED_TEXT)
    assert rejected.status == CommentStatus.REJECTED

    response = client.get(
        f"/discussion/articles/{article.pk}/live/comments",
        {"ids": f"{shown.pk},{held.pk},{rejected.pk}"},
    )

    assert response.status_code == 200
    body = json.loads(response.content)
    assert [c["id"] for c in body["comments"]] == [shown.pk]
    assert "Shown words." in body["comments"][0]["html"]
    assert f'id="c{shown.pk}"' in body["comments"][0]["html"]
    assert HELD_TEXT not in response.content.decode()
    assert REJECTED_TEXT not in response.content.decode()
    live = _live(client, article).content.decode()
    assert str(held.pk) not in [str(c["id"]) for c in json.loads(live)["comments"]]


def test_fragments_leave_out_other_threads_comments(client, article):
    other = post(make_article(title="Another story"), guest(), "Elsewhere.")

    response = client.get(
        f"/discussion/articles/{article.pk}/live/comments", {"ids": str(other.pk)}
    )

    assert response.status_code == 200
    assert json.loads(response.content) == {"comments": []}


@pytest.mark.parametrize(
    "ids",
    ["", "abc", "1,,x", "-3", "0", "1.5", "9" * 30, ",".join(["1"] * (FRAGMENTS_MAX + 1))],
)
def test_bad_ids_get_a_clear_400(client, article, ids):
    response = client.get(f"/discussion/articles/{article.pk}/live/comments", {"ids": ids})

    assert response.status_code == 400
    assert "ids must list" in json.loads(response.content)["detail"]


def test_no_live_answer_for_an_article_that_is_not_live(client, article):
    article.unpublish()
    process_caches_clear()

    assert _live(client, article).status_code == 404
    assert client.get("/discussion/articles/999999/live").status_code == 404


@override_settings(DISCUSSION_LIVE_POLL_SECONDS=0)
def test_live_threads_off_draws_no_bar_and_answers_404(client, article):
    assert _live(client, article).status_code == 404
    assert b'data-role="live"' not in client.get(article.url).content


def test_the_article_page_carries_the_live_region(client, article):
    page = client.get(article.url).content.decode()

    assert 'data-role="live"' in page
    assert f'data-live-url="/discussion/articles/{article.pk}/live"' in page
    assert 'data-live-poll="15"' in page
    assert 'role="status"' in page


def test_a_closed_thread_is_not_polled(client, article):
    comment = post(article, guest(), "Before closing.")
    thread_close(thread=comment.thread)

    assert b'data-role="live"' not in client.get(article.url).content


def test_the_document_is_bounded(client, article):
    for number in range(RECENT_MAX + 3):
        post(article, guest(), f"Comment number {number}.")

    document = _document(client, article)

    assert document["count"] == RECENT_MAX + 3
    assert len(document["comments"]) == RECENT_MAX
    assert document["bounded"] is True


def test_a_cold_answer_costs_a_fixed_number_of_queries(
    client, article, django_assert_max_num_queries, settings
):
    # The process keeps its copies however slow the posts below are: without this, a run
    # taking over a second would check the cleared generation token and forget them.
    settings.PROCESS_CACHE_CHECK_SECONDS = 3600
    for number in range(30):
        post(article, guest(), f"Comment number {number}.")
    _live(client, article)  # the process knows the article
    cache.clear()

    with django_assert_max_num_queries(2):
        assert _live(client, article).status_code == 200


def test_fragments_cost_a_fixed_number_of_queries(client, article, django_assert_max_num_queries):
    ids = [post(article, guest(), f"Comment number {n}.").pk for n in range(20)]
    _live(client, article)

    with django_assert_max_num_queries(2):
        response = client.get(
            f"/discussion/articles/{article.pk}/live/comments",
            {"ids": ",".join(map(str, ids))},
        )
    assert len(json.loads(response.content)["comments"]) == 20
