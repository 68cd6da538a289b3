"""Writes of the accounts app: erasing a reader's account.

What erasure keeps and removes (also said on the erase page):

- comments stay, with their text, under a neutral name (``PRIVACY_PLACEHOLDER_NAME``); the
  link to the account, the e-mail address, IP address and user agent are removed;
- votes and reports stay counted, with no link to anyone;
- subscriptions to threads are deleted; monthly gifts are stopped;
- the moderators' notes about the reader and their watch-list entries are deleted;
- newsletter subscriptions (with their consent records) are deleted; the records of the
  newsletter mails sent stay counted without the address (``newsletters``' personal data);
- gifts stay in the ledger for the accounts (amounts, dates, campaign, receipt number),
  without the donor's name, e-mail address, wall name or message; the donor key that counts
  distinct donors is replaced by a random one, so campaign totals and their donor counts
  stay exactly what ``funding_recompute`` finds;
- the raw payment-provider events that mentioned the donor's address lose it;
- the account's e-mail addresses, social accounts and the user row itself are deleted, and
  the pages that showed the reader's name are announced changed (by discussion).

This app owns the account; each other app erases its own records through its
``personal_data`` service (discussion, moderation, funding), and this module only
orchestrates them: it imports no other app's models (``tests/site/test_boundaries.py``).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from newsdesk.accounts import conf
from newsdesk.accounts.errors import ErasureFailed, NotErasable, WrongPassword
from newsdesk.accounts.selectors import user_verified_emails
from newsdesk.discussion.services import personal_data as discussion_data
from newsdesk.funding.services import personal_data as funding_data
from newsdesk.moderation.services import personal_data as moderation_data
from newsdesk.newsletters.services import personal_data as newsletters_data

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure changed, by kind of record."""

    comments_anonymized: int
    votes_detached: int
    reports_detached: int
    subscriptions_deleted: int
    donations_anonymized: int
    recurring_gifts_anonymized: int
    newsletter_subscriptions_deleted: int = 0


def account_is_staff(*, user: "User") -> bool:
    """Staff (Django staff, superusers, and anyone in a role group) cannot erase themselves."""
    return bool(user.is_staff or user.is_superuser or user.groups.exists())


def account_erase(*, user: "User", password: str) -> ErasureReport:
    """Erase ``user``'s account after checking ``password``; see the module for what stays.

    Raises ``WrongPassword`` or ``NotErasable`` (nothing changed), or ``ErasureFailed`` when
    the payment provider would not stop a monthly gift (nothing erased; gifts already
    stopped stay stopped). Everything else happens in one transaction.
    """
    if account_is_staff(user=user):
        raise NotErasable(
            _("Staff accounts cannot be erased here: ask an administrator to remove this account.")
        )
    if not password or not user.check_password(password):
        raise WrongPassword(_("That is not your password."), field="password")
    emails = user_verified_emails(user=user)
    _recurring_gifts_stop(emails=emails)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        discussion = discussion_data.reader_data_erase(
            user=user, emails=emails, placeholder_name=conf.PRIVACY_PLACEHOLDER_NAME
        )
        reports = moderation_data.reporter_reports_detach(user=user)
        moderation_data.appellant_appeals_erase(user=user)
        moderation_data.commenter_notes_erase(user=user, emails=emails)
        funding = funding_data.donor_data_erase(emails=emails)
        newsletters = newsletters_data.reader_newsletter_erase(user=user, emails=emails)
        EmailAddress.objects.filter(user=user).delete()
        if apps.is_installed("allauth.socialaccount"):
            from allauth.socialaccount.models import SocialAccount

            SocialAccount.objects.filter(user=user).delete()
        user.delete()
    return ErasureReport(
        comments_anonymized=discussion.comments_anonymized,
        votes_detached=discussion.votes_detached,
        reports_detached=reports,
        subscriptions_deleted=discussion.subscriptions_deleted,
        donations_anonymized=funding.donations_anonymized,
        recurring_gifts_anonymized=funding.recurring_gifts_anonymized,
        newsletter_subscriptions_deleted=newsletters.subscriptions_deleted,
    )


def _recurring_gifts_stop(*, emails: list[str]) -> None:
    """Stop the donor's monthly gifts before anything is erased: the provider must hear of it,
    and once the address is gone the gift could no longer be found."""
    try:
        funding_data.donor_recurring_gifts_stop(emails=emails)
    except Exception as error:  # the provider's failure, whatever its kind (funding logs it)
        raise ErasureFailed(
            _(
                "We could not stop your monthly gift with the payment provider, so nothing "
                "was erased. Please try again in a few minutes."
            )
        ) from error
