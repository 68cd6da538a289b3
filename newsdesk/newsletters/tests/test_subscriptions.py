"""The sign-up's services: consent recorded, double opt-in with one e-mail per request,
confirmation, preferences, one-click and whole unsubscribing, accounts, and the limits that
keep a stranger from mail-bombing an address through the form."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from newsdesk.newsletters.errors import (
    InvalidSubscription,
    SignupRateLimited,
    SubscriptionNotFound,
)
from newsdesk.newsletters.models import (
    ConsentSource,
    Newsletter,
    Subscriber,
    Subscription,
    SubscriptionStatus,
    Suppression,
    SuppressionReason,
)
from newsdesk.newsletters.models_signup import SignupMail
from newsdesk.newsletters.selectors import (
    list_states,
    newsletters_public,
    subscriber_for_token,
    subscriptions_of_user,
)
from newsdesk.newsletters.services import subscriptions as svc
from newsdesk.newsletters.services.signup_mail import signup_mail_deliver

pytestmark = pytest.mark.django_db
TEXT = "We send the newsletters you tick."


@pytest.fixture
def lists(db):
    daily = Newsletter.objects.create(name="The Daily", slug="daily", sort_order=1)
    weekly = Newsletter.objects.create(name="The Weekly", slug="weekly", sort_order=2)
    staff_only = Newsletter.objects.create(name="Staff", slug="staff", is_public=False)
    return daily, weekly, staff_only


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    """The e-mail task is queued at the commit: run those callbacks as a commit would."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield


_capture = None


def ask(email="reader@example.org", slugs=("daily",), **kwargs):
    values = {
        "email": email,
        "newsletters": list(slugs),
        "source": ConsentSource.ARTICLE,
        "url": "/world/rivers/",
        "consent_text": TEXT,
    }
    values.update(kwargs)
    with _capture(execute=True):
        return svc.subscribe(**values)


def confirm_link(message) -> str:
    return re.search(r"https?://\S+/newsletter/confirm/(\S+)/", message.body).group(1)


def test_a_sign_up_records_the_consent_and_waits_for_one_confirmation(lists):
    subscriber = ask(name="Ada")

    row = Subscription.objects.get(subscriber=subscriber)
    assert row.status == SubscriptionStatus.PENDING
    assert (row.consent_source, row.consent_url, row.consent_text) == (
        "article",
        "/world/rivers/",
        TEXT,
    )
    assert row.consent_at is not None and row.confirmed_at is None
    assert subscriber.name == "Ada" and len(subscriber.token) >= 32
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "The Daily" in message.body
    assert message.alternatives and "Confirm my subscription" in message.alternatives[0][0]

    svc.confirm(token=confirm_link(message))
    row.refresh_from_db()
    assert row.status == SubscriptionStatus.SUBSCRIBED and row.confirmed_at is not None
    # Following the link again changes nothing.
    confirmed_at = row.confirmed_at
    svc.confirm(token=confirm_link(message))
    row.refresh_from_db()
    assert row.confirmed_at == confirmed_at


def test_asking_again_sends_at_most_one_mail_per_window_and_changes_nothing_subscribed(
    lists, settings
):
    settings.NEWSLETTER_CONFIRM_RESEND_MINUTES = 10
    ask()
    ask()
    ask(slugs=("daily", "weekly"))
    assert len(mail.outbox) == 1  # one e-mail, whatever the repeats
    assert Subscription.objects.filter(status="pending").count() == 2

    svc.confirm(token=confirm_link(mail.outbox[0]))
    assert Subscription.objects.filter(status="subscribed").count() == 2
    daily = Subscription.objects.get(newsletter__slug="daily")
    before = (daily.status, daily.consent_at, daily.confirmed_at, daily.consent_url)

    # Past the window, a subscribed address asking again: nothing changes, no e-mail.
    SignupMail.objects.update(requested_at=timezone.now() - timedelta(minutes=11))
    ask(url="/elsewhere/")
    daily.refresh_from_db()
    assert (daily.status, daily.consent_at, daily.confirmed_at, daily.consent_url) == before
    assert len(mail.outbox) == 1


def test_past_the_window_a_pending_address_gets_one_more_mail(lists):
    ask()
    SignupMail.objects.update(requested_at=timezone.now() - timedelta(hours=1))
    ask()
    assert len(mail.outbox) == 2


