"""Links that let a donor manage a monthly gift from an e-mail, without signing in.

``recurring_gift_manage_url`` is the absolute URL where the donor of ``gift`` changes its
amount or card, pauses, resumes or cancels it (the lifecycle e-mails carry it: a failed
payment, a card about to expire). The link is signed with the site's secret and names the
gift by provider and subscription, like the cancel link of receipts, under a salt of its
own (a cancel link does not open the manage page, nor the reverse). It does not expire: a
donor may keep the e-mail for months, and the page lets them do no more than the receipt's
cancel link already does, plus changes that need the provider's own checkout (the card).
"""

from django.core import signing
from django.urls import reverse

from newsdesk.core.siteurl import absolute_url
from newsdesk.funding.models import RecurringGift

MANAGE_SALT = "newsdesk.funding.manage-monthly-gift"


def recurring_gift_manage_token(*, gift: RecurringGift) -> str:
    """The token of ``gift``'s manage link: the same every time (no timestamp: it does not
    expire), so every e-mail about a gift carries one link."""
    return signing.Signer(salt=MANAGE_SALT).sign_object(
        {"provider": gift.provider, "subscription": gift.subscription_id}
    )


def recurring_gift_from_manage_token(*, token: str) -> RecurringGift | None:
    """The gift a manage link names, or None for a forged, altered or unknown one."""
    try:
        data = signing.Signer(salt=MANAGE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return RecurringGift.objects.filter(
        provider=str(data.get("provider", "")), subscription_id=str(data.get("subscription", ""))
    ).first()


def recurring_gift_manage_path(*, gift: RecurringGift) -> str:
    """The manage page's path on this site (the page's own forms come back to it)."""
    return reverse("funding:manage", kwargs={"token": recurring_gift_manage_token(gift=gift)})


def recurring_gift_manage_url(*, gift: RecurringGift) -> str:
    """Where the donor manages ``gift`` (absolute, for e-mails)."""
    return absolute_url(path=recurring_gift_manage_path(gift=gift))
