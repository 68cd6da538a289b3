"""Discussion announces every change readers can see through one hook, ``DISCUSSION_CHANGED``
(``discussion/changes.py``): what it fires, and which writes fire it."""

import pytest
from wagtail import hooks

from newsdesk.core.hooks import COMMENT_ASSESS, DISCUSSION_CHANGED
from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.models import Comment
from newsdesk.discussion.pipeline import Assessment, Verdict
from newsdesk.discussion.services import comment_pin, comment_vote, thread_close
from newsdesk.discussion.services.staff import comments_shadow
from newsdesk.discussion.tests import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    """The article ids each DISCUSSION_CHANGED call named (the page cache set aside)."""
    calls: list[list[int]] = []
    hooks.search_for_hooks()
    monkeypatch.setitem(
        hooks._hooks, DISCUSSION_CHANGED, [(lambda *, article_ids: calls.append(article_ids), 0)]
    )
    return calls


def test_one_call_names_each_article_once_and_none_is_skipped(heard):
    article_discussion_changed(article_ids=[7, None, 3, 7])
    article_discussion_changed(article_ids=[None])
    article_discussion_changed(article_ids=[])
    assert heard == [[3, 7]]


def test_a_published_comment_is_announced_a_held_one_is_not(article, heard):
    h.post(article, h.guest(), "Published at once.")
    assert heard == [[article.pk]]
    with hooks.register_temporarily(
        COMMENT_ASSESS, lambda candidate: Assessment(verdict=Verdict.HOLD)
    ):
        h.post(article, h.guest(), "Held for a moderator.")
    assert heard == [[article.pk]]


def test_votes_pins_closing_and_shadowing_are_announced(article, heard):
    comment = h.post(article, h.member("writer"), "Pin me, vote on me.")
    heard.clear()
    comment_vote(comment_id=comment.pk, reader=h.member("voter"), value=1)
    comment_pin(comment=comment)
    thread_close(thread=comment.thread)
    assert comments_shadow(comment_ids=[comment.pk], reason="shadow-banned") == 1
    assert heard == [[article.pk]] * 4
    assert Comment.objects.get(pk=comment.pk).is_shadowed
