"""The treasurers' admin: the ledger with filters and CSV export, manual gifts, the report;
moderators and editors see no donor data, and nobody edits a ledger row."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsdesk.funding.models import Donation
from newsdesk.funding.services.ledger import donation_record
from newsdesk.funding.tests.helpers import make_campaign

pytestmark = pytest.mark.django_db


def user_in(group_name: str, username: str):
    user = get_user_model().objects.create_user(username, f"{username}@staff.example", "pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def campaign(db):
    return make_campaign(name="Spring drive")


@pytest.fixture
def ledger(campaign):
    other = make_campaign(name="Old drive")
    rows = [
        ("p1", campaign, "40", '=HYPERLINK("http://evil")', "one@example.org"),
        ("p2", campaign, "60", "Bea", "two@example.org"),
        ("p3", other, "5", "Elsewhere", ""),
    ]
    for reference, target, amount, name, email in rows:
        donation_record(
            provider="manual",
            provider_reference=reference,
            kind="payment",
            amount=Decimal(amount),
            currency="USD",
            campaign=target,
            donor_name=name,
            donor_email=email,
        )
    return campaign


def test_the_treasurers_group_exists_with_funding_permissions():
    treasurers = Group.objects.get(name="Treasurers")
    codenames = set(treasurers.permissions.values_list("codename", flat=True))
    assert {"view_donation", "add_donation", "change_campaign", "access_admin"} <= codenames
    for group in ("Editors", "Moderators"):
        names = set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))
        assert not names & {"view_donation", "add_donation", "view_recurringgift"}


def test_a_treasurer_filters_the_ledger_and_exports_csv(client, ledger):
    client.force_login(user_in("Treasurers", "tess"))
    listing = client.get("/admin/funding_donations/", {"campaign": ledger.pk})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Bea" in html and "Elsewhere" not in html

    export = client.get("/admin/funding_donations/", {"campaign": ledger.pk, "export": "csv"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    text = b"".join(export.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2
    by_reference = {row["Provider reference"]: row for row in rows}
    assert by_reference["p2"]["Amount"] == "60.00"
    assert by_reference["p2"]["Donor e-mail"] == "two@example.org"
    assert by_reference["p1"]["Donor name"].startswith("'=")  # not run as a formula


def test_a_treasurer_records_a_bank_transfer_in_the_admin(client, campaign):
    client.force_login(user_in("Treasurers", "tom"))
    assert client.get("/admin/funding/record/").status_code == 200
    data = {
        "campaign": campaign.pk,
        "kind": "payment",
        "method": "bank_transfer",
        "amount": "120.00",
        "currency": "USD",
        "reference": "BANK-77",
        "donor_name": "Harbour Co-op",
    }
    response = client.post("/admin/funding/record/", data)
    assert response.status_code == 302
    again = client.post("/admin/funding/record/", data)
    assert again.status_code == 400
    assert "already recorded" in again.content.decode()
    donation = Donation.objects.get()
    assert (donation.provider, donation.method, donation.amount) == (
        "manual",
        "bank_transfer",
        Decimal("120.00"),
    )
    assert donation.recorded_by.username == "tom"


def test_a_treasurer_reads_the_campaign_report(client, ledger):
    client.force_login(user_in("Treasurers", "tia"))
    response = client.get(f"/admin/funding/report/{ledger.pk}/")
    assert response.status_code == 200
    assert "$100.00" in response.content.decode()
    assert client.get("/admin/funding/report/").status_code == 302


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_editors_and_moderators_see_no_donor_data(client, ledger, group):
    client.force_login(user_in(group, f"someone-{group.lower()}"))
    donation = Donation.objects.first()
    for url in [
        "/admin/funding_donations/",
        "/admin/funding_donations/?export=csv",
        f"/admin/funding_donations/inspect/{donation.pk}/",
        "/admin/funding_monthly_gifts/",
        "/admin/funding_provider_events/",
        "/admin/funding/record/",
        f"/admin/funding/report/{ledger.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        body = b"" if response.streaming else response.content
        assert b"two@example.org" not in body and b"Bea" not in body
    home = client.get("/admin/").content.decode()
    assert "funding_donations" not in home


def test_nobody_edits_or_deletes_a_ledger_row(client, ledger):
    admin = get_user_model().objects.create_superuser("root", "root@staff.example", "pw")
    client.force_login(admin)
    donation = Donation.objects.first()
    for url in [
        f"/admin/funding_donations/edit/{donation.pk}/",
        f"/admin/funding_donations/delete/{donation.pk}/",
    ]:
        assert client.get(url).status_code in (302, 403)
        assert client.post(url, {"note": "changed"}).status_code in (302, 403)
    campaign_delete = f"/admin/funding_campaigns/delete/{ledger.pk}/"
    assert client.post(campaign_delete).status_code in (302, 403)
    assert type(ledger).objects.filter(pk=ledger.pk).exists()
    donation.refresh_from_db()
    assert donation.note == ""
    assert Donation.objects.count() == 3


def test_signed_out_visitors_are_sent_to_sign_in(client, ledger):
    response = client.get("/admin/funding_donations/?export=csv")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