def test_the_task_sends_once_even_when_run_twice(lists, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ask()
    assert mail.outbox == []  # queued, not sent
    row = SignupMail.objects.get()
    stamp = row.requested_at.isoformat()
    assert signup_mail_deliver(mail_id=row.pk, requested_at=stamp) is True
    assert signup_mail_deliver(mail_id=row.pk, requested_at=stamp) is False
    assert len(mail.outbox) == 1


def test_a_stranger_cannot_mail_bomb_an_address(lists, settings):
    """The attack: one sender, many requests, many connections, one victim's address."""
    settings.NEWSLETTER_CONFIRM_RESEND_MINUTES = 0  # even with no resend window at all
    settings.NEWSLETTER_CONFIRM_MAILS_PER_ADDRESS = 3
    settings.NEWSLETTER_SIGNUPS_PER_IP = 1000
    for attempt in range(20):
        SignupMail.objects.update(requested_at=timezone.now() - timedelta(minutes=1))
        ask(email="victim@example.org", ip=f"203.0.113.{attempt}")
    assert len(mail.outbox) == 3  # the address's daily limit, whoever asks
    assert {tuple(m.to) for m in mail.outbox} == {("victim@example.org",)}


def test_one_address_is_limited_in_sign_ups(lists, settings):
    settings.NEWSLETTER_SIGNUPS_PER_IP = 3
    for n in range(3):
        ask(email=f"reader{n}@example.org", ip="198.51.100.7")
    with pytest.raises(SignupRateLimited):
        ask(email="another@example.org", ip="198.51.100.7")
    assert not Subscriber.objects.filter(email="another@example.org").exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"email": ""}, "email"),
        ({"email": "not an address"}, "email"),
        ({"email": "a@" + "b" * 260 + ".org"}, "email"),
        ({"slugs": ()}, "newsletters"),
        ({"slugs": ("nope",)}, "newsletters"),
        ({"slugs": ("staff",)}, "newsletters"),  # not offered on the site's forms
        ({"source": "somewhere"}, "source"),
        ({"consent_text": "  "}, "consent_text"),
        ({"name": "x" * 101}, "name"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(lists, kwargs, field):
    with pytest.raises(InvalidSubscription) as refused:
        ask(**kwargs)
    assert refused.value.field == field
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert mail.outbox == []


def test_forged_and_expired_confirmation_links_are_refused(lists, settings):
    ask()
    token = confirm_link(mail.outbox[0])
    with pytest.raises(SubscriptionNotFound):
        svc.confirm(token=token[:-2] + "xx")
    with pytest.raises(SubscriptionNotFound):
        svc.confirm(token="")
    settings.NEWSLETTER_CONFIRM_DAYS = 0
    with pytest.raises(SubscriptionNotFound, match="expired"):
        svc.confirm(token=token)
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING


def test_a_stranger_cannot_rename_a_confirmed_reader(lists):
    ask(name="Ada")
    svc.confirm(token=confirm_link(mail.outbox[0]))
    ask(name="Rude word", slugs=("weekly",))
    assert Subscriber.objects.get().name == "Ada"


def test_one_click_unsubscribe_is_idempotent(lists):
    subscriber = ask()
    svc.confirm(token=confirm_link(mail.outbox[0]))
    first = svc.unsubscribe(token=subscriber.token, newsletter_slug="daily", source="one-click")
    assert first.status == SubscriptionStatus.UNSUBSCRIBED
    assert first.unsubscribe_source == "one-click"
    again = svc.unsubscribe(token=subscriber.token, newsletter_slug="daily", source="page")
    assert again.unsubscribed_at == first.unsubscribed_at
    assert again.unsubscribe_source == "one-click"
    assert not Suppression.objects.exists()  # one list left, not all
    with pytest.raises(SubscriptionNotFound):
        svc.unsubscribe(token="nope", newsletter_slug="daily", source="one-click")
    with pytest.raises(SubscriptionNotFound):
        svc.unsubscribe(token=subscriber.token, newsletter_slug="weekly", source="one-click")


def test_leaving_everything_suppresses_the_address_until_it_confirms_again(lists):
    subscriber = ask(slugs=("daily", "weekly"))
    svc.confirm(token=confirm_link(mail.outbox[0]))
    svc.unsubscribe_all(token=subscriber.token, source="preferences")
    assert set(Subscription.objects.values_list("status", flat=True)) == {"unsubscribed"}
    assert Suppression.objects.get().reason == SuppressionReason.UNSUBSCRIBED
    svc.unsubscribe_all(token=subscriber.token, source="preferences")  # idempotent
    assert Suppression.objects.count() == 1

    SignupMail.objects.update(requested_at=None)
    ask()
    assert Suppression.objects.exists()  # asking proves nothing yet
    svc.confirm(token=confirm_link(mail.outbox[-1]))
    assert not Suppression.objects.exists()
    assert Subscription.objects.get(newsletter__slug="daily").status == "subscribed"


def test_no_confirmation_mail_to_an_address_that_complained(lists):
    Suppression.objects.create(email="angry@example.org", reason=SuppressionReason.COMPLAINT)
    ask(email="angry@example.org")
    assert mail.outbox == []


def test_preferences_set_the_public_lists_and_the_name(lists):
    subscriber = ask()
    svc.preferences_save(token=subscriber.token, newsletters=["weekly"], name="Ada")
    states = {s.newsletter.slug: s.status for s in list_states(subscriber=subscriber)}
    assert states == {"daily": "unsubscribed", "weekly": "subscribed"}
    weekly = Subscription.objects.get(newsletter__slug="weekly")
    assert weekly.consent_source == "preference" and weekly.confirmed_at is not None
    assert Subscriber.objects.get().name == "Ada"
    with pytest.raises(InvalidSubscription):
        svc.preferences_save(token=subscriber.token, newsletters=["staff"])
    with pytest.raises(SubscriptionNotFound):
        svc.preferences_save(token="unknown", newsletters=[])
    assert subscriber_for_token(token="x" * 500) is None


def test_a_signed_in_reader_with_that_verified_address_is_confirmed_at_once(
    lists, django_user_model
):
    user = django_user_model.objects.create_user("reader-1", "ada@example.org", "pw")
    EmailAddress.objects.create(user=user, email="ada@example.org", verified=True, primary=True)
    subscriber = ask(email="Ada@Example.org", user=user)
    assert subscriber.email == "ada@example.org" and subscriber.user_id == user.pk
    assert Subscription.objects.get().status == SubscriptionStatus.SUBSCRIBED
    assert mail.outbox == []
    # Another address of theirs, not verified: the usual double opt-in.
    ask(email="other@example.org", user=user)
    assert Subscriber.objects.get(email="other@example.org").user_id is None
    assert len(mail.outbox) == 1


def test_the_account_page_lists_and_the_guest_join(lists, django_user_model):
    guest = ask(email="ada@example.org")
    user = django_user_model.objects.create_user("reader-1", "ada@example.org", "pw")
    with pytest.raises(InvalidSubscription):
        svc.account_lists_set(user=user, newsletters=["daily"])  # no verified address yet
    EmailAddress.objects.create(user=user, email="ada@example.org", verified=True, primary=True)
    assert svc.account_join(user=user, email="ada@example.org") == 1
    assert [s.subscriber_id for s in subscriptions_of_user(user=user)] == [guest.pk]

    svc.account_lists_set(user=user, newsletters=["weekly"])
    statuses = {s.newsletter.slug: s.status for s in subscriptions_of_user(user=user)}
    assert statuses == {"daily": "unsubscribed", "weekly": "subscribed"}
    assert Subscription.objects.get(newsletter__slug="weekly").consent_source == "account"


def test_verifying_an_address_in_allauth_joins_its_guest_subscriptions(
    lists, django_user_model, rf
):
    from newsdesk.accounts.adapter import AccountAdapter

    guest = ask(email="ada@example.org")
    user = django_user_model.objects.create_user("reader-1", "ada@example.org", "pw")
    address = EmailAddress.objects.create(user=user, email="ada@example.org", primary=True)
    request = rf.get("/")
    request.user = user
    from allauth.core import context
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    request._messages = FallbackStorage(request)

    with context.request_context(request):
        AccountAdapter(request).confirm_email(request, address)
    guest.refresh_from_db()
    assert guest.user_id == user.pk


def test_the_offered_lists_are_the_public_ones_in_order(lists):
    assert [n.slug for n in newsletters_public()] == ["daily", "weekly"]


def test_a_new_link_is_mailed_only_to_a_known_address(lists):
    with _capture(execute=True):
        svc.link_request(email="nobody@example.org")
    assert mail.outbox == []
    subscriber = ask()
    mail.outbox.clear()
    with _capture(execute=True):
        svc.link_request(email="READER@example.org")
    assert len(mail.outbox) == 1
    assert f"/newsletter/preferences/{subscriber.token}/" in mail.outbox[0].body
    with pytest.raises(InvalidSubscription):
        svc.link_request(email="not an address")
    cache.clear()


def test_the_demo_lists_and_sign_ups_load_once(db, article, django_user_model):
    import io

    from newsdesk.demo import newsletters as demo

    ines = django_user_model.objects.create_user("ines_reads", "ines@example.org", "pw")
    EmailAddress.objects.create(user=ines, email="ines@example.org", verified=True, primary=True)
    with _capture(execute=True):
        demo.load(stdout=io.StringIO())
    with _capture(execute=True):
        demo.load(stdout=io.StringIO())
    assert [n.slug for n in newsletters_public()] == ["daily", "weekly", "breaking"]
    statuses = {
        (s.subscriber.email, s.newsletter.slug): (s.status, s.consent_source)
        for s in Subscription.objects.select_related("subscriber", "newsletter")
    }
    assert statuses == {
        ("maren.holt@example.org", "daily"): ("subscribed", "article"),
        ("maren.holt@example.org", "breaking"): ("subscribed", "article"),
        ("tomas.reyes@example.org", "weekly"): ("pending", "footer"),
        ("ines@example.org", "daily"): ("subscribed", "account"),
        ("ines@example.org", "weekly"): ("subscribed", "account"),
    }
    assert all(s.consent_text for s in Subscription.objects.all())
