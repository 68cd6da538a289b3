"""Demo content of the funding app: an open campaign at 1,730 of 4,700 $, like the seed.

The amount is not typed into the total: it is the sum of demo and manual gifts recorded in the
ledger through the same services as real ones, so ``funding_recompute`` finds no drift.
The card gifts carry a demo payment intent, so a treasurer can refund one from its page in
the admin; two of them are monthly gifts, paid through the demo checkout, for the admin's
list of monthly gifts.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from newsdesk.funding.models import Campaign, Donation, RecurringGift
from newsdesk.funding.services.checkout import GiftRequest, demo_checkout_complete
from newsdesk.funding.services.ledger import donation_record

CAMPAIGN_NAME = "Keep the Lantern lit: spring drive"

# (amount, name for the wall, message, e-mail, how paid); they add up to 1,730. "monthly" is
# a card gift that repeats every month (its first month is counted here).
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
    (Decimal("100"), "Sam & Robin", "", "", "monthly"),
    (Decimal("60"), "", "", "", "card"),
    (Decimal("60"), "Noor", "Independent news matters.", "", "monthly"),
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
        if method == "monthly":
            _monthly_gift(campaign, number, amount, name, message, email, days_ago=20 - number)
            continue
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
            # What the demo checkout records for a card gift, so it can be refunded.
            payment_intent_id="" if offline else f"pi_demo_seed_{number:03d}",
        )
    total = sum(gift[0] for gift in DEMO_GIFTS)
    stdout.write(f"Campaign: {CAMPAIGN_NAME}, {total} of 4700 USD from {len(DEMO_GIFTS)} gifts")


def _monthly_gift(campaign, number, amount, name, message, email, *, days_ago: int) -> None:
    """A monthly gift started ``days_ago`` through the demo checkout, as a reader starts one:
    its subscription and its first invoice, counted in the campaign."""
    gift = GiftRequest(
        campaign_id=campaign.pk,
        amount=amount,
        currency=campaign.currency,
        monthly=True,
        email=email,
        donor_name=name,
        message=message,
        attempt_key=f"demoseedmonthly{number:03d}",
    )
    demo_checkout_complete(gift=gift)
    # The demo checkout starts gifts today; the demo's began with the campaign's gifts.
    started = timezone.now() - timedelta(days=days_ago)
    RecurringGift.objects.filter(
        provider=Donation.Provider.DEMO, campaign=campaign, donor_name=name
    ).update(created_at=started)
