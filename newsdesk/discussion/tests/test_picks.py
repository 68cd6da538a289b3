"""Editors' picks: who may pick, what a pick records (and logs), where picks show, and that a
comment no longer published stops showing as one."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from newsdesk.discussion.errors import InvalidComment, NotAllowed, NotFound
from newsdesk.discussion.models import Comment, CommentStatus
from newsdesk.discussion.readers import Reader
from newsdesk.discussion.selectors import thread_page_get
from newsdesk.discussion.services import comment_status_set
from newsdesk.discussion.services.picks import comment_pick_set
from newsdesk.discussion.tests.helpers import guest, member, post
from newsdesk.moderation.models import Decision

pytestmark = pytest.mark.django_db


def moderator(username: str = "desk", *, name: str = "Mira Desk"):
    """An account with the moderators' permission (the queue's), as Wagtail's Moderators
    group gives it."""
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="a long pass 42"
    )
    user.first_name = name
    user.save(update_fields=["first_name"])
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="moderation", codename="moderate_comment")
    )
    return get_user_model().objects.get(pk=user.pk)  # permissions read afresh


def test_a_moderator_picks_a_published_comment_and_the_pick_records_who_when_and_is_logged(
    article,
):
    comment = post(article, guest(), "A careful comment worth featuring.")
    editor = moderator()
    picked = comment_pick_set(comment_id=comment.pk, actor=editor)
    comment.refresh_from_db()
    assert comment.picked_by == editor
    assert comment.picked_at is not None
    assert picked.picked_at == comment.picked_at
    log = Decision.objects.get(comment=comment, action="picked")
    assert log.actor == editor
    assert not log.can_undo  # withdrawn by unpicking, not by "undo"
    comment_pick_set(comment_id=comment.pk, actor=editor, picked=False)
    comment.refresh_from_db()
    assert comment.picked_at is None and comment.picked_by is None
    assert Decision.objects.filter(comment=comment, action="unpicked", actor=editor).exists()


def test_readers_guests_and_nobody_may_not_pick_and_nothing_is_written(article):
    comment = post(article, guest(), "A comment.")
    reader = member("plainreader").user
    for actor in (reader, None):
        with pytest.raises(NotAllowed) as refused:
            comment_pick_set(comment_id=comment.pk, actor=actor)
        assert refused.value.status_code == 403
    comment.refresh_from_db()
    assert comment.picked_at is None
    assert not Decision.objects.filter(comment=comment, action="picked").exists()


def test_a_comment_that_is_not_published_cannot_be_picked_and_a_bad_id_is_not_found(article):
    comment = post(article, guest(), "A comment.")
    comment_status_set(comment=comment, status=CommentStatus.HELD)
    editor = moderator()
    with pytest.raises(InvalidComment):
        comment_pick_set(comment_id=comment.pk, actor=editor)
    assert Comment.objects.get(pk=comment.pk).picked_at is None
    for bad in ("abc", 0, -3, 2**70, 999_999):
        with pytest.raises(NotFound):
            comment_pick_set(comment_id=bad, actor=editor)


def test_picks_come_first_in_the_default_order_and_alone_in_the_picks_tab(article):
    editor = moderator()
    first = post(article, guest(), "Oldest comment.")
    middle = post(article, guest(), "Middle comment.")
    reply = post(article, guest(), "A reply worth picking.", parent=first)
    last = post(article, guest(), "Newest comment.")
    comment_pick_set(comment_id=last.pk, actor=editor)
    comment_pick_set(comment_id=reply.pk, actor=editor)
    page = thread_page_get(article=article, reader=Reader())
    assert [node.comment.pk for node in page.nodes] == [last.pk, first.pk, middle.pk]
    assert page.nodes[0].is_pick and page.nodes[0].picked_by == "Mira Desk"
    assert not page.nodes[1].is_pick
    assert page.nodes[1].replies[0].is_pick  # a picked reply is marked in its place
    tab = thread_page_get(article=article, reader=Reader(), sort="picks")
    # Newest pick first; replies of picks are not in the tab, a picked reply is.
    assert [node.comment.pk for node in tab.nodes] == [reply.pk, last.pk]
    assert tab.nodes[0].in_reply_to == first.author_name
    assert all(node.replies == [] for node in tab.nodes)


def test_a_pick_that_stops_being_published_stops_showing_as_one(article):
    editor = moderator()
    removed = post(article, guest(), "Picked, then removed.")
    edited = post(article, guest(), "Picked, then held again.")
    kept = post(article, guest(), "Picked and kept.")
    for comment in (removed, edited, kept):
        comment_pick_set(comment_id=comment.pk, actor=editor)
    comment_status_set(comment=removed, status=CommentStatus.REJECTED)
    comment_status_set(comment=edited, status=CommentStatus.HELD)
    tab = thread_page_get(article=article, reader=Reader(), sort="picks")
    assert [node.comment.pk for node in tab.nodes] == [kept.pk]
    page = thread_page_get(article=article, reader=Reader())
    assert [node.comment.pk for node in page.nodes] == [kept.pk]


def test_the_thread_marks_a_pick_with_who_picked_it(client, article):
    comment = post(article, guest(), "A comment to feature.")
    comment_pick_set(comment_id=comment.pk, actor=moderator(name="Mira Desk"))
    html = client.get(article.url).content.decode()
    assert "Editors\u2019 pick · picked by Mira Desk" in html
    assert 'data-picked="1"' in html
    assert "?sort=picks#discussion" in html  # the tab


def test_the_api_picks_for_staff_and_refuses_readers_and_guests(client, article):
    comment = post(article, guest(), "A comment.")
    url = f"/api/comments/{comment.pk}/pick"
    assert client.post(url).status_code == 403  # anonymous
    client.force_login(member("apireader").user)
    response = client.post(url)
    assert response.status_code == 403
    assert "editors and moderators" in response.json()["detail"]
    assert Comment.objects.get(pk=comment.pk).picked_at is None
    client.force_login(moderator())
    response = client.post(url)
    assert response.status_code == 200
    assert response.json() == {"id": comment.pk, "picked": True, "picked_by": "Mira Desk"}
    assert client.post("/api/comments/999999/pick").status_code == 404
    assert client.delete(url).json()["picked"] is False
    assert Comment.objects.get(pk=comment.pk).picked_at is None


def test_the_staff_endpoint_tells_only_staff_they_may_pick_and_is_never_cached(client, article):
    url = f"/api/threads/{article.pk}/staff"
    response = client.get(url)
    assert response.json()["can_pick"] is False
    assert "no-store" in response["Cache-Control"]
    client.force_login(member("curious").user)
    assert client.get(url).json()["can_pick"] is False
    client.force_login(moderator())
    assert client.get(url).json()["can_pick"] is True
    assert client.get("/api/threads/999999/staff").status_code == 404
