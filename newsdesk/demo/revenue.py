"""Demo content for the reader-revenue dashboard (issue 20, item 7): a year of gifts, and the
year before it of earlier supporters, so that every chart has a shape.

- One-time gifts most days, more in three short drives; one in five gives an address (and
  so counts as one donor over their gifts; the others are a donor each), some cover the fees,
  some came from a demo article (``source_page``); a few are refunded, some in euros.
- Monthly gifts started over the year, each charged every 30 days while it runs: some
  paused, some cancelled (``RecurringGift`` dates), some covering the fees; one charge was
  disputed, and lost.
- Earlier supporters gave 13 to 25 months ago and not since: they lapse during the year
  (``SupportAskSettings.lapsed_after_days``, 400 days by default); some come back.

Every gift enters the ledger through ``funding.services.ledger.donation_record`` with the demo
provider, outside any campaign (the spring drive's own gifts are ``demo.funding``'s); the
monthly gifts' rows are written as the provider's events would have left them, backdated.
Deterministic (a seeded generator, references numbered in order) and idempotent: a second
run finds the first reference and adds nothing.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from newsdesk.articles.models import ArticlePage
from newsdesk.funding.fees import fee_for
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.services.ledger import donation_record

PREFIX = "demo-revenue"
DEMO = Donation.Provider.DEMO
AMOUNTS = [5, 10, 10, 15, 20, 25, 25, 30, 50, 50, 75, 100, 150, 250]
MONTHLY_AMOUNTS = [5, 8, 10, 10, 12, 15, 20, 25, 30, 50]
# (started days ago, how it ended: "" running, "paused" or "cancelled", days after the
# start it ended, covers the fees)
MONTHLY = [
    (360, "", 0, True),
    (345, "cancelled", 120, False),
    (300, "paused", 200, False),
    (280, "", 0, True),
    (250, "cancelled", 60, True),
    (220, "", 0, False),
    (200, "cancelled", 150, False),
    (150, "paused", 90, True),
    (120, "", 0, False),
    (100, "cancelled", 40, False),
    (80, "", 0, True),
    (45, "cancelled", 20, False),
    (30, "", 0, False),
    (12, "", 0, True),
]


class _Ledger:
    """Numbers the demo's references in order and records through the ledger service."""

    def __init__(self, now: datetime, pages: list[int]):
        self.now, self.pages, self.count = now, pages, 0

    def reference(self) -> str:
        self.count += 1
        return f"{PREFIX}-{self.count:04d}"

    def pay(self, *, when, amount, email="", currency="USD", fees=False, page=None, **extra):
        amount = Decimal(amount)
        reference = self.reference()
        return donation_record(
            provider=DEMO,
            provider_reference=reference,
            kind=Donation.Kind.PAYMENT,
            amount=amount,
            currency=currency,
            received_at=when,
            donor_email=email,
            note="Demo content: a year of gifts",
            send_mail=False,  # a history: no receipt or welcome for gifts of months ago
            payment_intent_id=f"pi_{reference.replace('-', '_')}",
            fee_covered=fee_for(amount=amount, currency=currency) if fees else Decimal(0),
            source_page_id=page,
            **extra,
        )

    def reverse(self, payment, *, amount, when, kind=Donation.Kind.REFUND):
        return donation_record(
            provider=DEMO,
            provider_reference=self.reference(),
            kind=kind,
            amount=Decimal(amount),
            currency=payment.currency,
            related_payment=payment,
            received_at=when,
            note="Demo content: a year of gifts",
            send_mail=False,  # a history: no receipt or welcome for gifts of months ago
        )


