"""Double opt-in for the discussion's e-mails (issue 17, 7a).

An address typed into the comment form gets reply (and thread) e-mails only after its owner
followed the link of the one confirmation e-mail it is sent; an account's verified address
needs none. The attack these stop: anyone could sign a stranger's address up for e-mails.
"""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from newsdesk.discussion.models import Comment, EmailConfirmation, Subscription
from newsdesk.discussion.tests.helpers import guest, member, post

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/discussion/confirm-email/(\S+)/")


def _post_url(article) -> str:
    return f"/discussion/articles/{article.pk}/comments/"


def _form_post(client, article, capture, **fields):
    with capture(execute=True):
        response = client.post(_post_url(article), fields)
    assert response.status_code == 303, response.content[:500]
    return Comment.objects.latest("pk")


def _confirmations(to: str) -> list:
    return [m for m in mail.outbox if m.to == [to] and LINK.search(m.body)]


def _replies(to: str) -> list:
    return [m for m in mail.outbox if m.to == [to] and "replied" in m.subject]


def test_guest_reply_emails_wait_for_the_confirmation_link(
    client, article, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    ask = {"name": "Ann", "email": "Ann@Example.org", "notify_replies": "on"}
    first = _form_post(client, article, capture, body="Tell me of replies.", **ask)
    replier = Client()
    _form_post(replier, article, capture, body="A first answer.", name="Bo", parent=first.pk)
    assert _replies("Ann@Example.org") == [], "a reply e-mail went to an unconfirmed address"

    # One confirmation e-mail, however many comments ask with the same address (any case).
    _form_post(client, article, capture, body="And of these too.", **ask)
    _form_post(Client(), article, capture, body="Mine too.", **{**ask, "email": "ann@example.org"})
    sent = [m for m in mail.outbox if LINK.search(m.body)]
    assert len(sent) == 1, [m.subject for m in mail.outbox]
    token = LINK.search(sent[0].body).group(1)
    assert "ann@example.org" not in token.lower()  # the link names no address

    opened = Client().get(f"/discussion/confirm-email/{token}/")
    assert opened.status_code == 200 and "confirmed" in opened.content.decode()
    row = EmailConfirmation.objects.get()
    assert row.confirmed_at is not None
    assert "@" not in row.address_hash  # the table keeps no address

    _form_post(replier, article, capture, body="A second answer.", name="Bo", parent=first.pk)
    assert len(_replies("Ann@Example.org")) == 1
    again = Client().get(f"/discussion/confirm-email/{token}/")
    assert again.status_code == 200 and "already confirmed" in again.content.decode()
    assert len([m for m in mail.outbox if LINK.search(m.body)]) == 1


def test_a_forged_or_expired_link_changes_nothing(
    client, article, django_capture_on_commit_callbacks, monkeypatch
):
    capture = django_capture_on_commit_callbacks
    ask = {"name": "Cy", "email": "cy@example.org", "notify_replies": "on"}
    first = _form_post(client, article, capture, body="Tell me.", **ask)
    (message,) = _confirmations("cy@example.org")
    token = LINK.search(message.body).group(1)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (forged, "not-a-token", token.split(":")[0] + ":x:y"):
        answer = Client().get(f"/discussion/confirm-email/{bad}/")
        assert answer.status_code == 400 and "not valid" in answer.content.decode()
    late = time.time() + 8 * 24 * 3600  # past DISCUSSION_EMAIL_CONFIRM_DAYS (7)
    monkeypatch.setattr("django.core.signing.time.time", lambda: late)
    answer = Client().get(f"/discussion/confirm-email/{token}/")
    monkeypatch.undo()
    assert answer.status_code == 400 and "expired" in answer.content.decode()
    assert EmailConfirmation.objects.get().confirmed_at is None
    _form_post(Client(), article, capture, body="An answer.", name="Bo", parent=first.pk)
    assert _replies("cy@example.org") == []


def test_subscribers_get_nothing_until_confirmed(
    client, article, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    ask = {"name": "Di", "email": "di@example.org", "subscribe": "on"}
    _form_post(client, article, capture, body="Follow this thread.", **ask)
    assert Subscription.objects.count() == 1
    with capture(execute=True):
        post(article, guest(), "A new comment.")
    assert [m.subject for m in mail.outbox if m.to == ["di@example.org"]] == [
        _confirmations("di@example.org")[0].subject
    ]
    token = LINK.search(_confirmations("di@example.org")[0].body).group(1)
    assert Client().get(f"/discussion/confirm-email/{token}/").status_code == 200
    with capture(execute=True):
        post(article, guest(), "Another comment.")
    assert any("New comment" in m.subject for m in mail.outbox if m.to == ["di@example.org"])


def test_confirmation_emails_are_rate_limited_per_client_address(
    article, django_capture_on_commit_callbacks
):
    """Listing strangers' addresses in comments fills no inbox: a client address causes at
    most DISCUSSION_EMAIL_CONFIRMS_PER_IP (5) confirmation e-mails an hour."""
    capture = django_capture_on_commit_callbacks
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(8):
        ask = {"name": "Ed", "email": f"victim{n}@example.org", "notify_replies": "on"}
        _form_post(client, article, capture, body=f"Comment number {n}.", **ask)
    assert len([m for m in mail.outbox if LINK.search(m.body)]) == 5
    assert Comment.objects.count() == 8  # the comments themselves are posted


def test_the_confirmation_and_the_reply_emails_go_once_when_a_task_runs_twice(
    article, django_capture_on_commit_callbacks
):
    from newsdesk.discussion.tasks import comment_notifications_send, email_confirmation_send

    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        parent = post(
            article, guest(), "Tell me.", guest_email="fay@example.org", notify_replies=True
        )
    email_confirmation_send.call(comment_id=parent.pk)  # the task again: a retry
    assert len(_confirmations("fay@example.org")) == 1
    token = LINK.search(_confirmations("fay@example.org")[0].body).group(1)
    Client().get(f"/discussion/confirm-email/{token}/")
    with capture(execute=True):
        reply = post(article, guest(), "Answer.", name="Gus", parent=parent)
    comment_notifications_send.call(comment_id=reply.pk)
    assert len(_replies("fay@example.org")) == 1


def test_a_verified_account_address_needs_no_confirmation(
    article, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    verified = member("verified")
    EmailAddress.objects.create(
        user=verified.user, email=verified.user.email, verified=True, primary=True
    )
    unverified = member("unverified")
    with capture(execute=True):
        mine = post(article, verified, "Tell me.", notify_replies=True)
        theirs = post(article, unverified, "Tell me too.", notify_replies=True)
    assert _confirmations(verified.user.email) == []
    assert len(_confirmations(unverified.user.email)) == 1
    with capture(execute=True):
        post(article, guest(), "Answer one.", name="Hal", parent=mine)
        post(article, guest(), "Answer two.", name="Hal", parent=theirs)
    assert len(_replies(verified.user.email)) == 1
    assert _replies(unverified.user.email) == []


def test_the_api_asks_for_confirmation_too(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = Client().post(
            f"/api/threads/{article.pk}/comments",
            {"body": "Tell me.", "name": "Ivy", "email": "ivy@example.org", "notify_replies": True},
            content_type="application/json",
            HTTP_X_GUEST_TOKEN="a-guest-token-of-ivy-0123456789",
        )
    assert answer.status_code == 201, answer.content
    assert "confirm your address" in answer.json()["message"]
    assert len(_confirmations("ivy@example.org")) == 1


def test_a_guest_who_deletes_the_comment_takes_the_address(
    client, article, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    ask = {"name": "Jo", "email": "jo@example.org", "notify_replies": "on"}
    comment = _form_post(client, article, capture, body="Tell me.", **ask)
    assert client.post(f"/discussion/comments/{comment.pk}/delete/").status_code == 303
    comment.refresh_from_db()
    assert (comment.guest_email, comment.notify_replies) == ("", False)
    kept = EmailConfirmation.objects.values_list("address_hash", "requested_at", "sent_at")
    assert not any("jo@" in str(value) for row in kept for value in row)
    # The e-mail asked for before the deletion was sent; the task, run again, finds no address.
    from newsdesk.discussion.tasks import email_confirmation_send

    assert email_confirmation_send.call(comment_id=comment.pk) is False


def test_erasing_an_account_forgets_its_confirmed_addresses(
    article, django_capture_on_commit_callbacks
):
    from newsdesk.accounts.services import account_erase
    from newsdesk.discussion.services.email_confirmations import email_confirmed

    reader = member("kim")
    EmailAddress.objects.create(user=reader.user, email="kim@example.org", verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        # Kim also wrote as a guest, with the account's address, and confirmed it.
        post(article, guest(), "As a guest.", guest_email="kim@example.org", notify_replies=True)
    token = LINK.search(_confirmations("kim@example.org")[0].body).group(1)
    Client().get(f"/discussion/confirm-email/{token}/")
    assert email_confirmed(email="kim@example.org")
    account_erase(user=reader.user, password="a long pass 42")
    assert not EmailConfirmation.objects.exists()


class _WorkerKilled(BaseException):
    """A worker killed (kill -9, a lost machine) while it hands an e-mail to the mail server:
    no ``except Exception`` in the task runs, as none would."""


def test_an_email_whose_worker_died_while_sending_is_sent_by_the_next_run(
    article, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    from newsdesk.discussion.tasks import comment_notifications_send, email_confirmation_send

    capture = django_capture_on_commit_callbacks
    with capture(execute=False):  # the tasks are run below, by hand
        parent = post(
            article, guest(), "Tell me.", guest_email="hal@example.org", notify_replies=True
        )
    send = EmailBackend.send_messages

    def dies(self, *args, **kwargs):
        raise _WorkerKilled

    monkeypatch.setattr(EmailBackend, "send_messages", dies)
    with pytest.raises(_WorkerKilled):
        email_confirmation_send.call(comment_id=parent.pk)
    monkeypatch.setattr(EmailBackend, "send_messages", send)
    email_confirmation_send.call(comment_id=parent.pk)  # the task, re-queued by recovery
    assert len(_confirmations("hal@example.org")) == 1
    token = LINK.search(_confirmations("hal@example.org")[0].body).group(1)
    Client().get(f"/discussion/confirm-email/{token}/")
    with capture(execute=False):
        reply = post(article, guest(), "Answer.", name="Ivy", parent=parent)
    monkeypatch.setattr(EmailBackend, "send_messages", dies)
    with pytest.raises(_WorkerKilled):
        comment_notifications_send.call(comment_id=reply.pk)
    monkeypatch.setattr(EmailBackend, "send_messages", send)
    comment_notifications_send.call(comment_id=reply.pk)
    comment_notifications_send.call(comment_id=reply.pk)  # and once more: still one e-mail
    assert len(_replies("hal@example.org")) == 1
