"""The providers' tracking webhooks, posted as Postmark (basic auth) and Mailgun (HMAC of a
signing key) post them, through anymail's views: stored once, mapped to the send record,
hard bounces and complaints suppressed; a wrong signature writes nothing."""

import base64
import hashlib
import hmac
import json

import pytest

from newsdesk.newsletters.models import Subscription, SubscriptionStatus, Suppression
from newsdesk.newsletters.models_sending import RecordStatus, SendRecord, TrackingEvent
from newsdesk.newsletters.services import sending
from newsdesk.newsletters.tests import issue_factories
from newsdesk.newsletters.tests.sending_helpers import subscriber

pytestmark = pytest.mark.django_db

POSTMARK_URL = "/newsletter/anymail/postmark/tracking/"
MAILGUN_URL = "/newsletter/anymail/mailgun/tracking/"
SECRET = "hooks:a-long-shared-secret"
MAILGUN_KEY = "mailgun-signing-key-for-tests"


@pytest.fixture(autouse=True)
def _anymail(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}


@pytest.fixture
def sent(article, settings):
    """A send of three records, handed over with the Message-IDs a provider reports back."""
    settings.NEWSLETTER_SEND_RATE = 0
    issue = issue_factories.issue(articles=[article])
    other = issue_factories.newsletter("weekly")
    for n in range(3):
        person = subscriber(f"reader{n}@example.org", issue.newsletter)
        subscriber(person.email, other)
    send = sending.send_schedule(issue=issue, segment="all", at=None, user=None)
    sending.send_start(send=send)
    sending.send_batch_run(send_id=send.pk)
    return send


def _record(send, n: int) -> SendRecord:
    return SendRecord.objects.get(send=send, email=f"reader{n}@example.org")


def _basic(secret: str) -> str:
    return "Basic " + base64.b64encode(secret.encode()).decode()


def _postmark(client, payload: dict, *, secret: str = SECRET):
    return client.post(
        POSTMARK_URL,
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=_basic(secret),
    )


def _postmark_bounce(record: SendRecord, *, kind: str = "HardBounce", event_id: int = 42) -> dict:
    # The shape of Postmark's bounce webhook (as anymail's own tests post it).
    return {
        "RecordType": "Bounce",
        "ServerID": 23,
        "MessageStream": "broadcast",
        "ID": event_id,
        "Type": kind,
        "TypeCode": 1 if kind == "HardBounce" else 4096,
        "Name": "Hard bounce" if kind == "HardBounce" else "Soft bounce",
        "Tag": "",
        "MessageID": record.message_id,
        "Description": "The server was unable to deliver your message (unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": record.email,
        "From": "news@example.org",
        "BouncedAt": "2026-12-05T10:28:50.1234-04:00",
        "DumpAvailable": False,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "The morning brief",
        "Metadata": {},
    }


def test_a_signed_postmark_hard_bounce_suppresses_the_address_and_ends_its_lists(client, sent):
    record = _record(sent, 1)

    response = _postmark(client, _postmark_bounce(record))

    assert response.status_code == 200
    record.refresh_from_db()
    assert record.bounced_at is not None and record.status == RecordStatus.SENT
    suppression = Suppression.objects.get(email=record.email)
    assert suppression.reason == "bounce"
    statuses = set(
        Subscription.objects.filter(subscriber__email=record.email).values_list("status", flat=True)
    )
    assert statuses == {SubscriptionStatus.UNSUBSCRIBED}
    [event] = TrackingEvent.objects.all()
    assert (event.esp_name, event.event_type, event.recipient) == (
        "Postmark",
        "bounced",
        record.email,
    )
    assert event.raw["Type"] == "HardBounce"
    # The others are untouched.
    assert not Suppression.objects.exclude(email=record.email).exists()


def test_the_same_event_posted_twice_is_stored_once(client, sent):
    payload = _postmark_bounce(_record(sent, 0))

    assert _postmark(client, payload).status_code == 200
    assert _postmark(client, payload).status_code == 200

    assert TrackingEvent.objects.count() == 1
    assert Suppression.objects.count() == 1


