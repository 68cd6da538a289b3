"""Deleting one's own comment asks first, without JavaScript too, and says it is done."""

import pytest
from django.test import Client

from newsdesk.discussion.models import Comment
from newsdesk.discussion.tests.helpers import guest, post

pytestmark = pytest.mark.django_db


def _own_comment(client, article) -> Comment:
    client.post(f"/discussion/articles/{article.pk}/comments/", {"body": "Mine", "name": "Ann"})
    return Comment.objects.get()


def test_the_delete_button_asks_before_anything_is_deleted(client, article):
    comment = _own_comment(client, article)
    thread = client.get(article.url).content.decode()
    # The comment's button opens the question (a GET), it does not delete.
    delete_url = f"/discussion/comments/{comment.pk}/delete/"
    assert f'<form class="comment__delete" method="get" action="{delete_url}">' in thread
    asked = client.get(f"/discussion/comments/{comment.pk}/delete/")
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Delete this comment?" in page and "<p>Mine</p>" in page
    assert 'method="post"' in page and 'name="csrfmiddlewaretoken"' in page
    assert f'href="{article.url}#c{comment.pk}"' in page  # "Keep it"
    comment.refresh_from_db()
    assert comment.status == "published"


def test_confirming_deletes_and_says_so(client, article):
    comment = _own_comment(client, article)
    done = client.post(f"/discussion/comments/{comment.pk}/delete/", follow=True)
    comment.refresh_from_db()
    assert comment.status == "deleted"
    assert done.redirect_chain[-1][1] == 303
    assert "Your comment is deleted." in done.content.decode()


def test_the_question_is_asked_only_of_who_may_delete(client, article):
    comment = post(article, guest(), "Not yours.")
    other = Client()
    assert other.get(f"/discussion/comments/{comment.pk}/delete/").status_code == 403
    assert client.get("/discussion/comments/999999/delete/").status_code == 404
    assert Comment.objects.get(pk=comment.pk).status == "published"


def test_an_already_deleted_comment_is_not_asked_about_again(client, article):
    comment = _own_comment(client, article)
    client.post(f"/discussion/comments/{comment.pk}/delete/")
    again = client.get(f"/discussion/comments/{comment.pk}/delete/")
    assert again.status_code == 409 and "already deleted" in again.content.decode()
