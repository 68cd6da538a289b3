"""One write protocol: the page's script writes through the JSON API, the forms serve readers
without JavaScript, and both give the same refusal the same status and the same words."""

import html
from pathlib import Path

import pytest
from django.test import Client

import newsdesk.discussion
from newsdesk.discussion.models import Comment
from newsdesk.discussion.services import thread_close
from newsdesk.discussion.tests.helpers import guest, post
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def _api(client, method, url, data=None):
    import json

    body = json.dumps(data) if data is not None else None
    return getattr(client, method)(url, data=body, content_type="application/json", **JSON)


def _same_refusal(form_answer, api_answer, status: int) -> None:
    """The form's page says, with the same status, the very words the API's detail says."""
    assert api_answer.status_code == form_answer.status_code == status
    assert form_answer["Content-Type"].startswith("text/html")
    detail = api_answer.json()["detail"]
    assert detail and html.escape(detail) in form_answer.content.decode()


def test_a_second_vote(article):
    comment = post(article, guest(), "Vote on me.")
    client = Client()
    assert client.post(f"/discussion/comments/{comment.pk}/vote/", {"value": "up"}).status_code
    form = client.post(f"/discussion/comments/{comment.pk}/vote/", {"value": "down"})
    api = _api(client, "post", f"/api/comments/{comment.pk}/votes", {"value": -1})
    _same_refusal(form, api, 409)


def test_an_edit_of_someone_elses_comment(client, article):
    comment = post(article, guest(), "Not yours.")
    form = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Mine now"})
    api = _api(client, "patch", f"/api/comments/{comment.pk}", {"body": "Mine now"})
    _same_refusal(form, api, 403)
    assert Comment.objects.get().body_source == "Not yours."


def test_a_second_deletion(client, article):
    client.post(f"/discussion/articles/{article.pk}/comments/", {"body": "Gone", "name": "A"})
    comment = Comment.objects.get()
    assert client.post(f"/discussion/comments/{comment.pk}/delete/").status_code == 303
    form = client.post(f"/discussion/comments/{comment.pk}/delete/")
    api = _api(client, "delete", f"/api/comments/{comment.pk}")
    _same_refusal(form, api, 409)


def test_a_reply_to_another_articles_comment(client, article):
    foreign = post(make_article(section=article.get_parent().specific), guest(), "Elsewhere")
    form = client.post(
        f"/discussion/articles/{article.pk}/comments/",
        {"body": "x", "name": "Ann", "parent": foreign.pk},
    )
    api = _api(
        client,
        "post",
        f"/api/threads/{article.pk}/comments",
        {"body": "x", "name": "Ann", "parent_id": foreign.pk},
    )
    _same_refusal(form, api, 400)
    assert Comment.objects.count() == 1


def test_a_post_to_a_closed_discussion(client, article):
    thread_close(thread=post(article, guest(), "First.").thread)
    form = client.post(f"/discussion/articles/{article.pk}/comments/", {"body": "x", "name": "A"})
    api = _api(client, "post", f"/api/threads/{article.pk}/comments", {"body": "x", "name": "A"})
    _same_refusal(form, api, 403)
    assert Comment.objects.count() == 1


def test_too_many_posts(client, article, settings):
    settings.DISCUSSION_POSTS_PER_IP = 1
    url = f"/discussion/articles/{article.pk}/comments/"
    assert client.post(url, {"body": "One", "name": "A"}).status_code == 303
    form = client.post(url, {"body": "Two", "name": "A"})
    api = _api(client, "post", f"/api/threads/{article.pk}/comments", {"body": "Two", "name": "A"})
    _same_refusal(form, api, 429)
    assert Comment.objects.count() == 1


def test_the_form_views_answer_pages_even_to_a_client_asking_for_json(client, article):
    comment = post(article, guest(), "Someone's.")
    answers = [
        client.post(f"/discussion/articles/{article.pk}/comments/", {"body": "", "name": "A"}),
        client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "x"}, **JSON),
        client.post(f"/discussion/comments/{comment.pk}/delete/", **JSON),
        client.post(f"/discussion/comments/{comment.pk}/vote/", {"value": "sideways"}, **JSON),
        client.post("/discussion/unsubscribe/not-a-token/", **JSON),
    ]
    for answer in answers:
        assert 400 <= answer.status_code < 500
        assert answer["Content-Type"].startswith("text/html"), answer.content[:200]


def test_a_guests_key_is_made_in_one_place():
    """``writes.writer_from_request`` alone makes a guest's key (the API and the forms call
    it); nothing else in the app calls ``guest_key_new`` or sets the guest cookie."""
    root = Path(newsdesk.discussion.__file__).parent
    callers = sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "readers.py"
        and ("guest_key_new(" in path.read_text() or "guest_cookie_set(" in path.read_text())
    )
    assert callers == ["writes.py"]
