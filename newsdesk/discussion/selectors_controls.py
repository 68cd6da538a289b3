"""Reads for readers' own controls: what a signed-in reader ignores, follows and chose for
e-mails (the settings page, the per-reader endpoint, the data export)."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from newsdesk.discussion.commenters import commenter_key
from newsdesk.discussion.models import (
    IgnoredCommenter,
    NotificationFrequency,
    ReaderSettings,
    Subscription,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise


# The e-mail frequencies a reader may choose, (value, label), for forms.
FREQUENCIES: "list[tuple[str, StrOrPromise]]" = list(NotificationFrequency.choices)


def notification_frequency_get(*, user: "User") -> str:
    """The reader's e-mail frequency (``immediate`` without a settings row); one query."""
    found = ReaderSettings.objects.filter(user=user).values_list("frequency", flat=True).first()
    return found or NotificationFrequency.IMMEDIATE


def ignored_commenters(*, user: "User") -> QuerySet[IgnoredCommenter]:
    """The commenters ``user`` ignores, by name."""
    return IgnoredCommenter.objects.filter(reader=user).order_by("name", "pk")


def followed_threads(*, user: "User") -> QuerySet[Subscription]:
    """The threads ``user`` follows (subscriptions of the account or its current address),
    with their articles, newest first."""
    address = Q(email__iexact=user.email) if user.email else Q(pk__in=[])
    return (
        Subscription.objects.filter(Q(user=user) | address)
        .select_related("thread__article")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class ReaderControls:
    """What the thread's script needs to know of the signed-in reader (``api_controls``)."""

    signed_in: bool
    me: str = ""
    frequency: str = NotificationFrequency.IMMEDIATE
    following: bool = False
    ignored: list[str] = field(default_factory=list)


def reader_controls_get(*, user: "User | None", article_id: int | None) -> ReaderControls:
    """The reader's controls for a thread's page: the marks of the commenters they ignore
    (as the markup carries them, ``commenters.commenter_key``), their own mark, and whether
    they follow ``article_id``'s thread. No query for an anonymous reader; three at most."""
    if user is None:
        return ReaderControls(signed_in=False)
    ignored = [
        commenter_key(user_id=user_id)
        for user_id in IgnoredCommenter.objects.filter(reader=user).values_list(
            "ignored_user_id", flat=True
        )
    ]
    following = False
    if article_id is not None:
        following = followed_threads(user=user).filter(thread__article_id=article_id).exists()
    return ReaderControls(
        signed_in=True,
        me=commenter_key(user_id=user.pk),
        frequency=notification_frequency_get(user=user),
        following=following,
        ignored=ignored,
    )
