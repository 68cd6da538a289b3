"""The treasurers' ledger shows the fees donors covered as their own lines, in the listing and
in the CSV, each naming the payment it belongs to."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.tests.helpers import make_campaign

pytestmark = pytest.mark.django_db


def test_fee_rows_are_their_own_lines_in_the_listing_and_the_csv(client):
    campaign = make_campaign(name="Fee drive")
    payment = donation_record(
        provider="stripe",
        provider_reference="pi_fee_admin",
        kind="payment",
        amount=Decimal("25.00"),
        fee_covered=Decimal("1.06"),
        currency="USD",
        campaign=campaign,
        payment_intent_id="pi_fee_admin",
        donor_email="giver@example.org",
    )
    tess = get_user_model().objects.create_user("tess", "tess@staff.example", "pw")
    tess.groups.add(Group.objects.get(name="Treasurers"))
    client.force_login(tess)
    html = client.get("/admin/funding_donations/", {"campaign": campaign.pk}).content.decode()
    assert "Fees covered by the donor" in html and "pi_fee_admin:fee" in html

    export = client.get("/admin/funding_donations/", {"campaign": campaign.pk, "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    by_reference = {row["Provider reference"]: row for row in rows}
    assert by_reference["pi_fee_admin"]["Amount"] == "25.00"
    fee = by_reference["pi_fee_admin:fee"]
    assert (fee["Amount"], fee["Payment it belongs to"]) == ("1.06", str(payment.pk))
    assert fee["Kind"] in {"fee_cover", "Fees covered by the donor"}

    # The inspect page of the payment offers to refund the whole charge.
    inspect = client.get(f"/admin/funding_donations/inspect/{payment.pk}/").content.decode()
    assert "$26.06" in inspect
