"""Reads of the accounts app: what the site holds about one reader (the privacy page and the
"download my data" document).

A reader's gifts and subscriptions are found by the e-mail addresses they *verified*: an
address someone merely typed into their account could be another person's, whose gifts
must never show up in this reader's download (or be erased with their account).
"""

from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.utils import timezone

from newsdesk.discussion.models import Comment, Subscription, Vote
from newsdesk.funding.models import Donation, RecurringGift
from newsdesk.moderation.models import Report


def user_verified_emails(*, user) -> list[str]:
    """The user's verified e-mail addresses, lower-cased (as the ledger stores them)."""
    return sorted(
        {
            address.lower()
            for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )


def user_donations(*, emails: list[str]) -> QuerySet:
    """Ledger rows of the donor behind ``emails``: their gifts, and the refunds, disputes and
    reversals of those gifts (which name the gift they reverse, not always the e-mail)."""
    if not emails:
        return Donation.objects.none()
    return Donation.objects.filter(
        Q(donor_email__in=emails) | Q(related_payment__donor_email__in=emails)
    )


def user_recurring_gifts(*, emails: list[str]) -> QuerySet:
    if not emails:
        return RecurringGift.objects.none()
    return RecurringGift.objects.filter(donor_email__in=emails)


def user_subscriptions(*, user, emails: list[str]) -> QuerySet:
    return Subscription.objects.filter(Q(user=user) | Q(email__in=emails))


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


def personal_data_summary(*, user) -> PersonalDataSummary:
    emails = user_verified_emails(user=user)
    gifts = user_recurring_gifts(emails=emails)
    return PersonalDataSummary(
        comments=Comment.objects.filter(user=user).count(),
        votes=Vote.objects.filter(user=user).count(),
        reports=Report.objects.filter(user=user).count(),
        subscriptions=user_subscriptions(user=user, emails=emails).count(),
        donations=user_donations(emails=emails).count(),
        recurring_gifts=gifts.count(),
        active_recurring_gifts=gifts.filter(status=RecurringGift.Status.ACTIVE).count(),
    )


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _article_fields(article, request) -> dict:
    if article is None:
        return {"article_title": None, "article_url": None}
    return {"article_title": article.title, "article_url": article.get_full_url(request)}


def personal_data_export(*, user, request=None) -> dict:
    """Everything the site holds about ``user``, as one JSON-ready document.

    Only this reader's own records: the comments they wrote (not the replies of others),
    their votes and reports (naming the comment, never its author or text), their
    subscriptions, and the gifts made with their verified addresses. A fixed number of
    queries, whatever the number of records.
    """
    emails = user_verified_emails(user=user)
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    comments = (
        Comment.objects.filter(user=user)
        .select_related("thread__article")
        .order_by("created_at", "pk")
    )
    votes = Vote.objects.filter(user=user).select_related("comment__thread__article")
    reports = Report.objects.filter(user=user).select_related("comment__thread__article")
    subscriptions = user_subscriptions(user=user, emails=emails).select_related("thread__article")
    donations = user_donations(emails=emails).select_related("campaign").order_by("received_at")
    gifts = user_recurring_gifts(emails=emails).select_related("campaign").order_by("created_at")
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
        "comments": [
            {
                "id": c.pk,
                **_article_fields(c.thread.article, request),
                "in_reply_to": c.parent_id,
                "body": c.body_source,
                "body_format": c.body_format,
                "status": c.status,
                "created_at": _when(c.created_at),
                "edited_at": _when(c.edited_at),
                "upvotes": c.upvotes,
                "downvotes": c.downvotes,
                "notify_replies": c.notify_replies,
                "ip_address": c.ip_address,
                "user_agent": c.user_agent,
            }
            for c in comments
        ],
        "votes": [
            {
                "comment_id": v.comment_id,
                **_article_fields(v.comment.thread.article, request),
                "value": v.value,
                "created_at": _when(v.created_at),
            }
            for v in votes
        ],
        "reports": [
            {
                "comment_id": r.comment_id,
                **_article_fields(r.comment.thread.article, request),
                "reason": r.reason,
                "text": r.text,
                "created_at": _when(r.created_at),
                "resolved_at": _when(r.resolved_at),
            }
            for r in reports
        ],
        "subscriptions": [
            {
                **_article_fields(s.thread.article, request),
                "email": s.email,
                "created_at": _when(s.created_at),
            }
            for s in subscriptions
        ],
        "donations": [
            {
                "receipt_number": d.provider_reference,
                "kind": d.kind,
                "amount": str(d.amount),
                "currency": d.currency,
                "campaign": d.campaign.name if d.campaign else None,
                "method": d.method,
                "monthly": d.recurring,
                "received_at": _when(d.received_at),
                "wall_name": d.donor_name,
                "message": d.message,
                "email": d.donor_email,
            }
            for d in donations
        ],
        "recurring_gifts": [
            {
                "amount": str(g.amount),
                "currency": g.currency,
                "campaign": g.campaign.name if g.campaign else None,
                "status": g.status,
                "created_at": _when(g.created_at),
                "cancelled_at": _when(g.cancelled_at),
                "wall_name": g.donor_name,
                "message": g.message,
                "email": g.donor_email,
            }
            for g in gifts
        ],
    }
