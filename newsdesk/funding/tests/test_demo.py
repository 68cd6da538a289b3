"""The demo campaign: 1,730 of 4,700 $, like the seed, made of ledger rows with no drift."""

import io
from decimal import Decimal

import pytest

from newsdesk.demo import funding as demo_funding
from newsdesk.funding.bar import campaign_bar_html
from newsdesk.funding.models import CampaignTotal, Donation
from newsdesk.funding.services.ledger import campaign_totals_recompute

pytestmark = pytest.mark.django_db


def test_the_demo_campaign_is_built_from_the_ledger_and_loads_once():
    demo_funding.load(stdout=io.StringIO())
    demo_funding.load(stdout=io.StringIO())
    total = CampaignTotal.objects.get()
    assert total.raised == Decimal("1730.00")
    assert total.campaign.goal == Decimal("4700.00") and total.campaign.currency == "USD"
    assert Donation.objects.count() == len(demo_funding.DEMO_GIFTS)
    assert set(Donation.objects.values_list("provider", flat=True)) == {"demo", "manual"}
    assert campaign_totals_recompute() == []
    html = campaign_bar_html()
    assert [mark in html for mark in ("$0", "$2,350", "$4,700", "$1,730")] == [True] * 4
