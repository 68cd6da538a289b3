"""A reader's newsletter data (issue 21, item 5): the data download has their subscriptions
with the consent records and the mails sent to them; erasing the account deletes their
subscriber rows and subscriptions and takes their address off the send records and tracking
events, while every send's figures stay what they were."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from newsdesk.accounts.selectors import personal_data_export
from newsdesk.accounts.services import account_erase
from newsdesk.newsletters.models import (
    ConsentSource,
    Send,
    SendRecord,
    Subscriber,
    Subscription,
    SubscriptionStatus,
    Suppression,
    SuppressionReason,
    TrackingEvent,
)
from newsdesk.newsletters.models_sending import RecordStatus, SendStatus
from newsdesk.newsletters.selectors_reports import sends_figures
from newsdesk.newsletters.tests import issue_factories

pytestmark = pytest.mark.django_db
PASSWORD = "a long river password 42"
T0 = datetime(2026, 10, 1, 8, tzinfo=UTC)


def reader(username, email, *, verified=True):
    user = get_user_model().objects.create_user(username=username, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def subscriber(
    email, *, user=None, lists=("daily",), status=SubscriptionStatus.SUBSCRIBED, left=None
):
    one = Subscriber.objects.create(email=email, user=user, name="Ada", token=f"t-{email}")
    for slug in lists:
        Subscription.objects.create(
            subscriber=one,
            newsletter=issue_factories.newsletter(slug),
            status=status,
            consent_at=T0 - timedelta(days=30),
            consent_source=ConsentSource.ARTICLE,
            consent_url="/world/river/",
            consent_text="Get the daily briefing in your inbox.",
            confirmed_at=T0 - timedelta(days=30, minutes=-3),
            unsubscribed_at=left,
        )
    return one


def send_to(subscribers, *, at=T0, **marks):
    issue = issue_factories.issue(list_slug="daily")
    send = Send.objects.create(
        issue=issue,
        newsletter=issue.newsletter,
        status=SendStatus.SENT,
        scheduled_at=at,
        started_at=at,
        subject=issue.title,
    )
    for one in subscribers:
        SendRecord.objects.create(
            send=send,
            subscriber=one,
            email=one.email,
            status=RecordStatus.SENT,
            sent_at=at,
            message_id=f"<{send.pk}.{one.pk}@news>",
            **marks.get(one.email, {}),
        )
    return send


@pytest.fixture
def world():
    ada = reader("ada", "ada@example.org")
    ada_sub = subscriber("ada@example.org", lists=("daily", "weekly"))
    # An address tied to her account (signed up while signed in) but no longer verified.
    old_sub = subscriber("ada.old@example.net", user=ada, lists=("breaking",))
    ben = reader("ben", "ben@example.org")
    ben_sub = subscriber("ben@example.org")
    # Ada typed Ben's second address into her account, unverified: not hers.
    EmailAddress.objects.create(user=ada, email="ben.two@example.org", verified=False)
    ben_two = subscriber("ben.two@example.org")
    return {
        "ada": ada,
        "ada_sub": ada_sub,
        "old_sub": old_sub,
        "ben": ben,
        "ben_sub": ben_sub,
        "ben_two": ben_two,
    }


def test_the_download_has_the_readers_subscriptions_with_their_consent(world, rf):
    Suppression.objects.create(email="ada.old@example.net", reason=SuppressionReason.BOUNCE)
    send_to([world["ada_sub"], world["ben_sub"]])

    document = personal_data_export(user=world["ada"], request=rf.get("/"))

    part = document["newsletters"]["subscribers"]
    assert [one["email"] for one in part] == ["ada.old@example.net", "ada@example.org"]
    old, ada = part
    assert old["suppressed"] == "bounce"
    assert [s["newsletter_slug"] for s in ada["subscriptions"]] == ["daily", "weekly"]
    daily = ada["subscriptions"][0]
    assert daily["consent_text"] == "Get the daily briefing in your inbox."
    assert daily["consent_source"] == "article"
    assert daily["consent_url"] == "/world/river/"
    assert daily["consent_at"] == (T0 - timedelta(days=30)).isoformat()
    assert daily["confirmed_at"] is not None
    assert [m["status"] for m in ada["mails"]] == ["sent"]
    text = json.dumps(document["newsletters"])
    assert "ben@example.org" not in text and "ben.two@example.org" not in text


def test_the_download_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(6):
        send_to([world["ada_sub"]])
    from newsdesk.newsletters.services.personal_data import reader_newsletter_export

    with django_assert_max_num_queries(3):
        part = reader_newsletter_export(user=world["ada"], emails=["ada@example.org"])
    assert len(part["subscribers"][1]["mails"]) == 6
    nobody = reader("cleo", "cleo@example.org")
    with django_assert_max_num_queries(1):
        assert reader_newsletter_export(user=nobody, emails=["cleo@example.org"]) == {
            "subscribers": []
        }


def test_erasure_removes_subscriptions_and_keeps_every_sends_figures(world):
    ada_sub, ben_sub = world["ada_sub"], world["ben_sub"]
    first = send_to(
        [ada_sub, ben_sub],
        at=T0,
        **{"ada@example.org": {"delivered_at": T0, "complained_at": T0 + timedelta(hours=1)}},
    )
    # Ada leaves the daily after the first mail: the first send's report counts it.
    Subscription.objects.filter(subscriber=ada_sub, newsletter__slug="daily").update(
        status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=T0 + timedelta(hours=2)
    )
    second = send_to([ben_sub], at=T0 + timedelta(days=1))
    TrackingEvent.objects.create(
        event_id="ev-1",
        esp_name="Postmark",
        event_type="complained",
        recipient="Ada@Example.org",
        raw={"Recipient": "Ada@Example.org"},
    )
    TrackingEvent.objects.create(
        event_id="ev-2",
        esp_name="Postmark",
        event_type="delivered",
        recipient="ben@example.org",
        raw={"Recipient": "ben@example.org"},
    )
    Suppression.objects.create(email="ada@example.org", reason=SuppressionReason.COMPLAINT)
    before = sends_figures(send_ids=[first.pk, second.pk])
    assert before[first.pk].unsubscribes == 1 and before[first.pk].complaints == 1

    report = account_erase(user=world["ada"], password=PASSWORD)

    assert report.newsletter_subscriptions_deleted == 3  # daily, weekly, breaking
    assert not Subscriber.objects.filter(
        email__in=["ada@example.org", "ada.old@example.net"]
    ).exists()
    assert not Subscription.objects.filter(
        subscriber_id__in=[ada_sub.pk, world["old_sub"].pk]
    ).exists()
    assert sends_figures(send_ids=[first.pk, second.pk]) == before
    records = SendRecord.objects.filter(send=first).order_by("pk")
    assert [(r.email, r.subscriber_id) for r in records] == [
        ("", None),
        ("ben@example.org", ben_sub.pk),
    ]
    erased_event = TrackingEvent.objects.get(event_id="ev-1")
    assert (erased_event.recipient, erased_event.raw, erased_event.event_type) == (
        "",
        {},
        "complained",
    )
    assert TrackingEvent.objects.get(event_id="ev-2").recipient == "ben@example.org"
    # The suppression stays: the address asked for nothing more.
    assert Suppression.objects.filter(email="ada@example.org").exists()
    # Others' rows, the unverified address typed into her account included, stay.
    assert Subscription.objects.filter(subscriber__email="ben.two@example.org").exists()
    assert Subscription.objects.filter(subscriber=ben_sub).exists()


def test_a_guest_address_is_forgotten_by_the_same_rules(world):
    from newsdesk.newsletters.services.personal_data import subscriber_forget

    guest = subscriber("guest@example.net", lists=("daily",))
    first = send_to([guest, world["ben_sub"]], **{"guest@example.net": {"bounced_at": T0}})
    before = sends_figures(send_ids=[first.pk])

    erased = subscriber_forget(subscriber=guest)

    assert (erased.subscribers_deleted, erased.subscriptions_deleted) == (1, 1)
    assert erased.send_records_anonymized == 1
    assert not Subscriber.objects.filter(email="guest@example.net").exists()
    assert not SendRecord.objects.filter(email="guest@example.net").exists()
    assert sends_figures(send_ids=[first.pk]) == before
    assert Subscriber.objects.filter(pk=world["ben_sub"].pk).exists()


def test_the_privacy_page_counts_the_readers_newsletter_records(world, client):
    send_to([world["ada_sub"], world["ben_sub"]])
    client.force_login(world["ada"])
    html = client.get("/accounts/privacy/").content.decode()
    line = html.split('data-part="newsletters">')[1].split("</li>")[0]
    # daily and weekly at her verified address, breaking at the one tied to her account
    assert line.startswith("3 newsletter subscriptions with their consent records")
    assert "the 1 newsletter sent to you" in line
