"""Demo gifts with the card fees covered, some given from articles (issue 20, items 3 and 7).

Mira (``mira@example.org``, a reader with an account: sign in by code, see
``demo/reader_accounts.py``) gave twice with the fees covered, once from the lead story and
once monthly from another article, and once without: ``/account/receipts/<id>.pdf`` serves
each receipt and ``/account/receipts/<year>/statement.pdf`` her year. Two guests gave with
fees covered from articles too, for the treasurers' ledger (fee rows as their own lines) and
the dashboard's "articles gifts came from".

Every gift goes through the demo checkout, as a reader's does (``demo_checkout_complete``:
the events Stripe would send, the fee computed by ``fees.fee_for``). Idempotent: each gift's
attempt key is fixed, so loading twice counts each once.
"""

from decimal import Decimal

from newsdesk.articles.models import ArticlePage
from newsdesk.demo.discussion import lead_story_find
from newsdesk.demo.funding import CAMPAIGN_NAME
from newsdesk.funding.fees import fee_for
from newsdesk.funding.models import Campaign
from newsdesk.funding.services.checkout import GiftRequest, demo_checkout_complete

MIRA = "mira@example.org"
# (attempt key, amount, e-mail, name on the wall, monthly, fees covered, from: "lead" /
# "other" / None)
GIFTS = [
    ("demoreceipts0001", Decimal("40"), MIRA, "Mira K.", False, True, "lead"),
    ("demoreceipts0002", Decimal("10"), MIRA, "Mira K.", True, True, "other"),
    ("demoreceipts0003", Decimal("15"), MIRA, "Mira K.", False, False, None),
    ("demoreceipts0004", Decimal("25"), "weir.watcher@example.org", "", False, True, "lead"),
    (
        "demoreceipts0005",
        Decimal("50"),
        "old.miller@example.org",
        "The old miller",
        False,
        True,
        "other",
    ),
]


def _articles() -> dict[str, int | None]:
    lead = lead_story_find()
    other = ArticlePage.objects.live().exclude(pk=getattr(lead, "pk", None)).order_by("pk").first()
    return {"lead": getattr(lead, "pk", None), "other": getattr(other, "pk", None)}


def load(*, stdout) -> None:
    campaign = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if campaign is None:
        return
    pages = _articles()
    for key, amount, email, name, monthly, covers, source in GIFTS:
        gift = GiftRequest(
            campaign_id=campaign.pk,
            amount=amount,
            currency=campaign.currency,
            monthly=monthly,
            email=email,
            donor_name=name,
            message="",
            attempt_key=key,
            fee=fee_for(amount=amount, currency=campaign.currency) if covers else Decimal(0),
            source_page_id=pages.get(source) if source else None,
        )
        demo_checkout_complete(gift=gift)  # the same key twice counts once
    stdout.write(f"Receipts: {len(GIFTS)} demo gifts, fees covered on most, some from articles")
