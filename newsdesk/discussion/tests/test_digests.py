"""Digest e-mails (issue 22, item 4): a reader who chose hourly or daily e-mails gets one
e-mail per period with every reply and followed-thread comment of it, each in exactly one
e-mail, whatever runs twice or dies on the way."""

import re
from datetime import UTC, datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from wagtail import hooks

from newsdesk.core import hooks as newsdesk_hooks
from newsdesk.discussion import digests
from newsdesk.discussion.digests import digests_gather
from newsdesk.discussion.models import Comment, Digest, DigestItem, Subscription
from newsdesk.discussion.services.reader_controls import (
    notification_frequency_set,
    thread_follow,
)
from newsdesk.discussion.tasks import digest_send
from newsdesk.discussion.tests.helpers import member, post
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0, *, day: int = 4) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def ann():
    reader = member("ann")
    EmailAddress.objects.create(
        user=reader.user, email=reader.user.email, verified=True, primary=True
    )
    return reader


def _replies_to(article, ann, capture, *, times: list[datetime]) -> Comment:
    """Ann's comment (asking for replies) and one reply to it per time in ``times``."""
    with capture(execute=True):
        mine = post(article, ann, "Tell me of replies.", notify_replies=True)
        for n, _ in enumerate(times):
            post(article, member(f"replier{n}"), f"Reply number {n + 1}.", parent=mine)
    for item, when in zip(DigestItem.objects.order_by("pk"), times, strict=True):
        DigestItem.objects.filter(pk=item.pk).update(created_at=when)
    return mine


def _digests_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address] and "new comment" in m.subject]


def test_three_replies_in_an_hour_make_one_email_with_the_three(
    article, ann, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    notification_frequency_set(reader=ann, frequency="hourly")
    _replies_to(article, ann, capture, times=[at(10, 5), at(10, 20), at(10, 40)])
    assert _digests_to(ann.user.email) == []  # nothing sent at once

    with capture(execute=True):
        assert digests_gather(now=at(10, 59)) == 0  # the hour is not over
    assert _digests_to(ann.user.email) == []
    with capture(execute=True):
        assert digests_gather(now=at(11, 0)) == 1
        assert digests_gather(now=at(11, 1)) == 0  # the next minute's run: nothing new

    (sent,) = _digests_to(ann.user.email)
    assert sent.subject.startswith("3 new comments")
    for n in (1, 2, 3):
        assert f"Reply number {n}." in sent.body
    assert sent.body.index("Reply number 1.") < sent.body.index("Reply number 3.")
    assert "replied to your comment" in sent.body
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_each_reply_is_in_exactly_one_email_across_a_worker_killed_mid_batch(
    article, ann, django_capture_on_commit_callbacks, monkeypatch, settings
):
    capture = django_capture_on_commit_callbacks
    notification_frequency_set(reader=ann, frequency="hourly")
    _replies_to(article, ann, capture, times=[at(10, 5), at(10, 20), at(10, 40)])

    # The worker dies after the items were tied to their digest and before the mail went.
    class Killed(Exception):
        pass

    def dies(*args, **kwargs):
        raise Killed()

    monkeypatch.setattr(digests, "get_connection", dies)
    with capture(execute=True):
        digests_gather(now=at(11, 0))  # its task fails (the queue records it failed)
    digest = Digest.objects.get()
    assert digest.sent_at is None and DigestItem.objects.filter(digest=digest).count() == 3
    monkeypatch.undo()

    with SmtpServer() as smtp:
        for name, value in smtp.environ().items():
            setattr(settings, name, int(value) if name == "EMAIL_PORT" else value)
        settings.EMAIL_USE_TLS = False
        # The gathering neither makes a second digest nor moves the items ...
        with capture(execute=True):
            assert digests_gather(now=at(11, 1)) == 0
        assert Digest.objects.count() == 1
        # ... and the task run again (a retry, or re-queued by recovery) sends it, once.
        digest_send.call(digest_id=digest.pk)
        digest_send.call(digest_id=digest.pk)
        with capture(execute=True):
            digests_gather(now=at(12, 0))
        received = smtp.parsed()
    assert [m["To"] for m in received] == [ann.user.email]
    body = received[0].get_body().get_content()
    assert all(body.count(f"Reply number {n}.") == 1 for n in (1, 2, 3))
    assert received[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_unsent_digest_whose_task_was_lost_is_queued_again(
    article, ann, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    notification_frequency_set(reader=ann, frequency="hourly")
    _replies_to(article, ann, capture, times=[at(10, 5)])
    digests_gather(now=at(11, 0))  # its task is lost: never run at the commit
    assert _digests_to(ann.user.email) == []
    Digest.objects.update(created_at=at(11, 0))
    with capture(execute=True):
        digests_gather(now=at(11, 30))
    assert len(_digests_to(ann.user.email)) == 1


def test_a_daily_reader_gets_one_email_after_midnight(
    article, ann, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    notification_frequency_set(reader=ann, frequency="daily")
    _replies_to(article, ann, capture, times=[at(9, 0), at(15, 30), at(23, 59)])
    with capture(execute=True):
        digests_gather(now=at(10, 0))
        digests_gather(now=at(23, 59))
    assert _digests_to(ann.user.email) == []
    with capture(execute=True):
        digests_gather(now=at(0, 1, day=5))
    (sent,) = _digests_to(ann.user.email)
    assert "in the last day" in sent.body and sent.subject.startswith("3 new comments")


def test_followed_threads_come_in_the_digest_and_its_link_stops_them_all(
    article, ann, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    notification_frequency_set(reader=ann, frequency="hourly")
    thread_follow(reader=ann, article=article)
    with capture(execute=True):
        mine = post(article, ann, "My comment.", notify_replies=True)
        post(article, member("bo"), "Bo's new comment.")
        post(article, member("cy"), "Cy answers Ann.", parent=mine)
    assert [m for m in mail.outbox if m.to == [ann.user.email]] == []
    DigestItem.objects.update(created_at=at(10, 30))
    with capture(execute=True):
        digests_gather(now=at(11, 0))
    (sent,) = _digests_to(ann.user.email)
    assert "bo commented on" in sent.body and "cy replied to your comment" in sent.body
    assert "Unfollow this discussion: http" in sent.body

    # RFC 8058: the mail program POSTs to the List-Unsubscribe link.
    link = sent.extra_headers["List-Unsubscribe"].strip("<>")
    path = re.sub(r"^https?://[^/]+", "", link)
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(user=ann.user).exists()
    assert not Comment.objects.filter(user=ann.user, notify_replies=True).exists()


def test_immediate_readers_and_guests_get_their_emails_at_once_as_before(
    article, ann, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = post(article, ann, "Tell me.", notify_replies=True)
        post(article, member("bo"), "An answer.", parent=mine)
    assert [m.subject for m in mail.outbox if m.to == [ann.user.email]] == [
        "bo replied to your comment on “Rivers run dry across the plain”"
    ]
    assert not DigestItem.objects.exists()


def test_a_forged_digest_link_changes_nothing(client, ann, article):
    thread_follow(reader=ann, article=article)
    response = client.post("/discussion/unsubscribe/not-a-real-token/")
    assert response.status_code == 404
    assert Subscription.objects.filter(user=ann.user).exists()


def test_the_worker_gathers_digests_every_minute():
    from newsdesk.discussion.wagtail_hooks import gather_digests

    assert gather_digests in hooks.get_hooks(newsdesk_hooks.WORKER_PERIODIC)
