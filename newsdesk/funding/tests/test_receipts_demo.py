"""The demo's gifts with fees covered, some from articles (``demo/receipts.py``)."""

import io
from decimal import Decimal

import pytest

from newsdesk.demo import funding as demo_funding
from newsdesk.demo import receipts as demo_receipts
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.services.ledger import campaign_totals_recompute
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_the_demo_gifts_cover_fees_and_name_articles_and_load_once(settings):
    settings.FUNDING_FEE_PERCENT = "2.9"
    settings.FUNDING_FEE_FIXED = "0.30"
    lead = factories.make_article(title="The river runs low")
    other = factories.make_article(title="The lock keepers' log")
    demo_funding.load(stdout=io.StringIO())
    before = Donation.objects.count()
    demo_receipts.load(stdout=io.StringIO())
    demo_receipts.load(stdout=io.StringIO())
    mira = Donation.objects.filter(donor_email="mira@example.org", kind="payment")
    assert mira.count() == 3
    fees = Donation.objects.filter(kind="fee_cover")
    assert fees.count() == 4
    assert Donation.objects.count() == before + 3 + 2 + fees.count()
    pages = set(Donation.objects.exclude(source_page=None).values_list("source_page", flat=True))
    assert pages == {lead.pk, other.pk}
    assert Donation.objects.filter(kind="payment").exclude(source_page=None).count() == 4
    assert RecurringGift.objects.get(donor_email="mira@example.org").fee_covered == Decimal("0.61")
    assert campaign_totals_recompute() == []
