"""A treasurer refunds an online gift from its page in the admin, with the demo provider: the
provider's ``charge.refunded`` event writes the ledger's row, a form sent twice refunds once,
every refusal is said and writes nothing, and only treasurers may refund. The monthly gifts
have their own list."""

import datetime as dt
import io
import re
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.formats import date_format

from newsdesk.demo import funding as demo_funding
from newsdesk.funding.models import (
    CampaignTotal,
    Donation,
    ProviderEvent,
    RecurringGift,
    RefundRequest,
)
from newsdesk.funding.selectors import recurring_gift_next_charge
from newsdesk.funding.services.checkout import GiftRequest, demo_checkout_complete
from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.tests.helpers import make_campaign

pytestmark = pytest.mark.django_db


def user_in(group_name: str, username: str):
    user = get_user_model().objects.create_user(username, f"{username}@staff.example", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def campaign(db, demo_provider):
    return make_campaign(name="Refund drive")


@pytest.fixture
def treasurer(client):
    user = user_in("Treasurers", "tara")
    client.force_login(user)
    return user


def demo_gift(campaign, amount="30") -> Donation:
    """A one-time gift paid through the demo checkout, as a reader pays one."""
    demo_checkout_complete(
        gift=GiftRequest(
            campaign_id=campaign.pk,
            amount=Decimal(amount),
            currency="USD",
            monthly=False,
            email="",
            donor_name="Reader",
            message="",
            attempt_key=uuid.uuid4().hex,
        )
    )
    return Donation.objects.get(kind="payment", provider="demo", amount=Decimal(amount))


def page_of(client, donation):
    response = client.get(f"/admin/funding_donations/inspect/{donation.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def form_attempt(html: str) -> str:
    """The attempt key of the refund form the gift's page served."""
    return re.search(r'name="attempt" value="([0-9a-f]{32})"', html).group(1)


def refund(client, donation, *, amount, reason="Asked by the donor", attempt=None):
    attempt = attempt or form_attempt(page_of(client, donation))
    return client.post(
        f"/admin/funding/donations/{donation.pk}/refund/",
        {"amount": amount, "reason": reason, "attempt": attempt},
    )


def raised(campaign) -> Decimal:
    return CampaignTotal.objects.get(campaign=campaign).raised


def test_a_treasurer_refunds_a_whole_demo_gift_from_its_page(client, campaign, treasurer):
    gift = demo_gift(campaign)
    assert raised(campaign) == Decimal("30.00")
    html = page_of(client, gift)
    assert "Refund this gift" in html and 'value="30.00"' in html

    response = refund(client, gift, amount="30")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/funding_donations/inspect/{gift.pk}/"

    (row,) = Donation.objects.filter(kind="refund")
    assert (row.amount, row.related_payment, row.provider) == (Decimal("-30.00"), gift, "demo")
    assert row.provider_event.event_type == "charge.refunded"  # the event wrote it
    assert raised(campaign) == Decimal("0.00")
    request = RefundRequest.objects.get()
    assert (request.status, request.amount, request.requested_by) == (
        "settled",
        Decimal("30.00"),
        treasurer,
    )
    assert request.reason == "Asked by the donor" and request.settled_at is not None
    html = client.get(response["Location"]).content.decode()
    assert "Refunded" in html and "Asked by the donor" in html
    assert "Nothing is left of this gift to refund" in html and "data-refund-form" not in html


def test_two_partial_refunds_each_write_their_part_from_the_cumulative_events(
    client, campaign, treasurer
):
    gift = demo_gift(campaign)
    assert refund(client, gift, amount="10").status_code == 302
    assert refund(client, gift, amount="5.50").status_code == 302
    rows = sorted(Donation.objects.filter(kind="refund").values_list("amount", flat=True))
    assert rows == [Decimal("-10.00"), Decimal("-5.50")]
    # Stripe's charge.refunded reports what was refunded so far, not this refund alone.
    events = ProviderEvent.objects.filter(event_type="charge.refunded").order_by("pk")
    assert ['"amount_refunded": 1000' in e.payload for e in events] == [True, False]
    assert '"amount_refunded": 1550' in events[1].payload
    assert raised(campaign) == Decimal("14.50")
    assert set(RefundRequest.objects.values_list("status", flat=True)) == {"settled"}
    assert "14.50" in page_of(client, gift)  # what is left, on the form


def test_a_refund_form_sent_twice_refunds_once(client, campaign, treasurer):
    gift = demo_gift(campaign)
    attempt = form_attempt(page_of(client, gift))
    first = refund(client, gift, amount="12", attempt=attempt)
    second = refund(client, gift, amount="12", attempt=attempt)
    assert first.status_code == second.status_code == 302
    assert Donation.objects.filter(kind="refund").count() == 1
    assert RefundRequest.objects.count() == 1
    assert ProviderEvent.objects.filter(event_type="charge.refunded").count() == 1
    assert raised(campaign) == Decimal("18.00")
    html = client.get(second["Location"]).content.decode()
    assert "already asked for" in html


def test_more_than_what_is_left_is_refused_with_a_message_and_writes_nothing(
    client, campaign, treasurer
):
    gift = demo_gift(campaign)
    response = refund(client, gift, amount="30.01")
    assert response.status_code == 400
    assert "more than what is left of this gift" in response.content.decode()
    assert not RefundRequest.objects.exists()
    assert not Donation.objects.filter(kind="refund").exists()
    assert not ProviderEvent.objects.filter(event_type="charge.refunded").exists()

    assert refund(client, gift, amount="20").status_code == 302
    response = refund(client, gift, amount="15")
    assert response.status_code == 400
    assert "more than what is left of this gift" in response.content.decode()
    assert RefundRequest.objects.count() == 1
    assert raised(campaign) == Decimal("10.00")

    for amount, message in [("-5", "more than zero"), ("abc", "as a number"), ("1.234", "at most")]:
        response = refund(client, gift, amount=amount)
        assert response.status_code == 400 and message in response.content.decode()
    assert RefundRequest.objects.count() == 1


def test_a_manual_gift_and_an_unsettled_gift_are_refused_saying_why(client, campaign, treasurer):
    manual = donation_record(
        provider="manual",
        provider_reference="BANK-1",
        kind="payment",
        amount=Decimal("40"),
        currency="USD",
        campaign=campaign,
    )
    unsettled = donation_record(
        provider="demo",
        provider_reference="no-intent-yet",
        kind="payment",
        amount=Decimal("40"),
        currency="USD",
        campaign=campaign,
    )
    assert "recording the refund" in page_of(client, manual)
    assert "not settled yet" in page_of(client, unsettled)
    for gift, message in [(manual, "recording the refund"), (unsettled, "not settled yet")]:
        response = refund(client, gift, amount="10", attempt=uuid.uuid4().hex)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not RefundRequest.objects.exists()
    assert not Donation.objects.filter(kind="refund").exists()


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_without_the_funding_permission_refunding_is_forbidden(client, campaign, group):
    gift = demo_gift(campaign)
    client.force_login(user_in(group, f"not-a-treasurer-{group.lower()}"))
    url = f"/admin/funding/donations/{gift.pk}/refund/"
    data = {"amount": "30", "reason": "x", "attempt": uuid.uuid4().hex}
    assert client.post(url, data).status_code == 403
    assert client.get(url).status_code == 403
    assert not RefundRequest.objects.exists()
    assert not Donation.objects.filter(kind="refund").exists()


def test_a_treasurer_who_may_only_read_the_ledger_sees_no_refund_form(client, campaign):
    gift = demo_gift(campaign)
    reader = get_user_model().objects.create_user("auditor", "a@staff.example", "pw")
    reader.groups.add(Group.objects.get(name="Treasurers"))
    reader.user_permissions.clear()
    group = Group.objects.create(name="Auditors")
    group.permissions.set(
        Group.objects.get(name="Treasurers").permissions.exclude(codename="add_donation")
    )
    reader.groups.set([group])
    client.force_login(reader)
    assert "data-refund-form" not in page_of(client, gift)
    response = refund(client, gift, amount="5", attempt=uuid.uuid4().hex)
    assert response.status_code == 403
    assert not RefundRequest.objects.exists()


def test_the_demo_has_an_online_gift_a_treasurer_can_refund(client, treasurer, demo_provider):
    demo_funding.load(stdout=io.StringIO())
    gift = Donation.objects.filter(provider="demo", recurring=False).order_by("pk").first()
    assert gift.payment_intent_id
    assert "data-refund-form" in page_of(client, gift)
    assert refund(client, gift, amount="1").status_code == 302
    assert Donation.objects.filter(kind="refund", related_payment=gift).exists()


def test_the_monthly_list_shows_the_demo_monthly_gifts(client, treasurer, demo_provider):
    demo_funding.load(stdout=io.StringIO())
    gifts = list(RecurringGift.objects.order_by("created_at"))
    assert [gift.donor_name for gift in gifts] == ["Sam & Robin", "Noor"]
    response = client.get("/admin/funding_monthly_gifts/")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Donor", "Amount a month", "Status", "Since", "Next charge"):
        assert heading in html
    assert "Sam &amp; Robin" in html and "Noor" in html
    for gift in gifts:
        next_charge = recurring_gift_next_charge(gift=gift)
        assert next_charge is not None
        # As the site's language writes a date (``core/formats``: "26 December 2026").
        assert date_format(next_charge, "DATE_FORMAT") in html or (next_charge.isoformat() in html)


def test_the_monthly_list_costs_the_same_queries_however_many_gifts(
    client, treasurer, demo_provider
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    demo_funding.load(stdout=io.StringIO())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/funding_monthly_gifts/").status_code == 200
        return len(captured)

    few = queries()
    template = RecurringGift.objects.first()
    for n in range(4):
        RecurringGift.objects.create(
            provider=template.provider,
            subscription_id=f"sub_more_{n}",
            campaign=make_campaign(active=False) if n % 2 else template.campaign,
            amount=template.amount,
            currency=template.currency,
        )
    assert queries() == few


def test_the_admin_menu_links_the_monthly_gifts(client, treasurer):
    html = client.get("/admin/").content.decode()
    assert "/admin/funding_monthly_gifts/" in html


def test_a_monthly_gift_is_next_charged_on_its_monthly_day():
    gift = RecurringGift(
        provider="demo",
        subscription_id="sub_x",
        amount=Decimal("5"),
        currency="USD",
        created_at=dt.datetime(2027, 1, 31, 12, tzinfo=dt.UTC),
    )
    assert recurring_gift_next_charge(gift=gift, today=dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    assert recurring_gift_next_charge(gift=gift, today=dt.date(2027, 2, 28)) == dt.date(2027, 3, 31)
    assert recurring_gift_next_charge(gift=gift, today=dt.date(2027, 3, 1)) == dt.date(2027, 3, 31)
    gift.status = RecurringGift.Status.CANCELLED
    assert recurring_gift_next_charge(gift=gift, today=dt.date(2027, 3, 1)) is None


def test_recording_a_manual_refund_of_an_online_gift_says_where_to_refund_it(
    client, campaign, treasurer
):
    gift = demo_gift(campaign)
    response = client.post(
        "/admin/funding/record/",
        {
            "campaign": campaign.pk,
            "kind": "refund",
            "method": "bank_transfer",
            "amount": "10",
            "currency": "USD",
            "reference": "BACK-1",
            "refunds_reference": gift.provider_reference,
        },
    )
    assert response.status_code == 400
    assert f"paid online: refund it from its page (Donations, gift {gift.pk})" in (
        response.content.decode()
    )
    assert not Donation.objects.filter(kind="refund").exists()
