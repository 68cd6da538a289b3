"""The newsletters' reads for the sign-up: lists offered, a token's subscriber, a reader's
subscriptions. Other apps read newsletters' data through these."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache

from newsdesk.newsletters.models import (
    Newsletter,
    Subscriber,
    Subscription,
    SubscriptionStatus,
    Suppression,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

TOKEN_MAX_CHARS = 64
# The lists the sign-up box offers, kept in the shared cache: the box is on every page (the
# footer), and a page's queries stay its own. Emptied when staff save a list.
OFFERED_KEY = "newsletters:offered:v1"
OFFERED_SECONDS = 300


@dataclass(frozen=True)
class Offered:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class ListState:
    """One list as a page shows it to an address: its status there ("" for never asked)."""

    newsletter: Newsletter
    status: str

    @property
    def subscribed(self) -> bool:
        return self.status == SubscriptionStatus.SUBSCRIBED

    @property
    def pending(self) -> bool:
        return self.status == SubscriptionStatus.PENDING


def newsletters_public() -> list[Newsletter]:
    """The lists the site's forms offer, in their order (one query)."""
    return list(Newsletter.objects.filter(is_public=True))


def newsletters_offered() -> list[Offered]:
    """The public lists as the sign-up box shows them; no query while the shared cache
    holds them (``newsletters_offered_forget`` when they change)."""
    offered = cache.get(OFFERED_KEY)
    if offered is None:
        offered = [
            Offered(slug=n.slug, name=n.name, description=n.description)
            for n in newsletters_public()
        ]
        cache.set(OFFERED_KEY, offered, OFFERED_SECONDS)
    return offered


def newsletters_offered_forget() -> None:
    cache.delete(OFFERED_KEY)


def subscriber_for_token(*, token: str) -> Subscriber | None:
    """The subscriber whose preferences link carries ``token``; None for an unknown one."""
    if not token or len(token) > TOKEN_MAX_CHARS:
        return None
    return Subscriber.objects.filter(token=token).first()


def subscriptions_of_user(*, user: "AbstractBaseUser") -> list[Subscription]:
    """The subscriptions of the subscribers joined to ``user`` (every status), with their
    lists (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Subscription.objects.filter(subscriber__user_id=user.pk)
        .select_related("newsletter", "subscriber")
        .order_by("newsletter__sort_order", "newsletter__name")
    )


def list_states(*, subscriber: Subscriber | None) -> list[ListState]:
    """Every public list, and any other the address receives, with the address's status
    (two queries)."""
    rows = (
        {s.newsletter_id: s for s in subscriber.subscriptions.select_related("newsletter")}
        if subscriber is not None
        else {}
    )
    public = newsletters_public()
    shown = {n.pk for n in public}
    states = [ListState(newsletter=n, status=getattr(rows.get(n.pk), "status", "")) for n in public]
    states.extend(
        ListState(newsletter=row.newsletter, status=row.status)
        for pk, row in rows.items()
        if pk not in shown and row.status == SubscriptionStatus.SUBSCRIBED
    )
    return states


def account_list_states(*, user: "AbstractBaseUser", email: str | None = None) -> list[ListState]:
    """The account page's lists: those of the account's verified address (where the page
    saves them; ``email`` when the caller read it already), or else of a subscriber joined
    to the account."""
    if email is None:
        email = verified_email_of(user=user)
    subscriber = None
    if email:
        subscriber = Subscriber.objects.filter(email=email.strip().lower()).first()
    if subscriber is None:
        subscriber = Subscriber.objects.filter(user_id=user.pk).order_by("pk").first()
    return list_states(subscriber=subscriber)


def verified_email_of(*, user: "AbstractBaseUser", email: str | None = None) -> str:
    """With ``email``: it, when it is a verified address of ``user`` ("" otherwise).
    Without: the account's primary verified address (or its first verified one)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user_id=user.pk, verified=True)
    if email is not None:
        found = addresses.filter(email__iexact=email.strip()).values_list("email", flat=True)
        return next(iter(found), "")
    best = addresses.order_by("-primary", "pk").values_list("email", flat=True).first()
    return best or ""


def address_suppressed(*, email: str) -> bool:
    """Whether no send may reach ``email`` (the suppression list)."""
    return Suppression.objects.filter(email=email.strip().lower()).exists()
