"""The thread rendered into the article page, as readers see it."""

import pytest

from newsdesk.discussion.tests.helpers import guest, member, post

pytestmark = pytest.mark.django_db


def test_article_page_shows_nested_thread_with_anchors(client, article):
    alice, bob = guest(), member("bob")
    first = post(article, alice, "First *point*.", name="Alice")
    reply = post(article, bob, "A reply to Alice.", parent=first)
    deeper = post(article, alice, "Back to Bob.", parent=reply, name="Alice")

    html = client.get(article.url).content.decode()

    assert 'id="discussion"' in html
    assert "<em>point</em>" in html
    # Each reply sits inside its parent's element.
    first_el = html[html.index(f'id="c{first.pk}"') :]
    assert first_el.index(f'id="c{reply.pk}"') < first_el.index(f'id="c{deeper.pk}"')
    assert "3 comments" in html
    assert "bob@example.org" not in html
