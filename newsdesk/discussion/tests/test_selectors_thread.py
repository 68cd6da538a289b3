"""Reading a thread: constant queries, visibility, nesting, sorting, paging, counts."""

import pytest
from django.utils import timezone

from newsdesk.discussion import conf
from newsdesk.discussion.models import Comment, CommentStatus, Thread
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors import (
    comment_counts_for_articles,
    comment_page_number,
    thread_page_get,
)
from newsdesk.discussion.services import comment_delete, comment_status_set, comment_vote
from newsdesk.discussion.tests.helpers import guest, member, post
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def _bulk_thread(article, count: int) -> Thread:
    """``count`` comments: a third top-level, the rest replies chained under them."""
    thread = Thread.objects.create(article=article)
    now = timezone.now()
    tops = Comment.objects.bulk_create(
        Comment(thread=thread, depth=1, guest_name=f"G{i}", body_source="t", body_html="<p>t</p>",
                created_at=now)
        for i in range(count // 3)
    )  # fmt: skip
    parents = tops
    made = len(tops)
    while made < count:
        batch = []
        for parent in parents:
            if made + len(batch) >= count:
                break
            batch.append(
                Comment(thread=thread, parent=parent, root_id=parent.root_key,
                        depth=parent.depth + 1, guest_name="R", body_source="r",
                        body_html="<p>r</p>", created_at=now)
            )  # fmt: skip
        parents = Comment.objects.bulk_create(batch)
        made += len(batch)
    assert Comment.objects.filter(thread=thread).count() == count
    return thread


@pytest.mark.parametrize("size", [10, 1000])
def test_a_thread_page_costs_the_same_queries_whatever_its_size(
    article, size, django_assert_max_num_queries, settings
):
    settings.DISCUSSION_PAGE_SIZE = 1000
    _bulk_thread(article, size)
    reader = Reader(user=member("counter").user)
    reader.user.has_perm("discussion.change_comment")  # permissions are cached per user
    with django_assert_max_num_queries(5):
        page = thread_page_get(article=article, reader=reader)
    shown = 0
    stack = list(page.nodes)
    while stack:
        node = stack.pop()
        shown += 1
        stack.extend(node.replies)
    assert shown == size


def test_held_and_shadowed_comments_are_seen_by_their_author_only(article):
    author, stranger = guest(), guest()
    visible = post(article, guest(), "Public.")
    held = post(article, author, "Waiting.")
    comment_status_set(comment=held, status=CommentStatus.HELD)
    ghost = post(article, author, "Shadowed.")
    Comment.objects.filter(pk=ghost.pk).update(is_shadowed=True)

    public_ids = [n.comment.pk for n in thread_page_get(article=article, reader=stranger).nodes]
    own = {n.comment.pk: n for n in thread_page_get(article=article, reader=author).nodes}
    assert public_ids == [visible.pk]
    assert set(own) == {visible.pk, held.pk, ghost.pk}
    assert own[held.pk].awaiting_moderation and own[ghost.pk].awaiting_moderation
    assert thread_page_get(article=article, reader=stranger).comment_count == 1


def test_a_deleted_comment_keeps_its_place_only_when_it_has_visible_replies(article):
    author = guest()
    parent = post(article, author, "Parent.")
    post(article, guest(), "Child.", parent=parent)
    lonely = post(article, author, "Lonely.")
    comment_delete(comment_id=parent.pk, reader=author)
    comment_delete(comment_id=lonely.pk, reader=author)
    nodes = thread_page_get(article=article, reader=guest()).nodes
    assert [n.comment.pk for n in nodes] == [parent.pk]
    assert not nodes[0].shown and nodes[0].placeholder == "deleted"
    assert nodes[0].replies[0].shown


def test_nesting_stops_at_the_depth_and_deeper_replies_name_their_parent(article):
    chain = [post(article, guest(), "Level 1", name="L1")]
    for level in range(2, 9):
        chain.append(post(article, guest(), f"Level {level}", parent=chain[-1], name=f"L{level}"))
    node = thread_page_get(article=article, reader=guest()).nodes[0]
    for _ in range(conf.DISCUSSION_NEST_DEPTH - 1):
        assert len(node.replies) == 1
        node = node.replies[0]
    assert node.comment.depth == conf.DISCUSSION_NEST_DEPTH
    flat = node.replies
    assert [n.comment.depth for n in flat] == [6, 7, 8]
    assert [n.in_reply_to for n in flat] == ["L5", "L6", "L7"]
    assert all(not n.replies for n in flat)


def test_sorting_best_newest_oldest_and_pinned_first(article):
    a = post(article, guest(), "A")
    b = post(article, guest(), "B")
    c = post(article, guest(), "C")
    comment_vote(comment_id=b.pk, reader=guest(), value=1)
    reader = guest()

    def order(sort):
        return [
            n.comment.pk for n in thread_page_get(article=article, reader=reader, sort=sort).nodes
        ]

    assert order("oldest") == [a.pk, b.pk, c.pk]
    assert order("newest") == [c.pk, b.pk, a.pk]
    assert order("best") == [b.pk, a.pk, c.pk]
    Comment.objects.filter(pk=c.pk).update(pinned=True)
    assert order("best")[0] == c.pk and order("oldest")[0] == c.pk


def test_pages_of_top_level_comments_and_the_page_of_a_reply(article, settings):
    settings.DISCUSSION_PAGE_SIZE = 2
    tops = [post(article, guest(), f"Top {i}") for i in range(5)]
    reply = post(article, guest(), "Reply on the last page", parent=tops[4])
    reader = guest()
    first = thread_page_get(article=article, reader=reader, sort="oldest")
    third = thread_page_get(article=article, reader=reader, sort="oldest", page=3)
    assert [n.comment.pk for n in first.nodes] == [tops[0].pk, tops[1].pk] and first.has_more
    assert [n.comment.pk for n in third.nodes] == [tops[4].pk] and not third.has_more
    assert third.nodes[0].replies[0].comment.pk == reply.pk
    assert comment_page_number(comment=reply, reader=reader, sort="oldest") == 3
    assert comment_page_number(comment=reply, reader=reader, sort="newest") == 1


def test_comment_counts_for_a_listing_take_one_query(article, django_assert_num_queries):
    other = make_article(section=article.get_parent().specific)
    silent = make_article(section=article.get_parent().specific)
    post(article, guest(), "1")
    post(article, guest(), "2")
    held = post(other, guest(), "held")
    comment_status_set(comment=held, status=CommentStatus.HELD)
    post(other, guest(), "3")
    with django_assert_num_queries(1):
        counts = comment_counts_for_articles(article_ids=[article.pk, other.pk, silent.pk])
    assert counts == {article.pk: 2, other.pk: 1}
