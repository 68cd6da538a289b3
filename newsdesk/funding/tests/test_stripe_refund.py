"""Refunding a Stripe gift from the admin: the refund is asked of Stripe's refund API (a local
server answering as Stripe does, with Stripe's own example refund, as in
``test_stripe_gateway.py``), with an idempotency key per gift and form; the ledger's row comes
only from the signed ``charge.refunded`` webhook."""

import re
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsdesk.funding.models import CampaignTotal, Donation, RefundRequest
from newsdesk.funding.tests.helpers import (
    charge_refunded,
    checkout_paid,
    ids,
    make_campaign,
    post_event,
)
from tests.support.stripe_server import NOT_FOUND, LocalStripe, stripe_example

pytestmark = pytest.mark.django_db


class FakeStripeRefunds(LocalStripe):
    """Answers ``POST /v1/refunds`` with Stripe's example refund; one refund per idempotency
    key, as Stripe keeps them. Records every request."""

    def __init__(self):
        self.example = stripe_example("refund")
        self.refunds: dict[str, dict] = {}
        super().__init__(self._answer)

    def _answer(self, method, path, params, key):
        if method != "POST" or path != "/v1/refunds":
            return NOT_FOUND
        if key not in self.refunds:
            self.refunds[key] = dict(
                self.example,
                id=f"re_{uuid.uuid4().hex[:24]}",
                amount=int(params["amount"][0]),
                payment_intent=params.get("payment_intent", [None])[0],
                status="pending",
            )
        return 200, self.refunds[key]


@pytest.fixture
def fake_stripe(settings, webhook_secret):
    with FakeStripeRefunds() as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_local"
        settings.STRIPE_API_BASE = fake.url
        yield fake


@pytest.fixture
def campaign(db):
    return make_campaign()


@pytest.fixture
def treasurer(client):
    user = get_user_model().objects.create_user("terry", "terry@staff.example", "pw")
    user.groups.add(Group.objects.get(name="Treasurers"))
    client.force_login(user)
    return user


@pytest.fixture
def paid(client, fake_stripe, campaign):
    """A 30 $ gift Stripe reported through its signed webhook, and its ids."""
    ref = ids()
    assert (
        post_event(client, checkout_paid(campaign, amount_minor=3000, ref=ref)).status_code == 200
    )
    return Donation.objects.get(payment_intent_id=ref["pi"]), ref


def refund(client, donation, *, amount, attempt=None, reason="Charged twice by mistake"):
    if attempt is None:
        page = client.get(f"/admin/funding_donations/inspect/{donation.pk}/").content.decode()
        attempt = re.search(r'name="attempt" value="([0-9a-f]{32})"', page).group(1)
    return client.post(
        f"/admin/funding/donations/{donation.pk}/refund/",
        {"amount": amount, "reason": reason, "attempt": attempt},
    )


def refund_rows() -> list[Decimal]:
    return sorted(Donation.objects.filter(kind="refund").values_list("amount", flat=True))


def test_a_partial_then_the_rest_refunded_through_stripe_and_its_signed_events(
    client, fake_stripe, treasurer, paid, campaign
):
    gift, ref = paid
    response = refund(client, gift, amount="10")
    assert response.status_code == 302
    (call,) = fake_stripe.requests
    assert call["path"] == "/v1/refunds"
    assert call["params"]["payment_intent"] == [ref["pi"]]
    assert call["params"]["amount"] == ["1000"]
    assert call["params"]["metadata[reason]"] == ["Charged twice by mistake"]
    assert call["idempotency_key"].startswith(f"newsdesk-refund-{gift.pk}-")
    # Asked, not yet reported: no money moves in the ledger, the treasurer sees it pending.
    assert refund_rows() == []
    request = RefundRequest.objects.get()
    assert request.status == "pending" and request.provider_refund_id.startswith("re_")
    page = client.get(response["Location"]).content.decode()
    assert "Pending" in page and "20.00" in page  # what is left beside the pending refund
    assert refund(client, gift, amount="25").status_code == 400  # the pending 10 counts

    event = charge_refunded(ref=ref, amount_minor=3000, refunded_minor=1000)
    assert post_event(client, event).status_code == 200
    assert refund_rows() == [Decimal("-10.00")]
    request.refresh_from_db()
    assert request.status == "settled"

    assert refund(client, gift, amount="20").status_code == 302
    assert fake_stripe.requests[-1]["params"]["amount"] == ["2000"]
    assert refund_rows() == [Decimal("-10.00")]
    # Stripe's second charge.refunded says 30 refunded in all: the ledger adds the 20.
    assert post_event(client, charge_refunded(ref=ref, refunded_minor=3000)).status_code == 200
    assert post_event(client, charge_refunded(ref=ref, refunded_minor=3000)).status_code == 200
    assert refund_rows() == [Decimal("-20.00"), Decimal("-10.00")]
    assert set(RefundRequest.objects.values_list("status", flat=True)) == {"settled"}
    assert CampaignTotal.objects.get(campaign=campaign).raised == Decimal("0.00")
    assert "Nothing is left of this gift" in client.get(response["Location"]).content.decode()


def test_a_whole_stripe_gift_refunded(client, fake_stripe, treasurer, paid):
    gift, ref = paid
    assert refund(client, gift, amount="30.00").status_code == 302
    assert fake_stripe.requests[0]["params"]["amount"] == ["3000"]
    assert post_event(client, charge_refunded(ref=ref, refunded_minor=3000)).status_code == 200
    assert refund_rows() == [Decimal("-30.00")]
    assert RefundRequest.objects.get().status == "settled"


def test_a_double_click_reaches_stripe_once(client, fake_stripe, treasurer, paid):
    gift, _ = paid
    attempt = uuid.uuid4().hex
    assert refund(client, gift, amount="10", attempt=attempt).status_code == 302
    assert refund(client, gift, amount="10", attempt=attempt).status_code == 302
    assert len(fake_stripe.requests) == 1
    assert RefundRequest.objects.count() == 1
    # Another form is another refund, with another key.
    assert refund(client, gift, amount="10").status_code == 302
    keys = [call["idempotency_key"] for call in fake_stripe.requests]
    assert len(keys) == 2 and keys[0] != keys[1]


def test_a_stripe_error_is_said_and_changes_nothing(client, fake_stripe, treasurer, paid):
    gift, _ = paid
    fake_stripe.fail_with = (
        400,
        {
            "error": {
                "type": "invalid_request_error",
                "code": "charge_already_refunded",
                "message": "Charge has already been refunded.",
            }
        },
    )
    response = refund(client, gift, amount="10")
    assert response.status_code == 503
    assert "payment service refused the refund" in response.content.decode()
    assert not RefundRequest.objects.exists()
    assert refund_rows() == []
    fake_stripe.fail_with = None
    assert refund(client, gift, amount="10").status_code == 302  # and it can be tried again
    assert RefundRequest.objects.count() == 1
