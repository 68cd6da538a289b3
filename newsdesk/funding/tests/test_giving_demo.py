"""The giving demo: a donor with a verified address, a running monthly gift with a card on
file and a paused one, made through the demo provider's events; loads twice as once."""

import io

import pytest
from allauth.account.models import EmailAddress

from newsdesk.demo import funding as demo_funding
from newsdesk.demo import giving as demo_giving
from newsdesk.funding.models import Donation, ProviderEvent, RecurringGift
from newsdesk.funding.services.ledger import campaign_totals_recompute

pytestmark = pytest.mark.django_db


def test_the_giving_demo_loads_once_with_a_running_and_a_paused_gift():
    demo_funding.load(stdout=io.StringIO())
    demo_giving.load(stdout=io.StringIO())
    counts = (ProviderEvent.objects.count(), Donation.objects.count())
    demo_giving.load(stdout=io.StringIO())
    assert (ProviderEvent.objects.count(), Donation.objects.count()) == counts
    assert EmailAddress.objects.get(email=demo_giving.EMAIL).verified
    gifts = {g.amount: g for g in RecurringGift.objects.filter(donor_email=demo_giving.EMAIL)}
    running, paused = gifts[demo_giving.RUNNING[1]], gifts[demo_giving.PAUSED[1]]
    assert running.status == "active"
    assert (running.card_brand, running.card_last4, running.card_exp_month) == ("visa", "4242", 8)
    assert paused.status == "paused"
    assert campaign_totals_recompute() == []
