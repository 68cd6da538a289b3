"""Links that let a donor manage a monthly gift from an e-mail.

CONTRACT (the lifecycle e-mails call it; the giving part completes it):
``recurring_gift_manage_url`` is the absolute URL where the donor of ``gift`` changes its
amount or card, pauses, resumes or cancels it.
"""

from newsdesk.core.siteurl import absolute_url
from newsdesk.funding.models import RecurringGift


def recurring_gift_manage_url(*, gift: RecurringGift) -> str:
    """Where the donor manages ``gift`` (placeholder: the signed-in giving page)."""
    return absolute_url(path="/account/giving/")
