"""The demo thread: shape, picture, and loading twice adds nothing."""

from io import StringIO

import pytest

from newsdesk.demo import discussion as demo_discussion
from newsdesk.discussion.models import Comment
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def test_demo_thread_on_the_newest_article_is_deep_and_loads_once(article):
    lead = make_article(section=article.get_parent().specific, title="The newest story")
    demo_discussion.load(stdout=StringIO())
    comments = Comment.objects.filter(source="demo")
    assert comments.count() >= 12
    assert {c.thread.article_id for c in comments} == {lead.pk}
    assert max(c.depth for c in comments) >= 4
    assert comments.filter(image__gt="").count() == 1
    assert sum(len(c.body_source) > 400 for c in comments) >= 3
    demo_discussion.load(stdout=StringIO())
    assert Comment.objects.filter(source="demo").count() == comments.count()
