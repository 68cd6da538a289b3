"""A donor who manages their giving, in the demo (issue 20, item 2).

Dana (``dana@example.org``, account ``dana_gives``, no password: sign in by code on
``/accounts/login/``, "E-mail me a sign-in code"; the code is printed by ``make demo``'s
console mail backend) gives two monthly gifts through the demo provider:

- 12 $ a month, running, with a card on file (Visa ending 4242, expiring 08/2030);
- 5 $ a month, paused.

On ``/account/giving/`` she changes the amount, changes the card (the demo card page),
pauses, resumes or stops either. Each gift was made, given its card and paused exactly as a
donor would: the demo checkout, then the Stripe-shaped events the demo provider builds
(``funding/services/giving.py``), through the webhook's path. Idempotent: every step has a
fixed attempt key (its events' ids), so loading twice changes nothing.
"""

import uuid
from decimal import Decimal

from newsdesk.demo.funding import CAMPAIGN_NAME
from newsdesk.demo.readers import demo_account
from newsdesk.funding.models import Campaign, RecurringGift
from newsdesk.funding.services.checkout import GiftRequest, demo_checkout_complete
from newsdesk.funding.services.giving import (
    DemoCardRequest,
    demo_card_complete,
    recurring_gift_pause,
)

USERNAME, EMAIL, NAME = "dana_gives", "dana@example.org", "Dana R."
RUNNING = ("demogivingrunning01", Decimal("12"))
PAUSED = ("demogivingpaused001", Decimal("5"))
CARD_KEY = "d0d0" + "0" * 27 + "1"
PAUSE_KEY = "d0d0" + "0" * 27 + "2"


def _donor() -> None:
    demo_account(username=USERNAME, email=EMAIL, name=NAME)


def _monthly_gift(campaign: Campaign, attempt_key: str, amount: Decimal) -> RecurringGift:
    demo_checkout_complete(
        gift=GiftRequest(
            campaign_id=campaign.pk,
            amount=amount,
            currency=campaign.currency,
            monthly=True,
            email=EMAIL,
            donor_name=NAME,
            message="",
            attempt_key=attempt_key,
        )
    )
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"newsdesk-demo:{attempt_key}").hex
    return RecurringGift.objects.get(provider="demo", subscription_id=f"sub_demo_{key}")


def load(*, stdout) -> None:
    campaign = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if campaign is None:
        stdout.write("giving: no demo campaign, skipped")
        return
    _donor()
    running = _monthly_gift(campaign, *RUNNING)
    if not running.card_last4 and running.status != RecurringGift.Status.CANCELLED:
        demo_card_complete(
            request=DemoCardRequest(
                gift=running, return_path="/account/giving/", attempt_key=CARD_KEY
            ),
            last4="4242",
            exp_month=8,
            exp_year=2030,
        )
    paused = _monthly_gift(campaign, *PAUSED)
    # Paused once: a gift Dana changed since (resumed, stopped) has a state of its own.
    if paused.status == RecurringGift.Status.ACTIVE and paused.state_as_of is None:
        recurring_gift_pause(gift=paused, attempt_key=PAUSE_KEY)
    stdout.write(f"giving: {EMAIL} gives monthly (one running with a card, one paused)")
