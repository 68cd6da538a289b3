"""Reads of the accounts app: the account hub's summary (``/account/``), and what the site
holds about one reader (the privacy page and the "download my data" document).

The account and its addresses are this app's; every other record is its app's, asked for
through that app's ``personal_data`` module (discussion: comments, votes, subscriptions;
moderation: reports; funding: gifts and monthly gifts), so no other app's model is read here.
A reader's gifts and subscriptions are found by the e-mail addresses they *verified*: an
address someone merely typed into their account could be another person's, whose gifts
must never show up in this reader's download (or be erased with their account).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from newsdesk.discussion.selectors_own import comments_written_by
from newsdesk.discussion.services import personal_data as discussion_data
from newsdesk.funding.services import personal_data as funding_data
from newsdesk.moderation.services import personal_data as moderation_data
from newsdesk.newsletters.services import personal_data as newsletters_data

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def user_verified_emails(*, user: "User") -> list[str]:
    """The user's verified e-mail addresses, lower-cased (as the ledger stores them)."""
    return sorted(
        {
            address.lower()
            for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )


@dataclass(frozen=True)
class PersonalDataSummary:
    """How many of each kind of record the site holds about a reader (the privacy page)."""

    comments: int
    votes: int
    reports: int
    subscriptions: int
    donations: int
    recurring_gifts: int
    active_recurring_gifts: int
    newsletter_subscriptions: int = 0
    newsletter_mails: int = 0


def personal_data_summary(*, user: "User") -> PersonalDataSummary:
    """Count every kind of record the site holds about ``user``, asking each app."""
    emails = user_verified_emails(user=user)
    discussion = discussion_data.reader_data_counts(user=user, emails=emails)
    funding = funding_data.donor_data_counts(emails=emails)
    newsletters = newsletters_data.reader_newsletter_counts(user=user, emails=emails)
    return PersonalDataSummary(
        comments=discussion.comments,
        votes=discussion.votes,
        reports=moderation_data.reporter_reports_count(user=user),
        subscriptions=discussion.subscriptions,
        donations=funding.donations,
        recurring_gifts=funding.recurring_gifts,
        active_recurring_gifts=funding.active_recurring_gifts,
        newsletter_subscriptions=newsletters.subscriptions,
        newsletter_mails=newsletters.mails_received,
    )


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def personal_data_export(*, user: "User", request: HttpRequest | None = None) -> dict:
    """Everything the site holds about ``user``, as one JSON-ready document.

    Only this reader's own records: the comments they wrote (not the replies of others),
    their votes and reports (naming the comment, never its author or text), their
    subscriptions, and the gifts made with their verified addresses. A fixed number of
    queries, whatever the number of records.
    """
    emails = user_verified_emails(user=user)
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "emails": [
                {"address": a.email, "verified": a.verified, "primary": a.primary}
                for a in addresses
            ],
        },
        "comments": discussion_data.reader_comments_export(user=user, request=request),
        "votes": discussion_data.reader_votes_export(user=user, request=request),
        "reports": moderation_data.reporter_reports_export(user=user, request=request),
        "appeals": moderation_data.appellant_appeals_export(user=user, request=request),
        "subscriptions": discussion_data.reader_subscriptions_export(
            user=user, emails=emails, request=request
        ),
        "discussion_settings": discussion_data.reader_controls_export(user=user),
        "donations": funding_data.donor_donations_export(emails=emails),
        "recurring_gifts": funding_data.donor_recurring_gifts_export(emails=emails),
        "newsletters": newsletters_data.reader_newsletter_export(user=user, emails=emails),
    }


# --- the account hub (/account/) ----------------------------------------------------------
# Statuses as discussion names them (``CommentStatus``), read here as plain values.
HELD = "held"
NOT_SHOWN = ("rejected", "spam")


@dataclass(frozen=True)
class AccountOverview:
    """What the account page sums up."""

    verified_emails: list[str]
    comments: int
    comments_held: int
    comments_rejected: int
    donations: int
    gifts: int
    recurring_gifts: int
    active_recurring_gifts: int

    @property
    def comments_waiting_or_refused(self) -> int:
        return self.comments_held + self.comments_rejected


def account_overview(*, user: "User") -> AccountOverview:
    """The account's summary: its verified addresses, its comments (deleted ones left out)
    by status, its gifts. Five queries (two when no address is verified yet)."""
    emails = user_verified_emails(user=user)
    by_status = dict(
        comments_written_by(user_id=user.pk)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    funding = funding_data.donor_data_counts(emails=emails)
    return AccountOverview(
        verified_emails=emails,
        comments=sum(by_status.values()),
        comments_held=by_status.get(HELD, 0),
        comments_rejected=sum(by_status.get(status, 0) for status in NOT_SHOWN),
        donations=funding.donations,
        gifts=funding.gifts,
        recurring_gifts=funding.recurring_gifts,
        active_recurring_gifts=funding.active_recurring_gifts,
    )
