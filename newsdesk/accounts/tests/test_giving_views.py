"""The donor's giving page, ``/account/giving/`` (issue 20, item 2): every gift from the
reader's verified addresses with its receipt, the yearly statements, and one-step changes
of a monthly gift; another reader's gift answers 404; forms need their CSRF token; a Stripe
error is a clear message and changes nothing."""

from decimal import Decimal

import pytest
from django.test import Client

from newsdesk.accounts.tests import helpers as h
from newsdesk.funding.models import Donation, ProviderEvent, RecurringGift
from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.tests.helpers import make_campaign
from newsdesk.funding.tests.test_giving_support import (
    SubscriptionStripe,
    attempt,
    demo_monthly_gift,
    stripe_gift,
)

pytestmark = pytest.mark.django_db
URL = "/account/giving/"


@pytest.fixture
def demo_provider(settings):
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def campaign(db):
    return make_campaign(name="River towns")


@pytest.fixture
def ada(db):
    return h.make_reader("ada_gives", email="ada@example.org")


@pytest.fixture
def ada_client(ada):
    client = Client()
    client.force_login(ada)
    return client


@pytest.fixture
def ada_gift(demo_provider, campaign, ada):
    return demo_monthly_gift(campaign, email="Ada@Example.org")


def test_signing_in_is_needed(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_lists_the_readers_gifts_and_only_theirs(ada_client, ada_gift, campaign):
    once = donation_record(
        provider="manual",
        provider_reference="cash-1",
        kind=Donation.Kind.PAYMENT,
        amount=Decimal("40"),
        currency="USD",
        campaign=campaign,
        donor_email="ada@example.org",
    )
    donation_record(
        provider="manual",
        provider_reference="cash-1:fee",
        kind=Donation.Kind.FEE_COVER,
        amount=Decimal("1.50"),
        currency="USD",
        campaign=campaign,
        related_payment=once,
        donor_email="ada@example.org",
    )
    donation_record(
        provider="manual",
        provider_reference="cash-1:refund",
        kind=Donation.Kind.REFUND,
        amount=Decimal("-41.50"),  # the whole charge, the fees it covered too
        currency="USD",
        campaign=campaign,
        related_payment=once,
    )
    donation_record(  # someone else's
        provider="manual",
        provider_reference="cash-2",
        kind=Donation.Kind.PAYMENT,
        amount=Decimal("77"),
        currency="USD",
        campaign=campaign,
        donor_email="bob@example.org",
    )
    html = ada_client.get(URL).content.decode()
    assert "$40.00" in html and "$1.50" in html and "(refunded)" in html
    assert "$77.00" not in html
    assert "River towns" in html and "Monthly" in html and "One-time" in html
    assert f'href="/account/receipts/{once.pk}.pdf"' in html
    assert f"/account/receipts/{once.received_at.year}/statement.pdf" in html
    assert f'data-gift-id="{ada_gift.pk}"' in html and "$15.00" in html


def test_a_gift_from_an_unverified_address_is_not_shown(demo_provider, campaign):
    reader = h.make_reader("typed_it", email="typed@example.org", verified=False)
    demo_monthly_gift(campaign, email="typed@example.org")
    client = Client()
    client.force_login(reader)
    html = client.get(URL).content.decode()
    assert 'data-part="monthly-gift"' not in html
    assert 'data-role="no-address"' in html


def test_the_donor_changes_the_gift_in_one_step_each(ada_client, ada_gift):
    def post(action, **data):
        response = ada_client.post(
            URL,
            {"gift": ada_gift.pk, "action": action, "attempt": attempt(), **data},
            follow=True,
        )
        assert response.status_code == 200
        ada_gift.refresh_from_db()
        return response.content.decode()

    html = post("amount", amount="27")
    assert ada_gift.amount == Decimal("27.00")
    assert "You asked to change your monthly gift&#x27;s amount. Done" in html
    assert "$27.00" in html
    html = post("pause")
    assert ada_gift.status == "paused" and 'data-status="paused"' in html
    html = post("resume")
    assert ada_gift.status == "active" and "You asked to resume" in html
    html = post("cancel")
    assert ada_gift.status == "cancelled" and "Stopped" in html
    assert 'data-role="pause-form"' not in html


def test_another_readers_gift_answers_404_and_changes_nothing(demo_provider, campaign, ada_client):
    theirs = demo_monthly_gift(campaign, email="bob@example.org")
    events = ProviderEvent.objects.count()
    for action in ["pause", "cancel", "amount", "card"]:
        response = ada_client.post(
            URL, {"gift": theirs.pk, "action": action, "amount": "1", "attempt": attempt()}
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.amount) == ("active", Decimal("15.00"))
    assert ProviderEvent.objects.count() == events


def test_a_form_without_its_csrf_token_is_refused(ada, ada_gift):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    response = client.post(URL, {"gift": ada_gift.pk, "action": "cancel", "attempt": attempt()})
    assert response.status_code == 403
    ada_gift.refresh_from_db()
    assert ada_gift.status == "active"


def test_a_stripe_error_is_a_clear_message_and_changes_nothing(ada_client, campaign, settings):
    gift = stripe_gift(campaign, email="ada@example.org", sub="sub_ada_1")
    with SubscriptionStripe() as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_local"
        settings.STRIPE_API_BASE = fake.url
        fake.fail_with = (500, {"error": {"type": "api_error", "message": "Down"}})
        response = ada_client.post(URL, {"gift": gift.pk, "action": "pause", "attempt": attempt()})
    assert response.status_code == 503
    assert "did not answer, so nothing changed" in response.content.decode()
    gift.refresh_from_db()
    assert gift.status == "active"


def test_with_stripe_the_page_says_the_change_is_being_confirmed(ada_client, campaign, settings):
    gift = stripe_gift(campaign, email="ada@example.org", sub="sub_ada_2")
    with SubscriptionStripe() as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_local"
        settings.STRIPE_API_BASE = fake.url
        response = ada_client.post(
            URL, {"gift": gift.pk, "action": "pause", "attempt": attempt()}, follow=True
        )
        assert [call["path"] for call in fake.writes()] == ["/v1/subscriptions/sub_ada_2"]
    assert "You asked to pause your monthly gift. The payment service is confirming it" in (
        response.content.decode()
    )
    assert RecurringGift.objects.get(pk=gift.pk).status == "active"


def test_the_card_form_goes_to_stripes_setup_page(ada_client, campaign, settings):
    gift = stripe_gift(campaign, email="ada@example.org", sub="sub_ada_3")
    with SubscriptionStripe() as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_local"
        settings.STRIPE_API_BASE = fake.url
        response = ada_client.post(URL, {"gift": gift.pk, "action": "card", "attempt": attempt()})
    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.com/")


def test_a_bad_amount_says_why(ada_client, ada_gift):
    response = ada_client.post(
        URL, {"gift": ada_gift.pk, "action": "amount", "amount": "lots", "attempt": attempt()}
    )
    assert response.status_code == 400
    ada_gift.refresh_from_db()
    assert ada_gift.amount == Decimal("15.00")
