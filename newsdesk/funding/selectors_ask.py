"""Whose ask: a signed-in reader's donor status for the support ask (``models_ask.py``).

The page stays one shared copy; this status is stated in the article's personal region
(``funding/ask_status.html``), drawn only for a signed-in reader at serve time, and the
reader's browser picks the words (``static/funding/js/ask.js``). Funding may not import
accounts: the reader's *verified* addresses come from allauth's own model, here.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.funding.models_ask import SupportAskSettings

DonorStatus = Literal["current", "lapsed", "none"]
CURRENT: DonorStatus = "current"
LAPSED: DonorStatus = "lapsed"
NONE: DonorStatus = "none"
# A monthly gift that still runs, paused or not, keeps its donor current.
RUNNING = (RecurringGift.Status.ACTIVE, RecurringGift.Status.PAUSED)
# How long a reader's status is kept (in the cache, not the database): the personal region
# is drawn on every serve of a signed-in reader's page, whose fill must cost no query more
# than the reader's lookup. A gift made meanwhile is known at once to the browser that made
# it (the thank-you page's mark); a lapse is a matter of days.
STATUS_CACHE_SECONDS = 3600
STATUS_CACHE_KEY = "funding:ask-status:v1:{user_id}"


def support_ask_settings() -> SupportAskSettings:
    """The editors' words and rules for the ask, read in one query and never written: until
    editors save them, an unsaved row with the defaults (Wagtail's ``load()`` would insert
    one on a reader's request, a write and a second query on the page's path)."""
    return SupportAskSettings.objects.first() or SupportAskSettings()


def verified_emails_of(*, user_id: int | None) -> list[str]:
    """The account's verified addresses, lower-cased as the ledger stores donors' (an
    address the reader typed but never confirmed proves nothing). One query; none for no
    account."""
    if user_id is None:
        return []
    from allauth.account.models import EmailAddress  # allauth's model, not accounts'

    rows = EmailAddress.objects.filter(user_id=user_id, verified=True).values_list(
        "email", flat=True
    )
    return sorted({email.strip().lower() for email in rows if email})


def donor_status(*, emails: Iterable[str], lapsed_after_days: int) -> DonorStatus:
    """``"current"`` when one of ``emails`` has a running (active or paused) monthly gift,
    or a standing payment (a payment no refund reverses) received within the last
    ``lapsed_after_days`` days; ``"lapsed"`` when one gave a standing payment before but is
    not current; ``"none"`` otherwise (no addresses: no query). At most two queries."""
    addresses = sorted({email.strip().lower() for email in emails if email and email.strip()})
    if not addresses:
        return NONE
    if RecurringGift.objects.filter(donor_email__in=addresses, status__in=RUNNING).exists():
        return CURRENT
    refunded = Donation.objects.filter(related_payment=OuterRef("pk"), kind=Donation.Kind.REFUND)
    last = (
        Donation.objects.filter(donor_email__in=addresses, kind=Donation.Kind.PAYMENT)
        .exclude(Exists(refunded))
        .aggregate(last=Max("received_at"))["last"]
    )
    if last is None:
        return NONE
    since = timezone.now() - dt.timedelta(days=lapsed_after_days)
    return CURRENT if last >= since else LAPSED


def reader_donor_status(*, user_id: int | None, settings: SupportAskSettings) -> DonorStatus:
    """The donor status of the account ``user_id`` by its verified addresses, with the
    editors' ``lapsed_after_days``: at most three queries, none for a guest."""
    return donor_status(
        emails=verified_emails_of(user_id=user_id),
        lapsed_after_days=settings.lapsed_after_days,
    )


def reader_donor_status_cached(*, user_id: int | None, fresh: bool = False) -> DonorStatus:
    """``reader_donor_status`` with the editors' settings, kept in the cache for
    ``STATUS_CACHE_SECONDS`` (``fresh``: computed again, as at sign-in). A cache hit is no
    query; a miss at most four (the settings, then ``reader_donor_status``)."""
    if user_id is None:
        return NONE
    key = STATUS_CACHE_KEY.format(user_id=user_id)
    if not fresh:
        kept = cache.get(key)
        if kept in (CURRENT, LAPSED, NONE):
            return kept
    status = reader_donor_status(user_id=user_id, settings=support_ask_settings())
    cache.set(key, status, STATUS_CACHE_SECONDS)
    return status
