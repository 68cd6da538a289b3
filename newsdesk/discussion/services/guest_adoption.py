"""A reader's guest comments joining their account, and the pages that show an account's name.

A guest leaves a name and, optionally, an e-mail address (for reply e-mails; never shown).
When that address becomes *verified* on an account (``accounts`` calls
``guest_comments_adopt`` once allauth confirmed it, by link or by a sign-in code), the
guest comments written with it become the account's: they show in "Your comments", count
in its history, and show the account's public name (``Comment.author_name``). Only the
account link is written: the guest name, address and key stay in the row as they were (the
account's erasure clears them as it clears every comment of the account).

The name shown on those comments changes, so the pages of their threads are outdated
through the one way discussion announces a change (``changes.article_discussion_changed``),
as they are when an account's public name changes (``author_pages_outdate``).
"""

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet

from newsdesk.discussion.changes import article_discussion_changed
from newsdesk.discussion.models import Comment

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _guest_comments(*, email: str) -> "QuerySet[Comment]":
    # Guests' addresses are stored as typed ("Ann@Example.org"); accounts' verified ones
    # lower-cased: compare without case, and only the comments no account owns yet.
    return Comment.objects.filter(user__isnull=True, guest_email__iexact=email.strip())


def guest_comments_exist(*, email: str) -> bool:
    """Whether a guest wrote at least one comment with ``email`` that no account owns; one
    query. (Sign-in by code opens an account for such an address.)"""
    if not email.strip():
        return False
    return _guest_comments(email=email).exists()


def guest_name_latest(*, email: str) -> str:
    """The name the guest gave on their latest comment with ``email`` no account owns yet
    (empty when there is none); one query."""
    if not email.strip():
        return ""
    name = (
        _guest_comments(email=email)
        .order_by("-created_at", "-pk")
        .values_list("guest_name", flat=True)
        .first()
    )
    return name or ""


def guest_comments_adopt(*, user: "User", email: str) -> int:
    """Give ``user`` the comments a guest wrote with ``email``; return how many changed.

    The caller vouches that ``email`` is a *verified* address of ``user`` (an address merely
    typed into an account could be anyone's; ``accounts`` checks before calling). One
    UPDATE of the comments no account owns yet, so a second call changes nothing (0).
    The threads touched are announced changed in the same transaction (their pages show
    the account's name now). Comments of every status join: the author then sees in "Your
    comments" what became of the held or rejected ones.
    """
    if not email.strip() or user.pk is None:
        return 0
    with transaction.atomic():
        comments = _guest_comments(email=email)
        article_ids = set(
            comments.order_by().values_list("thread__article_id", flat=True).distinct()
        )
        adopted = comments.update(user=user)
        if adopted:
            article_discussion_changed(article_ids=article_ids)
    return adopted


def author_pages_outdate(*, user_id: int) -> int:
    """Announce changed the discussions where the account ``user_id`` wrote (its public name
    changed, and every page that shows one of its comments shows the name); returns how
    many articles. Two queries at most, whatever the number of comments."""
    with transaction.atomic():
        article_ids = set(
            Comment.objects.filter(user_id=user_id)
            .order_by()
            .values_list("thread__article_id", flat=True)
            .distinct()
        )
        article_discussion_changed(article_ids=article_ids)
    return len({article_id for article_id in article_ids if article_id is not None})