def _one_time_gifts(ledger: _Ledger, rng: random.Random) -> None:
    """Most days of the year, one gift or a few; one in five with an address (40 readers)."""
    for back in range(364, -1, -1):
        day = ledger.now - timedelta(
            days=back, hours=rng.randint(0, 14), minutes=rng.randint(0, 59)
        )
        busy = back % 120 < 15  # three short drives a year, the last one now
        for _ in range(rng.choice([0, 1, 1, 2, 3] if busy else [0, 0, 1, 1, 2])):
            page = rng.choice(ledger.pages) if ledger.pages and rng.random() < 0.4 else None
            email = f"reader{rng.randint(1, 40)}@demo.example" if rng.random() < 0.2 else ""
            euro = rng.random() < 0.08
            payment = ledger.pay(
                when=day,
                amount=rng.choice(AMOUNTS),
                email=email,
                currency="EUR" if euro else "USD",
                fees=rng.random() < 0.35,
                page=page,
            )
            if payment is not None and rng.random() < 0.04:
                part = payment.amount if rng.random() < 0.5 else payment.amount / 2
                ledger.reverse(payment, amount=-part, when=day + timedelta(days=rng.randint(1, 6)))


def _earlier_supporters(ledger: _Ledger, rng: random.Random) -> None:
    """Readers who gave 13 to 25 months ago and then stopped; every third comes back."""
    for n in range(1, 25):
        email = f"earlier{n}@demo.example"
        last = ledger.now - timedelta(days=rng.randint(400, 760))
        ledger.pay(when=last - timedelta(days=rng.randint(20, 90)), amount=25, email=email)
        ledger.pay(when=last, amount=rng.choice(AMOUNTS), email=email)
        if n % 3 == 0:
            back = last + timedelta(days=rng.randint(410, 480))
            if back < ledger.now:
                ledger.pay(when=back, amount=rng.choice(AMOUNTS), email=email)


def _monthly_gifts(ledger: _Ledger, rng: random.Random) -> None:
    """Monthly gifts charged every 30 days from their start while they run."""
    for n, (started_ago, ended, lasted, fees) in enumerate(MONTHLY, start=1):
        email = f"monthly{n}@demo.example"
        gift_amount = Decimal(rng.choice(MONTHLY_AMOUNTS))
        fee = fee_for(amount=gift_amount, currency="USD") if fees else Decimal(0)
        started = ledger.now - timedelta(days=started_ago, hours=rng.randint(0, 12))
        end = started + timedelta(days=lasted) if ended else ledger.now
        page = rng.choice(ledger.pages) if ledger.pages and n % 3 == 0 else None
        subscription = f"sub_{PREFIX.replace('-', '_')}_{n:03d}"
        RecurringGift.objects.create(
            provider=DEMO,
            subscription_id=subscription,
            amount=gift_amount + fee,
            fee_covered=fee,
            currency="USD",
            donor_email=email,
            created_at=started,
            status=ended or RecurringGift.Status.ACTIVE,
            paused_at=end if ended == "paused" else None,
            cancelled_at=end if ended == "cancelled" else None,
            state_as_of=end if ended else started,
            source_page_id=page,
        )
        charge = started
        while charge < end:
            payment = ledger.pay(
                when=charge,
                amount=gift_amount,
                email=email,
                fees=fees,
                page=page if charge == started else None,
                recurring=True,
                subscription_id=subscription,
            )
            if payment is not None and n == 5 and charge == started + timedelta(days=60):
                # A charge the card's owner disputed, and the newsroom lost.
                ledger.reverse(
                    payment,
                    amount=-gift_amount,
                    when=charge + timedelta(days=12),
                    kind=Donation.Kind.DISPUTE,
                )
            charge += timedelta(days=30)


def load(*, stdout) -> None:
    if Donation.objects.filter(provider=DEMO, provider_reference=f"{PREFIX}-0001").exists():
        return
    pages = list(
        ArticlePage.objects.live()
        .order_by("-first_published_at", "pk")
        .values_list("pk", flat=True)[:8]
    )
    ledger = _Ledger(timezone.now(), pages)
    rng = random.Random(20)  # noqa: S311 - demo figures, not secrets
    with transaction.atomic():
        _one_time_gifts(ledger, rng)
        _earlier_supporters(ledger, rng)
        _monthly_gifts(ledger, rng)
    stdout.write(
        f"Reader revenue: {ledger.count} ledger rows over two years, {len(MONTHLY)} monthly gifts"
    )
