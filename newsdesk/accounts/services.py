"""Writes of the accounts app: erasing a reader's account.

What erasure keeps and removes (also said on the erase page):

- comments stay, with their text, under a neutral name (``PRIVACY_PLACEHOLDER_NAME``); the
  link to the account, the e-mail address, IP address and user agent are removed;
- votes and reports stay counted, with no link to anyone;
- subscriptions to threads are deleted; monthly gifts are stopped;
- gifts stay in the ledger for the accounts (amounts, dates, campaign, receipt number),
  without the donor's name, e-mail address, wall name or message; the donor key that counts
  distinct donors is replaced by a random one, so campaign totals and their donor counts
  stay exactly what ``funding_recompute`` finds;
- the raw payment-provider events that mentioned the donor's address lose it;
- the account's e-mail addresses, social accounts and the user row itself are deleted, and
  the cached pages that showed the reader's name are outdated.
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from newsdesk.accounts import conf
from newsdesk.accounts.errors import ErasureFailed, NotErasable, WrongPassword
from newsdesk.accounts.selectors import (
    user_donations,
    user_recurring_gifts,
    user_subscriptions,
    user_verified_emails,
)
from newsdesk.discussion.models import Comment, Vote
from newsdesk.discussion.services.email_confirmations import email_confirmations_forget
from newsdesk.funding.models import Donation, ProviderEvent, RecurringGift
from newsdesk.funding.services.recurring import recurring_gift_cancel
from newsdesk.moderation.models import Report
from newsdesk.pagecache import article_pages_changed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure changed, by kind of record."""

    comments_anonymized: int
    votes_detached: int
    reports_detached: int
    subscriptions_deleted: int
    donations_anonymized: int
    recurring_gifts_anonymized: int


def account_is_staff(*, user) -> bool:
    """Staff (Django staff, superusers, and anyone in a role group) cannot erase themselves."""
    return bool(user.is_staff or user.is_superuser or user.groups.exists())


def account_erase(*, user, password: str) -> ErasureReport:
    """Erase ``user``'s account after checking ``password``; see the module for what stays.

    Raises ``WrongPassword`` or ``NotErasable`` (nothing changed), or ``ErasureFailed`` when
    the payment provider would not stop a monthly gift (nothing erased; gifts already
    stopped stay stopped). Everything else happens in one transaction.
    """
    if account_is_staff(user=user):
        raise NotErasable(
            "Staff accounts cannot be erased here: ask an administrator to remove this account."
        )
    if not password or not user.check_password(password):
        raise WrongPassword("That is not your password.", field="password")
    emails = user_verified_emails(user=user)
    _recurring_gifts_stop(emails=emails)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        article_ids = set(
            Comment.objects.filter(user=user).values_list("thread__article_id", flat=True)
        )
        report = ErasureReport(
            comments_anonymized=_comments_anonymize(user=user, emails=emails),
            votes_detached=Vote.objects.filter(user=user).update(
                user=None, voter_key=Concat(Value("erased:"), Cast("pk", CharField()))
            ),
            reports_detached=Report.objects.filter(user=user).update(
                user=None, reporter_key=Concat(Value("erased:"), Cast("pk", CharField()))
            ),
            subscriptions_deleted=user_subscriptions(user=user, emails=emails).delete()[0],
            donations_anonymized=_donations_anonymize(emails=emails),
            recurring_gifts_anonymized=user_recurring_gifts(emails=emails).update(
                donor_name="", donor_email="", message=""
            ),
        )
        EmailAddress.objects.filter(user=user).delete()
        if apps.is_installed("allauth.socialaccount"):
            from allauth.socialaccount.models import SocialAccount

            SocialAccount.objects.filter(user=user).delete()
        user.delete()
        for article_id in article_ids:
            article_pages_changed(article_id=article_id)
    return report


def _recurring_gifts_stop(*, emails: list[str]) -> None:
    """Stop the donor's monthly gifts before anything is erased: the provider must hear of it,
    and once the address is gone the gift could no longer be found."""
    active = user_recurring_gifts(emails=emails).filter(status=RecurringGift.Status.ACTIVE)
    for gift in active:
        try:
            recurring_gift_cancel(gift=gift)
        except Exception as error:  # the provider's failure, whatever its kind
            logger.exception("Could not stop monthly gift %s before an erasure", gift.pk)
            raise ErasureFailed(
                "We could not stop your monthly gift with the payment provider, so nothing "
                "was erased. Please try again in a few minutes."
            ) from error


def _comments_anonymize(*, user, emails: list[str]) -> int:
    count = Comment.objects.filter(user=user).update(
        user=None,
        guest_name=conf.PRIVACY_PLACEHOLDER_NAME,
        guest_email="",
        guest_key_hash="",
        notify_replies=False,
        ip_address=None,
        user_agent="",
        ip_truncated=True,
    )
    if emails:
        # Comments the reader posted as a guest with the same address keep their guest name
        # but lose the address (and the reply e-mails it was for).
        Comment.objects.filter(user__isnull=True, guest_email__in=emails).update(
            guest_email="", notify_replies=False
        )
        # ... and what the double opt-in kept of those addresses (their hashes).
        email_confirmations_forget(emails=emails)
    return count


def _donations_anonymize(*, emails: list[str]) -> int:
    donations = user_donations(emails=emails)
    rows = list(donations.values_list("pk", "donor_key", "donor_name"))
    if not rows:
        return 0
    names = {name for _, _, name in rows if name}
    # One new random key per old key: distinct donors stay distinct, so the stored donor
    # counts still equal the ledger's, and the key no longer leads back to the address.
    for old_key in {key for _, key, _ in rows}:
        new_key = hashlib.sha256(f"erased:{secrets.token_hex(16)}".encode()).hexdigest()
        Donation.objects.filter(donor_key=old_key).update(donor_key=new_key)
    count = Donation.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(
        donor_name="", donor_email="", message=""
    )
    _provider_events_scrub(
        donation_ids=[pk for pk, _, _ in rows], emails=emails, names=sorted(names)
    )
    return count


def _provider_events_scrub(*, donation_ids: list[int], emails: list[str], names: list[str]):
    """Remove the donor's address (and the name they gave) from stored provider payloads."""
    mentions = Q(donations__pk__in=donation_ids)
    for email in emails:
        mentions |= Q(payload__icontains=email)
    patterns = [re.compile(re.escape(email), re.IGNORECASE) for email in emails]
    # A name is removed only where it is a whole JSON string value: a common word elsewhere
    # in the payload is left alone.
    patterns += [re.compile(r'"' + re.escape(name) + r'"') for name in names]
    for event in ProviderEvent.objects.filter(mentions).distinct():
        payload = event.payload
        for pattern in patterns:
            replacement = '""' if pattern.pattern.startswith('"') else ""
            payload = pattern.sub(replacement, payload)
        if payload != event.payload:
            ProviderEvent.objects.filter(pk=event.pk).update(payload=payload)
