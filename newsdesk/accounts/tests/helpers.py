"""Helpers for the privacy tests: readers, comments, votes, reports, subscriptions and gifts,
each made through the owning app's real services."""

import itertools
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from newsdesk.discussion.models import Subscription
from newsdesk.discussion.readers import Reader, guest_key_new
from newsdesk.discussion.services import CommentDraft, comment_create, comment_vote
from newsdesk.funding.models import Campaign, Donation, RecurringGift
from newsdesk.funding.services.ledger import donation_record
from newsdesk.moderation.services.reports import report_create

PASSWORD = "a long river password 42"
_numbers = itertools.count(1)


def make_reader(username: str, *, email: str | None = None, verified: bool = True):
    """A signed-up reader whose address is verified (as allauth leaves it)."""
    email = email or f"{username}@example.org"
    user = get_user_model().objects.create_user(username=username, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def reader_of(user, *, ip: str = "198.51.100.23") -> Reader:
    return Reader(user=user, ip_address=ip, user_agent="Firefox/140")


def guest_reader(*, ip: str = "203.0.113.9") -> Reader:
    return Reader(guest_key=guest_key_new(), ip_address=ip, user_agent="Safari/18")


def post(article, reader: Reader, body: str, *, name: str = "", email: str = "", parent=None):
    draft = CommentDraft(
        body=body,
        guest_name=name,
        guest_email=email,
        notify_replies=bool(email),
        parent_id=parent.pk if parent is not None else None,
    )
    return comment_create(article=article, reader=reader, draft=draft)


def vote(comment, reader: Reader, value: int = 1):
    return comment_vote(comment_id=comment.pk, reader=reader, value=value)


def report(comment, reader: Reader, text: str = "Not about the article at all."):
    return report_create(comment_id=comment.pk, reader=reader, reason="other", text=text)


def subscribe(comment, *, email: str, user=None) -> Subscription:
    return Subscription.objects.create(thread=comment.thread, email=email, user=user)


def make_campaign(name: str = "Spring drive") -> Campaign:
    now = timezone.now()
    return Campaign.objects.create(
        name=name,
        goal=Decimal("5000"),
        currency="USD",
        starts_at=now - timedelta(days=3),
        ends_at=now + timedelta(days=20),
    )


def give(campaign, *, email: str, name: str = "", message: str = "", amount: str = "25"):
    number = next(_numbers)
    return donation_record(
        provider=Donation.Provider.DEMO,
        provider_reference=f"demo_pay_{number}_{email}",
        kind=Donation.Kind.PAYMENT,
        amount=Decimal(amount),
        currency="USD",
        campaign=campaign,
        donor_name=name,
        donor_email=email,
        message=message,
    )


def refund(payment, amount: str = "-25"):
    return donation_record(
        provider=Donation.Provider.DEMO,
        provider_reference=f"refund_{payment.provider_reference}",
        kind=Donation.Kind.REFUND,
        amount=Decimal(amount),
        currency="USD",
        related_payment=payment,
    )


def monthly_gift(campaign, *, email: str, name: str = "", message: str = "") -> RecurringGift:
    return RecurringGift.objects.create(
        provider=Donation.Provider.DEMO,
        subscription_id=f"demo_sub_{next(_numbers)}",
        campaign=campaign,
        amount=Decimal("10"),
        currency="USD",
        donor_name=name,
        donor_email=email,
        message=message,
    )
