"""Demo content of the funding app: an open campaign at 1,730 of 4,700 $, like the seed.

The amount is not typed into the total: it is the sum of demo and manual gifts recorded in the
ledger through the same services as real ones, so ``funding_recompute`` finds no drift.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from newsdesk.funding.models import Campaign, Donation
from newsdesk.funding.services.ledger import donation_record

CAMPAIGN_NAME = "Keep the Lantern lit: spring drive"

# (amount, name for the wall, message, e-mail, how paid); they add up to 1,730.
DEMO_GIFTS = [
    (Decimal("250"), "Marta from the harbour", "For the river coverage.", "", "bank_transfer"),
    (Decimal("100"), "", "", "", "card"),
    (Decimal("50"), "J. Okafor", "Keep asking hard questions.", "", "card"),
    (Decimal("500"), "The Reading Room Co-op", "", "", "bank_transfer"),
    (Decimal("25"), "", "", "", "card"),
    (Decimal("75"), "Pieter", "Worth every cent.", "", "card"),
    (Decimal("300"), "", "", "", "cash"),
    (Decimal("20"), "Ana L.", "", "", "card"),
    (Decimal("150"), "A retired teacher", "My grandchildren read you.", "", "crypto"),
    (Decimal("40"), "", "", "", "card"),
    (Decimal("100"), "Sam & Robin", "", "", "card"),
    (Decimal("60"), "", "", "", "card"),
    (Decimal("60"), "Noor", "Independent news matters.", "", "card"),
]


def load(*, stdout) -> None:
    if Campaign.objects.filter(name=CAMPAIGN_NAME).exists():
        return
    now = timezone.now()
    campaign = Campaign.objects.create(
        name=CAMPAIGN_NAME,
        kind=Campaign.Kind.FIXED,
        goal=Decimal("4700"),
        currency="USD",
        starts_at=now - timedelta(days=20),
        ends_at=now + timedelta(days=25),
        preset_amounts="10,25,50,100",
        pitch="Six weeks to fund a year of reporting from the river towns.",
    )
    for number, (amount, name, message, email, method) in enumerate(DEMO_GIFTS, start=1):
        offline = method != "card"
        donation_record(
            provider=Donation.Provider.MANUAL if offline else Donation.Provider.DEMO,
            provider_reference=f"demo-seed-{number:03d}",
            kind=Donation.Kind.PAYMENT,
            amount=amount,
            currency="USD",
            campaign=campaign,
            received_at=now - timedelta(days=20 - number),
            method=method,
            donor_name=name,
            donor_email=email,
            message=message,
            note="Demo content",
        )
    total = sum(gift[0] for gift in DEMO_GIFTS)
    stdout.write(f"Campaign: {CAMPAIGN_NAME}, {total} of 4700 USD from {len(DEMO_GIFTS)} gifts")
