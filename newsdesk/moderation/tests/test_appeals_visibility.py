"""The reason of a held comment is its author's alone (issue 22, item 7): shown on their own
comment through the per-reader path (the thread's ``mine`` answer, their own render) with
the way to appeal, and never to another reader, a guest or the shared page the page cache
keeps."""

import pytest
from django.test import Client

from newsdesk.discussion.comment_html import comment_tree_html
from newsdesk.discussion.models import CommentStatus
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.selectors import thread_page_get
from newsdesk.moderation.models import Decision
from newsdesk.moderation.reasons import reason_code_for_status, reason_text

from .conftest import SPAM, post, user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(article):
    author = user_in(None, "ana")
    comment = post(article, Reader(user=author, ip_address="192.0.2.30"), SPAM)
    assert comment.status == CommentStatus.HELD
    words = reason_text(Decision.objects.get(comment=comment).reason_code)
    assert words
    return author, comment, words


def test_the_author_sees_why_on_their_held_comment_with_the_way_to_appeal(article, held):
    author, comment, words = held
    client = Client()
    client.force_login(author)
    mine = client.get(f"/api/threads/{article.pk}/mine").json()
    (shown,) = [item for item in mine["held"] if item["id"] == comment.pk]
    assert words in shown["html"] and 'data-role="moderation-reason"' in shown["html"]
    assert f'href="/accounts/comments/#comment-{comment.pk}"' in shown["html"]


def test_no_one_else_sees_the_reason_nor_the_shared_page(article, held, settings):
    settings.PAGECACHE_ENABLED = True
    author, _, words = held
    other = Client()
    other.force_login(user_in(None, "bo"))
    for client in (other, Client()):
        mine = client.get(f"/api/threads/{article.pk}/mine").content.decode()
        assert words not in mine and "moderation-reason" not in mine
    for _ in range(2):  # rendered, then served from the page cache
        page = Client().get(article.url).content.decode()
        assert words not in page and "moderation-reason" not in page
    author_client = Client()
    author_client.force_login(author)
    author_client.get(f"/api/threads/{article.pk}/mine")
    page = Client().get(article.url).content.decode()
    assert words not in page and "moderation-reason" not in page
    assert words not in other.get(article.url).content.decode()


def test_a_guest_author_sees_why_but_is_not_offered_an_appeal(article):
    reader = Reader(guest_key=guest_key_new(), ip_address="192.0.2.77")
    comment = post(article, reader, SPAM)
    words = reason_text(Decision.objects.get(comment=comment).reason_code)
    nodes = thread_page_get(article=article, reader=reader).nodes
    html = comment_tree_html(nodes=nodes, thread_open=True, csrf_token=None)
    assert words in html and 'data-role="appeal-link"' not in html


def test_the_reason_on_the_comment_is_the_recorded_decisions(article, held):
    _, comment, _ = held
    comment.refresh_from_db()
    recorded = Decision.objects.get(comment=comment).reason_code
    assert reason_code_for_status(comment.status_reason) == recorded
    assert reason_code_for_status("hidden after 3 reports (abuse) from readers in good") == (
        "reports"
    )
