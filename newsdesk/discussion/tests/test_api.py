"""The JSON API at /api/: the same rules as the forms, errors as {"detail": ...}."""

import json

import pytest
from django.test import Client

from newsdesk.discussion.models import Comment, Vote
from newsdesk.discussion.services import comment_delete, thread_close
from newsdesk.discussion.tests.helpers import guest, member, post
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def _json(client, method, url, data=None, **headers):
    return getattr(client, method)(
        url, data=json.dumps(data) if data is not None else None,
        content_type="application/json", **headers,
    )  # fmt: skip


def test_fetch_a_thread_nested_without_email_addresses(client, article):
    top = post(article, guest(), "Top", guest_email="hidden@example.org")
    post(article, member("bee", email="bee@example.org"), "Reply", parent=top)
    response = client.get(f"/api/threads/{article.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["comment_count"] == 2 and data["is_open"]
    assert data["comments"][0]["replies"][0]["author"] == "bee"
    assert "@example.org" not in response.content.decode()
    assert client.get("/api/threads/999999").status_code == 404


def test_guest_posts_then_edits_and_deletes_with_the_returned_token(article):
    client = Client()
    created = _json(client, "post", f"/api/threads/{article.pk}/comments",
                    {"body": "From the API", "name": "Api Guest"})  # fmt: skip
    assert created.status_code == 201
    token = created.json()["guest_token"]
    comment_id = created.json()["comment"]["id"]
    headers = {"HTTP_X_GUEST_TOKEN": token}
    edited = _json(client, "patch", f"/api/comments/{comment_id}", {"body": "Edited"}, **headers)
    assert edited.status_code == 200 and edited.json()["edited_at"]
    stranger = _json(client, "patch", f"/api/comments/{comment_id}", {"body": "Mine"},
                     HTTP_X_GUEST_TOKEN="someone-else")  # fmt: skip
    assert stranger.status_code == 403 and stranger.json()["detail"]
    assert client.delete(f"/api/comments/{comment_id}", **headers).json()["status"] == "deleted"
    assert Comment.objects.get().body_source == "Edited"


@pytest.mark.parametrize(
    ("payload", "status", "detail"),
    [
        ({"body": "", "name": "A"}, 400, "Write something"),
        ({"body": "x" * 50_000, "name": "A"}, 400, "at most"),
        ({"body": "No name"}, 400, "name"),
        ({"body": "To nowhere", "name": "A", "parent_id": 987654}, 404, "does not exist"),
    ],
)
def test_bad_posts_are_refused_and_write_nothing(client, article, payload, status, detail):
    response = _json(client, "post", f"/api/threads/{article.pk}/comments", payload)
    assert response.status_code == status
    assert detail in response.json()["detail"]
    assert not Comment.objects.exists()


def test_replies_to_deleted_foreign_or_closed_are_refused(client, article):
    author = guest()
    deleted = post(article, author, "Gone")
    comment_delete(comment_id=deleted.pk, reader=author)
    other = make_article(section=article.get_parent().specific)
    foreign = post(other, guest(), "Foreign")
    url = f"/api/threads/{article.pk}/comments"
    assert (
        _json(client, "post", url, {"body": "r", "name": "A", "parent_id": deleted.pk}).json()[
            "detail"
        ]
        == "You cannot reply to a deleted comment."
    )
    assert _json(client, "post", url, {"body": "r", "name": "A", "parent_id": foreign.pk}
                 ).status_code == 400  # fmt: skip
    thread_close(thread=deleted.thread)
    closed = _json(client, "post", url, {"body": "late", "name": "A"})
    assert closed.status_code == 403 and "closed" in closed.json()["detail"]
    assert Comment.objects.count() == 2


def test_vote_twice_is_a_conflict(article):
    comment = post(article, guest(), "Vote")
    client = Client()
    client.force_login(member("voter").user)
    # force_login skips CSRF for the test client unless enforced; the vote is counted once.
    first = _json(client, "post", f"/api/comments/{comment.pk}/votes", {"value": 1})
    second = _json(client, "post", f"/api/comments/{comment.pk}/votes", {"value": -1})
    assert first.status_code == 201 and first.json()["score"] == 1
    assert second.status_code == 409 and second.json()["detail"] == (
        "You have already voted on this comment."
    )
    assert Vote.objects.count() == 1
    bad = _json(client, "post", f"/api/comments/{comment.pk}/votes", {"value": 3})
    assert bad.status_code == 422


def test_session_writes_need_the_csrf_token(article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member("csrf").user)
    response = _json(client, "post", f"/api/threads/{article.pk}/comments", {"body": "Hi"})
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    client.get(article.url)  # the page sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    ok = _json(client, "post", f"/api/threads/{article.pk}/comments", {"body": "Hi"},
               HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert ok.status_code == 201 and ok.json()["guest_token"] is None


def test_openapi_document_lists_the_discussion_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/threads/{article_id}" in paths
    assert "/api/comments/{comment_id}/votes" in paths


@pytest.mark.parametrize("status", ["held", "rejected", "spam"])
def test_a_reply_to_a_hidden_comment_is_told_what_a_missing_id_is_told(client, article, status):
    """Nothing tells a stranger that a hidden comment exists: not its text, not its status."""
    hidden = post(article, guest(), "Waiting for a moderator.")
    Comment.objects.filter(pk=hidden.pk).update(status=status)
    other = make_article(section=article.get_parent().specific, title="Elsewhere")
    hidden_elsewhere = post(other, guest(), "Also waiting.")
    Comment.objects.filter(pk=hidden_elsewhere.pk).update(status=status)
    url = f"/api/threads/{article.pk}/comments"
    missing = _json(client, "post", url, {"body": "r", "name": "A", "parent_id": 2_000_000})
    for parent in (hidden, hidden_elsewhere):
        answer = _json(client, "post", url, {"body": "r", "name": "A", "parent_id": parent.pk})
        assert (answer.status_code, answer.json()) == (missing.status_code, missing.json())
    assert Comment.objects.count() == 2
