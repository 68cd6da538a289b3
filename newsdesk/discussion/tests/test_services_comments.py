"""Posting, replying, editing, deleting and voting through the services, and every refusal."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion.errors import AlreadyDone, InvalidComment, NotAllowed, NotFound
from newsdesk.discussion.models import Comment, CommentStatus, Thread, Vote
from newsdesk.discussion.pipeline import Assessment, Verdict
from newsdesk.discussion.services import (
    CommentDraft,
    comment_create,
    comment_delete,
    comment_edit,
    comment_vote,
    thread_close,
    thread_lock,
)
from newsdesk.discussion.tests.helpers import guest, member, picture_bytes, post
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_top_level_comment_is_a_root_and_replies_carry_root_and_depth(article):
    first = post(article, guest(), "Top.")
    reply = post(article, member(), "Reply.", parent=first)
    deeper = post(article, guest(), "Deeper.", parent=reply)
    first.refresh_from_db()
    assert (first.root_id, first.root_key, first.depth) == (None, first.pk, 1)
    assert (reply.root_id, reply.depth, reply.parent_id) == (first.pk, 2, first.pk)
    assert (deeper.root_id, deeper.depth) == (first.pk, 3)
    assert Thread.objects.get().article_id == article.pk
    assert first.status == CommentStatus.PUBLISHED


def test_markdown_is_rendered_safely_and_the_source_kept(article):
    body = "*yes* [site](https://example.org) <script>alert(1)</script> [x](javascript:alert(1))"
    comment = post(article, guest(), body)
    assert comment.body_source == body
    assert "<em>yes</em>" in comment.body_html
    assert 'rel="nofollow ugc noopener"' in comment.body_html
    assert "<script>" not in comment.body_html
    assert "javascript:" not in comment.body_html.replace("[x](javascript:alert(1))", "")


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Write something"), ("   \n ", "Write something"), ("x" * 50_000, "at most")],
)
def test_empty_and_oversized_bodies_are_refused(article, body, message):
    with pytest.raises(InvalidComment, match=message):
        post(article, guest(), body)
    assert not Comment.objects.exists()
    assert not Thread.objects.exists()


def test_a_guest_must_give_a_name_and_a_valid_address(article):
    with pytest.raises(InvalidComment, match="name"):
        post(article, guest(), "Hello", name="  ")
    with pytest.raises(InvalidComment, match="e-mail"):
        post(article, guest(), "Hello", guest_email="not-an-address")
    with pytest.raises(InvalidComment, match="e-mail address to be told"):
        post(article, guest(), "Hello", notify_replies=True)
    assert not Comment.objects.exists()


def test_reply_to_a_comment_of_another_article_is_refused(article):
    other = make_article(section=article.get_parent().specific, title="Another story")
    elsewhere = post(other, guest(), "Elsewhere.")
    post(article, guest(), "Here.")
    with pytest.raises(InvalidComment, match="another article"):
        post(article, guest(), "Cross reply", parent=elsewhere)
    assert Comment.objects.count() == 2


def test_reply_to_a_deleted_comment_is_refused(article):
    author = guest()
    doomed = post(article, author, "Soon gone.")
    comment_delete(comment_id=doomed.pk, reader=author)
    with pytest.raises(InvalidComment, match="deleted"):
        post(article, guest(), "Reply", parent=doomed)
    with pytest.raises(NotFound):
        post(article, guest(), "Reply", parent=Comment(pk=999_999))
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("parent_id", [0, -1, 2**63, 2**70])
def test_reply_to_an_id_no_database_holds_is_not_found(article, parent_id):
    post(article, guest(), "A first comment.")
    with pytest.raises(NotFound, match="replying to does not exist"):
        post(article, guest(), "Reply", parent=Comment(pk=parent_id))
    assert Comment.objects.count() == 1


def test_closed_locked_and_old_threads_take_no_comments(article, settings, monkeypatch):
    first = post(article, guest(), "Before closing.")
    thread_close(thread=first.thread)
    with pytest.raises(NotAllowed, match="closed"):
        post(article, guest(), "After closing.")
    with pytest.raises(NotAllowed, match="closed"):
        post(article, guest(), "A reply after closing.", parent=first)
    thread_close(thread=first.thread, closed=False)
    thread_lock(thread=first.thread)
    with pytest.raises(NotAllowed):
        post(article, guest(), "Locked.")
    thread_lock(thread=first.thread, locked=False)
    settings.DISCUSSION_AUTO_CLOSE_DAYS = 30
    type(article).objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(days=31)
    )
    article.refresh_from_db()
    with pytest.raises(NotAllowed, match="closed"):
        post(article, guest(), "Too late.")
    assert Comment.objects.count() == 1


def test_images_are_verified_stripped_reencoded_and_thumbnailed(article):
    upload = SimpleUploadedFile(
        "holiday.jpg", picture_bytes("JPEG", (2400, 1800), exif=True), "image/jpeg"
    )
    comment = post(article, guest(), "Look at this.", image=upload)
    with comment.image.open("rb") as stored:
        picture = Image.open(io.BytesIO(stored.read()))
        assert picture.format == "JPEG"
        assert max(picture.size) == 1600
        assert not picture.getexif()
    with comment.image_thumbnail.open("rb") as stored:
        assert max(Image.open(io.BytesIO(stored.read())).size) == 480
    gif = post(article, guest(), "A gif.", image=SimpleUploadedFile("a.gif", picture_bytes("GIF")))
    assert gif.image.name.endswith(".png")


def test_a_non_image_named_jpg_and_a_20_mb_file_are_refused(article):
    fake = SimpleUploadedFile("cat.jpg", b"MZ\x90\x00 this is not a picture" * 10, "image/jpeg")
    with pytest.raises(InvalidComment, match="not a picture"):
        post(article, guest(), "Fake picture", image=fake)
    huge = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (20 * 1024 * 1024), "image/jpeg")
    with pytest.raises(InvalidComment, match="too large"):
        post(article, guest(), "Huge picture", image=huge)
    bmp = io.BytesIO()
    Image.new("RGB", (10, 10)).save(bmp, "BMP")
    with pytest.raises(InvalidComment, match="Only JPEG"):
        post(article, guest(), "BMP", image=SimpleUploadedFile("x.jpg", bmp.getvalue()))
    assert not Comment.objects.exists()


def test_edit_within_the_window_marks_edited_and_reassesses(article):
    author = guest()
    comment = post(article, author, "Frist.")
    edited = comment_edit(comment_id=comment.pk, reader=author, body="First, *fixed*.")
    assert edited.edited_at is not None
    assert "<em>fixed</em>" in Comment.objects.get(pk=comment.pk).body_html


def test_edit_of_someone_elses_comment_or_after_the_window_is_refused(article):
    author, other = guest(), member("other")
    comment = post(article, author, "Mine.")
    with pytest.raises(NotAllowed, match="your own"):
        comment_edit(comment_id=comment.pk, reader=other, body="Hijacked.")
    with pytest.raises(NotAllowed, match="your own"):
        comment_edit(comment_id=comment.pk, reader=guest(), body="Hijacked.")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(NotAllowed, match="passed"):
        comment_edit(comment_id=comment.pk, reader=author, body="Too late.")
    with pytest.raises(InvalidComment, match="Write something"):
        Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now())
        comment_edit(comment_id=comment.pk, reader=author, body="")
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.body_source == "Mine." and stored.edited_at is None


def test_delete_by_author_or_moderator_only_and_not_twice(article):
    author = guest()
    comment = post(article, author, "Delete me.")
    with pytest.raises(NotAllowed):
        comment_delete(comment_id=comment.pk, reader=member("stranger"))
    comment_delete(comment_id=comment.pk, reader=author)
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.DELETED
    with pytest.raises(AlreadyDone):
        comment_delete(comment_id=comment.pk, reader=author)


def test_a_guest_who_deletes_their_comment_takes_their_address_with_it(article):
    author, reported = guest(), guest()
    mine = post(article, author, "Withdrawn.", guest_email="ines@example.org", notify_replies=True)
    theirs = post(article, reported, "Removed.", guest_email="sam@example.org", notify_replies=True)
    comment_delete(comment_id=mine.pk, reader=author)
    moderator = member("mod")
    moderator.user.groups.add(Group.objects.get(name="Moderators"))
    comment_delete(comment_id=theirs.pk, reader=moderator)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.guest_email, mine.notify_replies) == ("", False)
    # A moderator's removal keeps the address for an e-mail ban.
    assert theirs.status == CommentStatus.DELETED and theirs.guest_email == "sam@example.org"


def test_one_vote_per_reader(article):
    comment = post(article, guest(), "Vote on me.")
    voter = member("voter")
    comment_vote(comment_id=comment.pk, reader=voter, value=1)
    with pytest.raises(AlreadyDone, match="already voted"):
        comment_vote(comment_id=comment.pk, reader=voter, value=-1)
    comment_vote(comment_id=comment.pk, reader=guest(), value=-1)
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes, comment.score) == (1, 1, 0)
    assert Vote.objects.count() == 2
    with pytest.raises(InvalidComment):
        comment_vote(comment_id=comment.pk, reader=guest(), value=5)


def test_the_assessment_decides_the_status_and_listeners_hear_after_commit(
    article, django_capture_on_commit_callbacks
):
    heard = []

    def hold_links(candidate):
        if "http" in candidate.body:
            return Assessment(verdict=Verdict.HOLD, reasons=["link"])
        if "shout" in candidate.body:
            return Assessment(shadow=True)
        return Assessment()

    with (
        hooks.register_temporarily(newsdesk_hooks.COMMENT_ASSESS, hold_links),
        hooks.register_temporarily(
            newsdesk_hooks.COMMENT_ASSESSED, lambda c, a: heard.append((c.pk, a.verdict))
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        held = post(article, guest(), "Buy at http://spam.example")
        shadowed = post(article, guest(), "shout shout")
    assert held.status == CommentStatus.HELD and held.status_reason == "link"
    assert shadowed.status == CommentStatus.PUBLISHED and shadowed.is_shadowed
    assert heard == [(held.pk, Verdict.HOLD), (shadowed.pk, Verdict.PUBLISH)]


def test_reject_verdict_stores_a_rejected_comment(article):
    with hooks.register_temporarily(
        newsdesk_hooks.COMMENT_ASSESS, lambda c: Assessment(verdict=Verdict.REJECT)
    ):
        comment = comment_create(
            article=article, reader=guest(), draft=CommentDraft(body="Bad.", guest_name="X")
        )
    assert comment.status == CommentStatus.REJECTED


# --- what a post queues and who hears of it ----------------------------------------------------
@pytest.fixture
def queue(settings):
    """A queue outside the database that keeps what it is given (as RQ would run it)."""
    from newsdesk.discussion.tasks import comment_notifications_send

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = comment_notifications_send.get_backend()
    backend.clear()
    return backend


def _queued_comment_ids(backend) -> list[int]:
    return [
        result.kwargs["comment_id"]
        for result in backend.results
        if result.task.name == "comment_notifications_send"  # not the confirmation e-mails
    ]


def test_a_notification_task_is_queued_only_when_someone_may_be_told(
    article, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        quiet = post(article, guest(), "Nobody asked to hear of this one.")
        plain_reply = post(article, guest(), "Nor of this reply.", parent=quiet)
        asker = post(
            article,
            guest(),
            "Tell me of replies.",
            guest_email="a@example.org",
            notify_replies=True,
        )
        answer = post(article, guest(), "An answer to the one who asked.", parent=asker)
    assert _queued_comment_ids(queue) == [answer.pk]
    assert quiet.notified_at is not None and plain_reply.notified_at is not None

    from newsdesk.discussion.models import Subscription

    Subscription.objects.create(thread=quiet.thread, email="follower@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        followed = post(article, guest(), "A thread with a follower now.")
    assert _queued_comment_ids(queue) == [answer.pk, followed.pk]


def test_listeners_hear_of_a_comment_inside_its_transaction(article, monkeypatch):
    """A listener that fails takes the comment with it: nothing is stored without the audit
    log and the rest the listeners write."""
    from newsdesk.core.hooks import COMMENT_ASSESSED

    def refuse(comment, assessment):
        assert Comment.objects.filter(pk=comment.pk).exists()  # saved, not yet committed
        raise RuntimeError("a listener failed")

    monkeypatch.setitem(hooks._hooks, COMMENT_ASSESSED, [(refuse, 0)])
    with pytest.raises(RuntimeError):
        post(article, guest(), "This one never lands.")
    assert not Comment.objects.exists()


def test_an_edit_never_publishes_a_held_comment(article):
    """A held comment (by the gate, by reports or by a moderator) waits for a moderator
    whatever its author writes into it: otherwise an edit undoes readers' reports, and a
    troll probes the filter one edit at a time until some spelling passes."""
    author = guest()
    comment = post(article, author, "A comment readers reported.")
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.HELD)
    edited = comment_edit(comment_id=comment.pk, reader=author, body="Now harmless, honestly.")
    assert edited.status == CommentStatus.HELD
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.status == CommentStatus.HELD and stored.body_source.startswith("Now harmless")


def test_an_edit_that_sends_a_comment_back_to_moderation_says_why(article, monkeypatch):
    """The reason a commenter and the moderators read is the edit's, not the first text's."""
    author = guest()
    comment = post(article, author, "A fair point about the budget.")
    assert comment.status == CommentStatus.PUBLISHED

    def hold(candidate):
        return Assessment(verdict=Verdict.HOLD, reasons=["held: the edited text, for a test"])

    monkeypatch.setitem(hooks._hooks, newsdesk_hooks.COMMENT_ASSESS, [(hold, 0)])
    comment_edit(comment_id=comment.pk, reader=author, body="The edited text.")
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.status == CommentStatus.HELD
    assert stored.status_reason == "held: the edited text, for a test"


def test_a_held_comment_kept_held_by_an_edit_keeps_the_reason_it_was_held_for(article):
    author = guest()
    comment = post(article, author, "A comment readers reported.")
    Comment.objects.filter(pk=comment.pk).update(
        status=CommentStatus.HELD, status_reason="held: reported by readers"
    )
    comment_edit(comment_id=comment.pk, reader=author, body="Now harmless, honestly.")
    assert Comment.objects.get(pk=comment.pk).status_reason == "held: reported by readers"
