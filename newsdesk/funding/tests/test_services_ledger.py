"""The ledger: stored totals move with each row, drift is found, manual gifts and refunds."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from newsdesk.funding.models import CampaignTotal, Donation
from newsdesk.funding.services.ledger import (
    campaign_totals_recompute,
    donation_record,
    donation_record_manual,
)
from newsdesk.funding.tests.helpers import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    return make_campaign()


def manual(campaign, reference, amount, **kwargs):
    return donation_record_manual(
        campaign=campaign,
        kind=kwargs.pop("kind", "payment"),
        amount=Decimal(amount),
        currency="USD",
        method=kwargs.pop("method", "bank_transfer"),
        reference=reference,
        recorded_by=None,
        **kwargs,
    )


def test_donors_are_counted_once_per_period_and_refunds_do_not_uncount_them(campaign):
    manual(campaign, "t1", "10", donor_email="Same@Example.org")
    manual(campaign, "t2", "15", donor_email="same@example.org")
    manual(campaign, "t3", "5")
    manual(campaign, "t4", "5")
    manual(campaign, "t3-back", "5", kind="refund", refunds_reference="t3")
    total = CampaignTotal.objects.get(campaign=campaign)
    assert (total.raised, total.donors) == (Decimal("30.00"), 3)
    assert campaign_totals_recompute() == []


def test_a_manual_reference_is_recorded_once(campaign):
    manual(campaign, "IBAN-2026-001", "100")
    with pytest.raises(ValidationError, match="already recorded"):
        manual(campaign, "IBAN-2026-001", "100")
    assert Donation.objects.count() == 1


def test_a_manual_refund_cannot_exceed_what_is_left(campaign):
    manual(campaign, "cash-1", "50", method="cash")
    manual(campaign, "cash-1-r1", "30", kind="refund", refunds_reference="cash-1")
    with pytest.raises(ValidationError, match="More than what is left"):
        manual(campaign, "cash-1-r2", "30", kind="refund", refunds_reference="cash-1")
    with pytest.raises(ValidationError, match="reference of the recorded gift"):
        manual(campaign, "x-r", "1", kind="refund", refunds_reference="nope")
    assert CampaignTotal.objects.get(campaign=campaign).raised == Decimal("20.00")


def test_a_row_whose_sign_contradicts_its_kind_is_refused(campaign):
    with pytest.raises(ValueError, match="cannot have"):
        donation_record(
            provider="manual",
            provider_reference="neg",
            kind="payment",
            amount=Decimal("-5"),
            currency="USD",
            campaign=campaign,
        )
    assert Donation.objects.count() == 0


def test_recompute_reports_drift_and_exits_non_zero_then_fixes_it(campaign):
    manual(campaign, "r1", "40")
    manual(campaign, "r2", "60", donor_email="b@example.org")
    out = StringIO()
    call_command("funding_recompute", stdout=out)
    assert "matches the ledger" in out.getvalue()

    CampaignTotal.objects.filter(campaign=campaign).update(raised=Decimal("999"), donors=7)
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("funding_recompute", stdout=out)
    assert failure.value.returncode == 1
    assert "stored 999.00 by 7 donors, ledger 100.00 by 2 donors" in out.getvalue()

    with pytest.raises(CommandError):
        call_command("funding_recompute", "--fix", stdout=StringIO())
    call_command("funding_recompute", stdout=StringIO())
    assert CampaignTotal.objects.get(campaign=campaign).raised == Decimal("100.00")


def test_recompute_finds_a_total_with_no_ledger_rows(campaign):
    CampaignTotal.objects.create(campaign=campaign, period_start=campaign.period_start(), raised=5)
    drifts = campaign_totals_recompute()
    assert [(d.stored_raised, d.ledger_raised) for d in drifts] == [(Decimal("5.00"), Decimal(0))]
