"""The demo's live thread: while the demo runs (DEMO_LIVE_COMMENT_MINUTES set, as `make
demo` does) the worker's duty posts the next live comment on the lead story when one is due,
once per period, and nothing at all when the setting is 0 (everywhere but the demo)."""

import io

from django.test import override_settings

from newsdesk.demo import live
from newsdesk.demo.discussion import lead_story_find
from newsdesk.demo.wagtail_hooks import demo_live_comment
from newsdesk.discussion.models import Comment


def _live_comments():
    return Comment.objects.filter(source=live.SOURCE, thread__article=lead_story_find())


@override_settings(DEMO_LIVE_COMMENT_MINUTES=1)
def test_the_worker_posts_one_live_comment_when_due(demo_db):
    live.load(stdout=io.StringIO())

    demo_live_comment()
    demo_live_comment()  # not due yet: a minute between two

    comments = list(_live_comments())
    assert len(comments) == 1
    assert comments[0].is_public
    assert live.LINES[0][1] in comments[0].body_source


@override_settings(DEMO_LIVE_COMMENT_MINUTES=1)
def test_the_round_ends_after_its_last_line(demo_db):
    live.load(stdout=io.StringIO())
    for _ in live.LINES:
        live.cache.delete(live.LAST_KEY)  # each one due
        live.live_comment_post()
    live.cache.delete(live.LAST_KEY)

    assert live.live_comment_post() is None
    assert _live_comments().count() <= len(live.LINES)
    assert any(c.parent_id for c in _live_comments())  # a reply to the one before


def test_off_by_default(demo_db):
    live.load(stdout=io.StringIO())

    demo_live_comment()

    assert not _live_comments().exists()
