"""Sending an issue through a real SMTP server (aiosmtpd on 127.0.0.1): what arrives, to
whom, with which headers and parts; batches, resume, skips, cancel, pacing, test copies."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.newsletters import links
from newsdesk.newsletters.errors import SendRefused
from newsdesk.newsletters.models import Subscription, SubscriptionStatus, Suppression
from newsdesk.newsletters.models_sending import RecordStatus, Send, SendRecord, SendStatus
from newsdesk.newsletters.services import sending
from newsdesk.newsletters.tests import issue_factories
from newsdesk.newsletters.tests.sending_helpers import smtp_settings, subscriber
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        smtp_settings(settings, server)
        yield server


@pytest.fixture
def issue(article):
    return issue_factories.issue(title="The morning brief", articles=[article])


def _people(newsletter, count: int = 3):
    return [
        subscriber(f"reader{n}@example.org", newsletter, name=f"Reader {n}") for n in range(count)
    ]


def _started(issue, segment: str = "all") -> Send:
    """A send started (records written), its batches not run yet: the test's transaction
    never commits, so the batch queued with the commit does not run."""
    send = sending.send_schedule(issue=issue, segment=segment, at=None, user=None)
    assert sending.send_start(send=send)
    send.refresh_from_db()
    return send


def test_a_send_reaches_each_subscriber_once_with_their_links_and_the_one_click_headers(
    smtp, issue, django_capture_on_commit_callbacks
):
    readers = _people(issue.newsletter)
    subscriber("pending@example.org", issue.newsletter, status=SubscriptionStatus.PENDING)
    subscriber("left@example.org", issue.newsletter, status=SubscriptionStatus.UNSUBSCRIBED)
    subscriber("bounced@example.org", issue.newsletter)
    Suppression.objects.create(email="bounced@example.org", reason="bounce")
    other = issue_factories.newsletter("weekly")
    subscriber("other-list@example.org", other)

    with django_capture_on_commit_callbacks(execute=True):
        send = sending.send_schedule(issue=issue, segment="all", at=None, user=None)

    send.refresh_from_db()
    assert send.status == SendStatus.SENT and send.finished_at is not None
    assert send.recipients_count == 3
    received = {message["To"]: message for message in smtp.parsed()}
    assert sorted(received) == sorted(reader.email for reader in readers)
    assert len(smtp.parsed()) == 3
    for reader in readers:
        message = received[reader.email]
        record = SendRecord.objects.get(send=send, subscriber=reader)
        assert record.status == RecordStatus.SENT and record.sent_at is not None
        unsubscribe = links.unsubscribe_url(token=reader.token, newsletter_slug="daily")
        assert message["Subject"] == "The morning brief"
        assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Message-ID"] == f"<{record.message_id}>"
        assert "news@example.org" in message["From"]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        for part in (text, html):
            assert "{{" not in part
            assert links.preferences_url(token=reader.token) in part
        assert unsubscribe in text and unsubscribe in html


def test_starting_writes_every_record_in_a_fixed_number_of_queries(issue):
    def start_count(size: int) -> int:
        Send.objects.all().delete()
        for n in range(size):
            subscriber(f"r{size}-{n}@example.org", issue.newsletter)
        send = sending.send_schedule(issue=issue, segment="all", at=None, user=None)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert sending.send_start(send=send)
        assert (
            SendRecord.objects.filter(send=send).count()
            == Subscription.objects.filter(newsletter=issue.newsletter).count()
        )
        return len(queries)

    start_count(2)  # the first rendering makes the picks' renditions
    assert start_count(5) == start_count(60)


def test_a_second_run_sends_nothing_again_and_the_message_in_flight_is_sent_once_more(smtp, issue):
    readers = _people(issue.newsletter, 4)
    send = _started(issue)
    records = list(SendRecord.objects.filter(send=send).order_by("pk"))
    # As a worker killed mid-batch leaves it: two sent, the third handed over or not (its
    # Message-ID written), the last untouched.
    for record in records[:2]:
        SendRecord.objects.filter(pk=record.pk).update(
            status=RecordStatus.SENT, sent_at=timezone.now()
        )
    in_flight = sending.message_id_for(send_id=send.pk, record_id=records[2].pk)
    SendRecord.objects.filter(pk=records[2].pk).update(message_id=in_flight)

    outcome = sending.send_batch_run(send_id=send.pk)

    assert outcome.state == "sent"
    assert (outcome.sent, outcome.resent_in_flight) == (2, 1)
    assert sorted(m["To"] for m in smtp.parsed()) == sorted(r.email for r in readers[2:])
    assert smtp.parsed()[0]["Message-ID"] == f"<{in_flight}>"
    assert sending.send_batch_run(send_id=send.pk).state == "stopped"
    assert len(smtp.parsed()) == 2


def test_batches_follow_one_another_until_no_record_is_pending(smtp, issue, settings):
    settings.NEWSLETTER_BATCH_SIZE = 2
    _people(issue.newsletter, 5)
    send = _started(issue)

    # The immediate backend runs each next batch as soon as it is queued.
    outcome = sending.send_batch_run(send_id=send.pk)

    assert outcome.state == "more" and outcome.sent == 2
    send.refresh_from_db()
    assert send.status == SendStatus.SENT
    assert len(smtp.parsed()) == 5
    assert len({m["To"] for m in smtp.parsed()}) == 5


def test_an_address_suppressed_or_unsubscribed_before_its_turn_is_skipped(smtp, issue):
    readers = _people(issue.newsletter, 4)
    send = _started(issue)
    Suppression.objects.create(email=readers[1].email, reason="complaint")
    Subscription.objects.filter(subscriber=readers[2]).update(
        status=SubscriptionStatus.UNSUBSCRIBED
    )

    outcome = sending.send_batch_run(send_id=send.pk)

    assert (outcome.sent, outcome.skipped) == (2, 2)
    assert sorted(m["To"] for m in smtp.parsed()) == sorted([readers[0].email, readers[3].email])
    skipped = SendRecord.objects.filter(send=send, status=RecordStatus.SKIPPED)
    assert {r.email for r in skipped} == {readers[1].email, readers[2].email}
    send.refresh_from_db()
    assert send.status == SendStatus.SENT


def test_a_refused_recipient_is_marked_failed_and_the_others_still_go(issue, settings):
    from tests.support import smtp as smtp_module

    class RefusingKeeper(smtp_module._Keeper):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("reader1@"):
                return "550 No such user here"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    server = SmtpServer()
    server._keeper = RefusingKeeper()
    server._controller.handler = server._keeper
    with server:
        smtp_settings(settings, server)
        _people(issue.newsletter, 3)
        send = _started(issue)
        outcome = sending.send_batch_run(send_id=send.pk)
        received = sorted(m["To"] for m in server.parsed())

    assert (outcome.sent, outcome.failed) == (2, 1)
    assert received == ["reader0@example.org", "reader2@example.org"]
    failed = SendRecord.objects.get(send=send, status=RecordStatus.FAILED)
    assert failed.email == "reader1@example.org"


def test_a_cancelled_send_stops_and_cannot_be_cancelled_twice(smtp, issue):
    _people(issue.newsletter, 2)
    later = timezone.now() + timedelta(hours=2)
    send = sending.send_schedule(issue=issue, segment="all", at=later, user=None)
    assert send.status == SendStatus.SCHEDULED and send.scheduled_at == later
    assert sending.send_start(send=send) is False  # not due yet

    sending.send_cancel(send=send, user=None)

    send.refresh_from_db()
    assert send.status == SendStatus.CANCELLED
    with pytest.raises(SendRefused):
        sending.send_cancel(send=send, user=None)
    Send.objects.filter(pk=send.pk).update(scheduled_at=timezone.now())
    assert sending.send_start(send=send) is False
    assert sending.sends_due_start() == 0
    assert smtp.parsed() == []


def test_the_periodic_duty_starts_a_send_whose_task_was_lost(smtp, issue):
    _people(issue.newsletter, 2)
    send = sending.send_schedule(
        issue=issue, segment="all", at=timezone.now() + timedelta(hours=1), user=None
    )
    Send.objects.filter(pk=send.pk).update(scheduled_at=timezone.now() - timedelta(minutes=1))

    assert sending.sends_due_start() == 1

    send.refresh_from_db()
    assert send.status == SendStatus.SENDING and send.recipients_count == 2
    assert sending.sends_due_start() == 0


def test_scheduling_refuses_an_unknown_segment_or_a_second_send_to_the_same_segment(issue):
    with pytest.raises(SendRefused):
        sending.send_schedule(issue=issue, segment="everyone", at=None, user=None)
    assert not Send.objects.exists()
    sending.send_schedule(
        issue=issue, segment="all", at=timezone.now() + timedelta(hours=1), user=None
    )
    with pytest.raises(SendRefused):
        sending.send_schedule(issue=issue, segment="all", at=None, user=None)
    assert Send.objects.count() == 1


def test_messages_are_paced_to_the_send_rate(smtp, issue, settings):
    settings.NEWSLETTER_SEND_RATE = 20
    _people(issue.newsletter, 6)
    send = _started(issue)

    began = time.monotonic()
    sending.send_batch_run(send_id=send.pk)
    took = time.monotonic() - began

    # A floor, not a ceiling: six messages at 20 a second cannot take less than 5 gaps of
    # 50 ms however fast the machine (a slow one only takes longer).
    assert took >= 5 / 20 * 0.95
    assert len(smtp.parsed()) == 6


def test_a_test_copy_goes_to_the_editor_marked_test_with_the_same_headers(smtp, issue, admin_user):
    sending.send_test(issue=issue, to="Editor@Example.org", user=admin_user)

    [message] = smtp.parsed()
    assert message["To"] == "editor@example.org"
    assert message["Subject"] == "[Test] The morning brief"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].strip().startswith("<http")
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    assert not Send.objects.exists()
    with pytest.raises(SendRefused):
        sending.send_test(issue=issue, to="not an address", user=admin_user)
    assert len(smtp.parsed()) == 1


def test_the_list_unsubscribe_url_of_a_sent_message_unsubscribes_with_one_post(smtp, issue, client):
    [reader] = _people(issue.newsletter, 1)
    send = _started(issue)
    sending.send_batch_run(send_id=send.pk)
    [message] = smtp.parsed()
    url = message["List-Unsubscribe"].strip().strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]

    # RFC 8058: the mail program posts this body, with no cookie and no token.
    response = client.post(
        "/" + path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    subscription = Subscription.objects.get(subscriber=reader, newsletter=issue.newsletter)
    assert subscription.status == SubscriptionStatus.UNSUBSCRIBED


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _story_link(html: str, article) -> str:
    """The address of the article in the issue's HTML (the site's address + its path)."""
    import re

    return next(u for u in re.findall(r'href="([^"]+)"', html) if u.endswith(article.url))


def test_links_are_plain_unless_click_counts_are_enabled(smtp, issue, article):
    _people(issue.newsletter, 1)
    send = _started(issue)
    sending.send_batch_run(send_id=send.pk)

    html = smtp.parsed()[0].get_body(("html",)).get_content()
    assert "/newsletter/c/" not in html
    assert _story_link(html, article).startswith("http")


def test_counted_links_count_in_aggregate_and_redirect_only_to_the_issues_links(
    smtp, issue, article, settings, client, django_assert_max_num_queries
):
    import re

    from newsdesk.newsletters.models_sending import LinkClick
    from newsdesk.newsletters.rendering import issue_render
    from newsdesk.newsletters.views_clicks import click_url

    plain = _story_link(issue_render(issue=issue).html, article)
    settings.NEWSLETTER_CLICK_COUNTS = True
    _people(issue.newsletter, 1)
    send = _started(issue)
    sending.send_batch_run(send_id=send.pk)
    html = smtp.parsed()[0].get_body(("html",)).get_content()
    counted = [u for u in re.findall(r'href="([^"]+)"', html) if "/newsletter/c/" in u]
    assert counted, "the issue's links go through the counter"
    assert "/newsletter/unsubscribe/" in html  # the reader's own links are never counted
    first = client.get(_path(counted[0]))
    assert first.status_code == 302
    story = next(u for u in counted if client.get(_path(u))["Location"] == plain)
    LinkClick.objects.all().update(count=0)

    with django_assert_max_num_queries(4):
        response = client.get(_path(story))
    client.get(_path(story))

    assert response.status_code == 302 and response["Location"] == plain
    assert LinkClick.objects.get(send=send, url=plain).count == 2
    assert not LinkClick.objects.filter(url__contains="/newsletter/unsubscribe/").exists()
    # A link signed for another send, a forged one, an address never in the issue: 404.
    other_send = _path(click_url(send_id=send.pk + 1, url=plain))
    token = _path(story).rstrip("/").rsplit("/", 1)[1]
    forged = _path(story).replace(token, token[:-4] + "abcd")
    assert client.get(other_send).status_code == 404
    assert client.get(forged).status_code == 404
    assert client.get(f"/newsletter/c/{send.pk}/https%3A%2F%2Fevil.example/").status_code == 404
    assert LinkClick.objects.get(send=send, url=plain).count == 2


def test_a_batch_waits_while_a_live_worker_holds_the_lock_and_takes_a_dead_ones(smtp, issue):
    import subprocess

    from django.core.cache import cache

    from newsdesk.core.taskrecovery import worker_id_for_this_process

    _people(issue.newsletter, 2)
    send = _started(issue)
    cache.set(sending.LOCK_KEY, f"{worker_id_for_this_process()}|another-batch", 60)

    assert sending.send_batch_run(send_id=send.pk).state == "busy"
    assert smtp.parsed() == []

    gone = subprocess.Popen(["true"])
    gone.wait()
    dead_worker = worker_id_for_this_process().rsplit(":", 1)[0] + f":{gone.pid}"
    cache.set(sending.LOCK_KEY, f"{dead_worker}|its-batch", 60)

    assert sending.send_batch_run(send_id=send.pk).state == "sent"
    assert len(smtp.parsed()) == 2
    assert cache.get(sending.LOCK_KEY) is None