def test_a_wrong_secret_is_refused_and_writes_nothing(client, sent):
    response = _postmark(client, _postmark_bounce(_record(sent, 0)), secret="hooks:guessed")
    unsigned = client.post(
        POSTMARK_URL,
        data=json.dumps(_postmark_bounce(_record(sent, 0))),
        content_type="application/json",
    )

    assert response.status_code in {400, 401, 403}
    assert unsigned.status_code in {400, 401, 403}
    assert not TrackingEvent.objects.exists()
    assert not Suppression.objects.exists()
    assert _record(sent, 0).bounced_at is None


def test_a_soft_bounce_marks_the_record_and_suppresses_nothing(client, sent):
    record = _record(sent, 2)

    _postmark(client, _postmark_bounce(record, kind="SoftBounce", event_id=43))

    record.refresh_from_db()
    assert record.bounced_at is not None
    assert not Suppression.objects.exists()
    assert (
        Subscription.objects.filter(
            subscriber__email=record.email, status=SubscriptionStatus.SUBSCRIBED
        ).count()
        == 2
    )


def test_a_postmark_delivery_and_complaint_reach_their_record(client, sent):
    record = _record(sent, 0)
    delivery = {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "broadcast",
        "MessageID": record.message_id,
        "Recipient": record.email,
        "Tag": "",
        "DeliveredAt": "2026-12-05T10:28:10.2735393-04:00",
        "Details": "Test delivery webhook details",
        "Metadata": {},
    }
    complaint = {**_postmark_bounce(record, event_id=44), "Type": "SpamComplaint"}
    complaint["RecordType"] = "SpamComplaint"

    assert _postmark(client, delivery).status_code == 200
    assert _postmark(client, complaint).status_code == 200

    record.refresh_from_db()
    assert record.delivered_at is not None and record.complained_at is not None
    assert Suppression.objects.get(email=record.email).reason == "complaint"
    assert TrackingEvent.objects.count() == 2


def _mailgun_signed(payload: dict, *, key: str = MAILGUN_KEY) -> dict:
    timestamp, token = "1764930000", "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature.hexdigest()},
        "event-data": payload,
    }


def _mailgun_failure(record: SendRecord) -> dict:
    # Mailgun's "failed" (permanent) event as its webhooks post it.
    return {
        "event": "failed",
        "id": "G9Bn5sl1TC6nu79C8C0bwg",
        "timestamp": 1764930000.1,
        "severity": "permanent",
        "reason": "bounce",
        "recipient": record.email,
        "message": {"headers": {"message-id": record.message_id}},
        "delivery-status": {
            "code": 550,
            "message": "5.1.1 The email account that you tried to reach does not exist",
            "description": "",
        },
    }


def test_a_mailgun_permanent_failure_signed_with_the_key_suppresses_the_address(client, sent):
    record = _record(sent, 2)

    response = client.post(
        MAILGUN_URL,
        data=json.dumps(_mailgun_signed(_mailgun_failure(record))),
        content_type="application/json",
        HTTP_AUTHORIZATION=_basic(SECRET),
    )

    assert response.status_code == 200
    record.refresh_from_db()
    assert record.bounced_at is not None
    assert Suppression.objects.get(email=record.email).reason == "bounce"


def test_a_mailgun_event_signed_with_another_key_writes_nothing(client, sent):
    response = client.post(
        MAILGUN_URL,
        data=json.dumps(_mailgun_signed(_mailgun_failure(_record(sent, 2)), key="not-it")),
        content_type="application/json",
        HTTP_AUTHORIZATION=_basic(SECRET),  # right, so that the signature is what fails
    )

    assert response.status_code in {400, 401, 403}
    assert not TrackingEvent.objects.exists() and not Suppression.objects.exists()


def test_a_later_send_leaves_the_suppressed_address_out(client, sent):
    record = _record(sent, 1)
    _postmark(client, _postmark_bounce(record))
    issue = issue_factories.issue(title="The next brief", articles=[])

    later = sending.send_schedule(issue=issue, segment="all", at=None, user=None)
    sending.send_start(send=later)

    assert set(SendRecord.objects.filter(send=later).values_list("email", flat=True)) == {
        "reader0@example.org",
        "reader2@example.org",
    }


def test_a_webhook_costs_a_fixed_number_of_queries(client, sent, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = _postmark(client, _postmark_bounce(_record(sent, 1)))

    assert response.status_code == 200
