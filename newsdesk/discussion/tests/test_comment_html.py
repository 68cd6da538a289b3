"""The comment tree's markup, as the discussion script, the page cache and readers rely on."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from newsdesk.discussion.comment_html import comment_html, comment_tree_html
from newsdesk.discussion.models import Comment
from newsdesk.discussion.selectors import CommentNode

WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
TOKEN = "t" * 64


def _node(pk: int, **fields) -> CommentNode:
    flags = {k: fields.pop(k) for k in list(fields) if k in CommentNode.__dataclass_fields__}
    comment = Comment(
        pk=pk, depth=fields.pop("depth", 1), guest_name=fields.pop("name", "Ann"),
        created_at=WHEN, body_html="<p>Hi <em>there</em></p>", upvotes=3, downvotes=1, **fields
    )  # fmt: skip
    return CommentNode(comment=comment, **{"shown": True, **flags})


def test_a_comment_with_every_part_has_the_markup_the_script_reads():
    node = _node(
        7, pinned=True, edited_at=WHEN, image="comments/a.jpg", is_own=True, can_edit=True,
        can_delete=True, awaiting_moderation=True, viewer_vote=1, in_reply_to="Bob",
    )  # fmt: skip
    node.replies = [_node(8, depth=2)]

    html = comment_html(node=node, thread_open=True, csrf_token=TOKEN)

    assert html.startswith(
        '<li class="comment comment--pinned comment--own" id="c7" data-comment-id="7" '
        'data-depth="1">\n'
    )
    for part in (
        '<span class="comment__author">Ann</span>',
        '<span class="comment__reply-to">in reply to Bob</span>',
        '<a class="comment__permalink" href="/discussion/comments/7/" title="Link to this '
        'comment"><time datetime="2026-03-04T05:06:07+00:00">4 Mar 2026, 05:06</time></a>',
        '<span class="comment__edited" title="Edited 4 Mar 2026, 05:06">edited</span>',
        '<span class="comment__badge">pinned</span>',
        '<span class="comment__pending" data-role="pending">awaiting moderation</span>',
        '<div class="comment__body" data-role="body"><p>Hi <em>there</em></p></div>',
        '<img src="/media/comments/a.jpg" alt="Picture posted by Ann" loading="lazy">',
        '<form class="comment__vote" method="post" action="/discussion/comments/7/vote/" '
        f'data-js="vote"><input type="hidden" name="csrfmiddlewaretoken" value="{TOKEN}">',
        '<button type="submit" name="value" value="up" aria-label="Vote up" '
        'aria-pressed="true" disabled>▲ <span data-role="upvotes">3</span></button>',
        '<a class="comment__action" href="/discussion/comments/7/reply/" data-js="reply" '
        'data-parent="7" data-author="Ann">Reply</a>',
        '<a class="comment__action" href="/discussion/comments/7/edit/" data-js="edit">Edit</a>',
        '<form class="comment__delete" method="get" action="/discussion/comments/7/delete/">',
        '<ol class="comments comments--replies" data-role="replies"><li class="comment" '
        'id="c8" data-comment-id="8" data-depth="2">',
    ):
        assert part in html, part
    # The reader's own comment gets no Report link; someone else's does.
    assert 'data-js="report"' not in html.split('id="c8"')[0]
    assert 'href="/moderation/comments/8/report/" data-js="report"' in html
    assert html.endswith("</ol>\n</li>\n")


def test_names_are_escaped_and_a_placeholder_keeps_the_place_of_replies():
    hidden = _node(9, shown=False, placeholder="removed")
    hidden.replies = [_node(10, depth=2, name='<script>"x"</script>')]

    html = comment_tree_html(nodes=[hidden], thread_open=False, csrf_token=TOKEN)

    assert '<p class="comment__placeholder">This comment was removed.</p>' in html
    assert 'id="c9"' in html and "comment__body" not in html.split('id="c10"')[0]
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in html and "<script>" not in html
    assert 'data-js="reply"' not in html  # a closed thread takes no replies


@pytest.mark.django_db
def test_a_member_is_marked_and_no_token_is_written_without_one():
    user = get_user_model()(pk=5, username="mira")
    node = _node(11)
    node.comment.user = user

    html = comment_tree_html(nodes=[node], thread_open=True, csrf_token=None)

    assert '<span class="comment__author comment__author--member">mira</span>' in html
    assert "csrfmiddlewaretoken" not in html
