"""A reader's personal data in discussion, for the privacy page: count it, export it, erase it.

``accounts`` orchestrates a reader's download and erasure (``accounts/selectors.py``,
``accounts/services.py``) and asks each app for its part; this module is the only place that
reads or changes discussion's rows for it: comments, votes, thread subscriptions and what the
double opt-in kept of an address. A reader is named by their account and their *verified*
e-mail addresses, lower-cased (an address merely typed in could be someone else's).

Counting and exporting only read; they sit beside the erasure so the three always cover the
same records.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.models import (
    Comment,
    Digest,
    DigestItem,
    IgnoredCommenter,
    ReaderSettings,
    Subscription,
    Vote,
)
from newsdesk.discussion.services.email_confirmations import email_confirmations_forget

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

    from newsdesk.articles.models import ArticlePage


def when_iso(value: datetime | None) -> str | None:
    """A date as the export writes it (ISO 8601), or None."""
    return value.isoformat() if value else None


def article_fields(
    article: "ArticlePage | None", request: "HttpRequest | None"
) -> dict[str, str | None]:
    """The article a record belongs to, as the export names it (title and full URL; both
    None for a thread no article matched)."""
    if article is None:
        return {"article_title": None, "article_url": None}
    return {"article_title": article.title, "article_url": article.get_full_url(request)}


def reader_subscriptions(*, user: "User", emails: list[str]) -> QuerySet[Subscription]:
    """Thread subscriptions of the account or of one of its verified addresses."""
    return Subscription.objects.filter(Q(user=user) | Q(email__in=emails))


@dataclass(frozen=True)
class DiscussionDataCounts:
    """How many of discussion's records name a reader (the privacy page's summary)."""

    comments: int
    votes: int
    subscriptions: int


def reader_data_counts(*, user: "User", emails: list[str]) -> DiscussionDataCounts:
    """Count the reader's comments, votes and subscriptions (three queries)."""
    return DiscussionDataCounts(
        comments=Comment.objects.filter(user=user).count(),
        votes=Vote.objects.filter(user=user).count(),
        subscriptions=reader_subscriptions(user=user, emails=emails).count(),
    )


def reader_comments_export(
    *, user: "User", request: "HttpRequest | None" = None
) -> list[dict[str, object]]:
    """The comments the reader wrote (not others' replies), oldest first; one query."""
    comments = (
        Comment.objects.filter(user=user)
        .select_related("thread__article")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": c.pk,
            **article_fields(c.thread.article, request),
            "in_reply_to": c.parent_id,
            "body": c.body_source,
            "body_format": c.body_format,
            "status": c.status,
            "created_at": when_iso(c.created_at),
            "edited_at": when_iso(c.edited_at),
            "upvotes": c.upvotes,
            "downvotes": c.downvotes,
            "notify_replies": c.notify_replies,
            "ip_address": c.ip_address,
            "user_agent": c.user_agent,
        }
        for c in comments
    ]


def reader_votes_export(
    *, user: "User", request: "HttpRequest | None" = None
) -> list[dict[str, object]]:
    """The reader's votes, naming the comment (never its author or text); one query."""
    votes = Vote.objects.filter(user=user).select_related("comment__thread__article")
    return [
        {
            "comment_id": v.comment_id,
            **article_fields(v.comment.thread.article, request),
            "value": v.value,
            "created_at": when_iso(v.created_at),
        }
        for v in votes
    ]


def reader_subscriptions_export(
    *, user: "User", emails: list[str], request: "HttpRequest | None" = None
) -> list[dict[str, object]]:
    """The reader's thread subscriptions (account's or verified addresses'); one query."""
    subscriptions = reader_subscriptions(user=user, emails=emails).select_related("thread__article")
    return [
        {
            **article_fields(s.thread.article, request),
            "email": s.email,
            "created_at": when_iso(s.created_at),
        }
        for s in subscriptions
    ]


def reader_controls_export(*, user: "User") -> dict[str, object]:
    """The reader's discussion settings (``services/reader_controls.py``): e-mail frequency,
    the commenters they ignore (by the public name they had) and notifications waiting for
    a digest; three queries."""
    row = (
        ReaderSettings.objects.filter(user=user).values("frequency", "show_supporter_badge").first()
    ) or {"frequency": "immediate", "show_supporter_badge": False}
    return {
        "notification_frequency": row["frequency"],
        "show_supporter_badge": row["show_supporter_badge"],
        "ignored_commenters": [
            {"name": i.name, "since": when_iso(i.created_at)}
            for i in IgnoredCommenter.objects.filter(reader=user).order_by("name", "pk")
        ],
        "notifications_waiting_for_a_digest": DigestItem.objects.filter(
            user=user, digest__isnull=True
        ).count(),
    }


@dataclass(frozen=True)
class DiscussionErasure:
    """What erasing a reader changed in discussion, by kind of record."""

    comments_anonymized: int
    votes_detached: int
    subscriptions_deleted: int
    # Settings, ignore lists (theirs, and the entries naming them in others'), digests.
    controls_deleted: int = 0


def reader_data_erase(
    *, user: "User", emails: list[str], placeholder_name: str
) -> DiscussionErasure:
    """Erase what discussion holds of a reader whose account is being erased.

    Their comments stay, with their text, under ``placeholder_name``, without the account
    link, e-mail, guest key, IP address or user agent (and no reply e-mails); comments they
    posted as a guest with one of ``emails`` keep their guest name but lose the address, and
    what the double opt-in kept of those addresses is deleted; votes stay counted, linked to
    nobody; subscriptions are deleted. The pages that showed the reader's name are
    announced changed. One transaction (the caller's, when inside one).
    """
    with transaction.atomic():
        article_ids = set(
            Comment.objects.filter(user=user).values_list("thread__article_id", flat=True)
        )
        comments = Comment.objects.filter(user=user).update(
            user=None,
            guest_name=placeholder_name,
            guest_email="",
            guest_key_hash="",
            notify_replies=False,
            ip_address=None,
            user_agent="",
            ip_truncated=True,
        )
        if emails:
            # Comments the reader posted as a guest with the same address keep their guest
            # name but lose the address (and the reply e-mails it was for) ...
            Comment.objects.filter(user__isnull=True, guest_email__in=emails).update(
                guest_email="", notify_replies=False
            )
            # ... and what the double opt-in kept of those addresses (their hashes).
            email_confirmations_forget(emails=emails)
        votes = Vote.objects.filter(user=user).update(
            user=None, voter_key=Concat(Value("erased:"), Cast("pk", CharField()))
        )
        subscriptions = reader_subscriptions(user=user, emails=emails).delete()[0]
        controls = sum(
            query.delete()[0]
            for query in (
                ReaderSettings.objects.filter(user=user),
                IgnoredCommenter.objects.filter(Q(reader=user) | Q(ignored_user=user)),
                DigestItem.objects.filter(user=user),
                Digest.objects.filter(user=user),
            )
        )
        article_discussion_changed(article_ids=article_ids)
    return DiscussionErasure(
        comments_anonymized=comments,
        votes_detached=votes,
        subscriptions_deleted=subscriptions,
        controls_deleted=controls,
    )
