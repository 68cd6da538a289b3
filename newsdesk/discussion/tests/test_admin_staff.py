"""Staff actions in the admin: close, lock, pin, hold, with permission checks."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from newsdesk.discussion.errors import NotAllowed
from newsdesk.discussion.models import Comment, CommentStatus, Thread
from newsdesk.discussion.services import comment_pin, comment_status_set, thread_close
from newsdesk.discussion.services.email_confirmations import (
    email_confirm,
    email_confirmation_token,
)
from newsdesk.discussion.tests.helpers import guest, post

pytestmark = pytest.mark.django_db


def _staff(username: str, *perms: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw-42-long")
    user.is_staff = True
    user.save()
    for codename in perms:
        user.user_permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label="discussion")
        )
    return get_user_model().objects.get(pk=user.pk)


def test_moderator_closes_a_thread_and_pins_a_comment_from_the_admin(client, article):
    comment = post(article, guest(), "Pin me")
    client.force_login(
        _staff("mod", "view_thread", "change_thread", "view_comment", "change_comment")
    )
    response = client.post(
        "/django-admin/discussion/thread/",
        {"action": "close", "_selected_action": [comment.thread_id]},
    )
    assert response.status_code == 302
    assert Thread.objects.get().is_closed
    client.post(
        "/django-admin/discussion/comment/", {"action": "pin", "_selected_action": [comment.pk]}
    )
    assert Comment.objects.get().pinned
    client.post(
        "/django-admin/discussion/comment/", {"action": "hold", "_selected_action": [comment.pk]}
    )
    assert Comment.objects.get().status == CommentStatus.HELD


def test_staff_without_the_permission_cannot_act(client, article):
    comment = post(article, guest(), "Stay open")
    viewer = _staff("viewer", "view_thread", "view_comment")
    client.force_login(viewer)
    client.post(
        "/django-admin/discussion/thread/",
        {"action": "close", "_selected_action": [comment.thread_id]},
    )
    assert not Thread.objects.get().is_closed
    with pytest.raises(NotAllowed):
        thread_close(thread=comment.thread, actor=viewer)
    with pytest.raises(NotAllowed):
        comment_pin(comment=comment, actor=viewer)


def test_publishing_a_held_comment_sends_its_notifications_once(
    article, django_capture_on_commit_callbacks, mailoutbox
):
    parent = post(article, guest(), "Parent", guest_email="p@example.org", notify_replies=True)
    email_confirm(token=email_confirmation_token(email="p@example.org"))  # double opt-in
    reply = post(article, guest(), "Reply", parent=parent)
    Comment.objects.filter(pk=reply.pk).update(status=CommentStatus.HELD, notified_at=None)
    reply.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        comment_status_set(comment=reply, status=CommentStatus.PUBLISHED, reason="fine")
    with django_capture_on_commit_callbacks(execute=True):
        comment_status_set(comment=reply, status=CommentStatus.HELD)
        comment_status_set(comment=reply, status=CommentStatus.PUBLISHED)
    assert [m.to for m in mailoutbox] == [["p@example.org"]]
