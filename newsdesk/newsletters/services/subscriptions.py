"""Lists and consent: sign-up with double opt-in, confirmation, preferences, unsubscribing,
and a reader account's own lists.

Consent is recorded on each ``Subscription`` as it is asked (when, from which form, on which
page, the very text the form showed) and proven when the address confirms (``confirmed_at``).
Who may change what:

- anyone may *ask* for an address (``subscribe``): the lists wait, pending, for the one
  confirmation e-mail (``signup_mail``); a list the address already receives changes not at
  all, and the answer is the same "check your inbox" whatever the address's state, so the
  form tells a stranger nothing;
- a signed-in reader asking for their own verified address is confirmed at once (the
  account proved it), and their lists join their account;
- whoever holds the address's token (the link of every mail) may change its lists without
  signing in (``preferences_save``, ``unsubscribe``, ``unsubscribe_all``): a mail reached
  the address, which is the proof double opt-in asks for.

Leaving every list also adds the address to the suppression list (reason "unsubscribed"):
every send honours that list whatever the subscriptions say, so an import, a staff edit or
a list created later cannot bring the address back without a new confirmation, which is
what lifts it again (a complaint is lifted only by the address's own clear request: its
account or a confirmation link; staff suppressions only by staff).

Every function validates first and writes nothing when it raises (``errors``).
"""

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.signing import BadSignature, SignatureExpired
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsdesk.core.conf import setting
from newsdesk.core.ratelimit import RateLimit, rate_limit_exceeded
from newsdesk.newsletters.errors import (
    InvalidSubscription,
    SignupRateLimited,
    SubscriptionNotFound,
)
from newsdesk.newsletters.models import (
    ConsentSource,
    Newsletter,
    Subscriber,
    Subscription,
    SubscriptionStatus,
    Suppression,
    SuppressionReason,
)
from newsdesk.newsletters.models_signup import SignupMailKind
from newsdesk.newsletters.selectors import subscriber_for_token, verified_email_of
from newsdesk.newsletters.services.signup_mail import (
    address_digest,
    confirm_token_read,
    signup_mail_request,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# The forms of the site (anyone may fill them in): only public lists, and consent words.
SITE_SOURCES = {
    ConsentSource.ARTICLE,
    ConsentSource.FOOTER,
    ConsentSource.GIFT,
    ConsentSource.ACCOUNT,
    ConsentSource.PREFERENCES,
}
EMAIL_MAX_CHARS = 254
NAME_MAX_CHARS = 100
URL_MAX_CHARS = 500
# What the reader's account page shows, recorded as the consent it asks for.
ACCOUNT_CONSENT_TEXT = gettext_lazy(
    "Tick the newsletters you want at your account's address; untick one to leave it. "
    "Every newsletter has a link to leave it."
)
PREFERENCES_CONSENT_TEXT = gettext_lazy(
    "Tick the newsletters you want at this address; untick one to leave it."
)


def address_normalise(email: str) -> str:
    return (email or "").strip().lower()


def _address(email: str) -> str:
    normal = address_normalise(email)
    if not normal:
        raise InvalidSubscription(_("Enter your e-mail address."), field="email")
    if len(normal) > EMAIL_MAX_CHARS:
        raise InvalidSubscription(_("This e-mail address is too long."), field="email")
    try:
        validate_email(normal)
    except ValidationError:
        raise InvalidSubscription(
            _("Enter a whole e-mail address, like name@example.org."), field="email"
        ) from None
    return normal


def _lists(*, newsletters: Iterable[Newsletter | str], source: str) -> list[Newsletter]:
    """The lists asked for (objects or slugs), each once; a site form offers public ones."""
    wanted = list(newsletters or [])
    slugs = {n for n in wanted if isinstance(n, str)}
    objects = [n for n in wanted if isinstance(n, Newsletter)]
    if slugs:
        found = list(Newsletter.objects.filter(slug__in=slugs))
        if len(found) != len(slugs):
            raise InvalidSubscription(
                _("One of the newsletters asked for does not exist."), field="newsletters"
            )
        objects.extend(found)
    lists = list({n.pk: n for n in objects}.values())
    if not lists:
        raise InvalidSubscription(_("Choose at least one newsletter."), field="newsletters")
    if source in SITE_SOURCES and any(not n.is_public for n in lists):
        raise InvalidSubscription(
            _("One of the newsletters asked for does not exist."), field="newsletters"
        )
    return sorted(lists, key=lambda n: (n.sort_order, n.name))


def _subscriber_for(*, email: str, name: str = "") -> Subscriber:
    """The address's subscriber, created on first use (a race creates one row)."""
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None:
        return subscriber
    try:
        with transaction.atomic():
            return Subscriber.objects.create(
                email=email, name=name, token=secrets.token_urlsafe(32)
            )
    except IntegrityError:
        return Subscriber.objects.get(email=email)


def _suppression_lift(*, email: str, complaint_too: bool) -> None:
    """The address asked again, proven: take it off the suppression list (never staff's)."""
    reasons = [SuppressionReason.UNSUBSCRIBED, SuppressionReason.BOUNCE]
    if complaint_too:
        reasons.append(SuppressionReason.COMPLAINT)
    Suppression.objects.filter(email=email, reason__in=reasons).delete()


def _consent(*, source: str, url: str, text: str, at: datetime) -> dict:
    return {
        "consent_at": at,
        "consent_source": source,
        "consent_url": (url or "")[:URL_MAX_CHARS],
        "consent_text": str(text),
    }


def _subscribe_now(*, subscriber: Subscriber, newsletter: Newsletter, consent: dict) -> None:
    """The list at once (an account's verified address, a token holder): confirmed now."""
    now = consent["consent_at"]
    subscription = Subscription.objects.filter(subscriber=subscriber, newsletter=newsletter).first()
    if subscription is not None and subscription.status == SubscriptionStatus.SUBSCRIBED:
        return
    values = {
        **consent,
        "status": SubscriptionStatus.SUBSCRIBED,
        "confirmed_at": now,
        "unsubscribed_at": None,
        "unsubscribe_source": "",
    }
    Subscription.objects.update_or_create(
        subscriber=subscriber, newsletter=newsletter, defaults=values
    )


def _leave(*, subscription: Subscription, source: str, at: datetime) -> None:
    if subscription.status == SubscriptionStatus.UNSUBSCRIBED:
        return
    Subscription.objects.filter(pk=subscription.pk).update(
        status=SubscriptionStatus.UNSUBSCRIBED,
        unsubscribed_at=at,
        unsubscribe_source=source[:20],
        updated_at=at,
    )
    subscription.status = SubscriptionStatus.UNSUBSCRIBED
    subscription.unsubscribed_at = at
    subscription.unsubscribe_source = source[:20]


def subscribe(
    *,
    email: str,
    newsletters: Iterable[Newsletter | str],
    source: str,
    url: str,
    consent_text: str,
    name: str = "",
    user: "AbstractBaseUser | None" = None,
    ip: str | None = None,
) -> Subscriber:
    """Ask for ``newsletters`` (objects or slugs) at ``email``; return its subscriber.

    Lists the address already receives are left as they are; the others wait, pending, with
    the consent recorded (now, ``source``, ``url``, ``consent_text``), for the one
    confirmation e-mail this queues (at most one per request, none within
    ``NEWSLETTER_CONFIRM_RESEND_MINUTES`` of the last). ``user`` signed in with ``email``
    verified: confirmed at once, no e-mail, and the subscriber joins the account. ``ip``:
    at most ``NEWSLETTER_SIGNUPS_PER_IP`` requests an hour from one client address
    (``SignupRateLimited``). Raises ``InvalidSubscription`` (naming the field) for an address,
    list, source or text that cannot be taken; nothing is written then.
    """
    address = _address(email)
    if source not in ConsentSource.values:
        raise InvalidSubscription(_("Unknown sign-up form."), field="source")
    lists = _lists(newsletters=newsletters, source=source)
    consent_text = (consent_text or "").strip()
    if source in SITE_SOURCES and not consent_text:
        raise InvalidSubscription(_("The form's consent text is missing."), field="consent_text")
    name = (name or "").strip()
    if len(name) > NAME_MAX_CHARS:
        raise InvalidSubscription(
            _("Your name can have at most %(count)s characters.") % {"count": NAME_MAX_CHARS},
            field="name",
        )
    if ip is not None:
        per_ip = RateLimit(int(setting("NEWSLETTER_SIGNUPS_PER_IP")), 3600)
        if rate_limit_exceeded(action="newsletter-signup", who=f"ip:{ip}", rate=per_ip):
            raise SignupRateLimited(
                _("Too many sign-ups from your connection: please try again in an hour.")
            )
    verified = user is not None and verified_email_of(user=user, email=address)
    now = timezone.now()
    consent = _consent(source=source, url=url, text=consent_text, at=now)
    with transaction.atomic():
        subscriber = _subscriber_for(email=address, name=name)
        receiving = set(
            subscriber.subscriptions.filter(status=SubscriptionStatus.SUBSCRIBED).values_list(
                "newsletter_id", flat=True
            )
        )
        changed = []
        if verified and user is not None and subscriber.user_id != user.pk:
            subscriber.user_id = user.pk
            changed.append("user")
        # A name typed by whoever asked replaces the address's only while its owner has
        # confirmed nothing (a stranger cannot rename a reader's greeting).
        if name and name != subscriber.name and (verified or not receiving):
            subscriber.name = name
            changed.append("name")
        if changed:
            subscriber.save(update_fields=changed)
        if verified:
            for newsletter in lists:
                _subscribe_now(subscriber=subscriber, newsletter=newsletter, consent=consent)
            _suppression_lift(email=address, complaint_too=True)
            return subscriber
        waiting = [n for n in lists if n.pk not in receiving]
        for newsletter in waiting:
            Subscription.objects.update_or_create(
                subscriber=subscriber,
                newsletter=newsletter,
                defaults={**consent, "status": SubscriptionStatus.PENDING, "confirmed_at": None},
            )
        if waiting:
            signup_mail_request(subscriber=subscriber, kind=SignupMailKind.CONFIRM)
    return subscriber


def confirm(*, token: str) -> Subscriber:
    """Confirm the pending lists of the address a confirmation link names; return its
    subscriber. Following the link again changes nothing. Raises ``SubscriptionNotFound``
    for a forged, damaged or expired link, or an address erased meanwhile."""
    try:
        subscriber_id, digest = confirm_token_read(token=token)
    except SignatureExpired:
        raise SubscriptionNotFound(
            _("This confirmation link has expired: sign up again to get a new one.")
        ) from None
    except BadSignature:
        raise SubscriptionNotFound(
            _("This confirmation link is not valid: copy the whole link from the e-mail.")
        ) from None
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or address_digest(subscriber.email)[:32] != digest:
        raise SubscriptionNotFound(_("This confirmation link is no longer valid: sign up again."))
    now = timezone.now()
    with transaction.atomic():
        confirmed = Subscription.objects.filter(
            subscriber=subscriber, status=SubscriptionStatus.PENDING
        ).update(
            status=SubscriptionStatus.SUBSCRIBED,
            confirmed_at=now,
            unsubscribed_at=None,
            unsubscribe_source="",
            updated_at=now,
        )
        if confirmed:
            # Following the link proves the mailbox works and its owner asked.
            _suppression_lift(email=subscriber.email, complaint_too=True)
    return subscriber


def _token_holder(*, token: str) -> Subscriber:
    subscriber = subscriber_for_token(token=token)
    if subscriber is None:
        raise SubscriptionNotFound(
            _("This link is not valid (or no longer): ask for a new one below.")
        )
    return subscriber


def unsubscribe(*, token: str, newsletter_slug: str, source: str) -> Subscription:
    """Leave one list (RFC 8058's one-click, the preferences page); return the subscription.
    Idempotent: leaving a list already left changes nothing. Raises ``SubscriptionNotFound``
    for an unknown token, or a list the address never asked for."""
    subscriber = _token_holder(token=token)
    subscription = (
        Subscription.objects.select_related("newsletter")
        .filter(subscriber=subscriber, newsletter__slug=newsletter_slug or "")
        .first()
    )
    if subscription is None:
        raise SubscriptionNotFound(_("This address is not on that newsletter's list."))
    _leave(subscription=subscription, source=source or "preferences", at=timezone.now())
    return subscription


def unsubscribe_all(*, token: str, source: str) -> Subscriber:
    """Leave every list and put the address on the suppression list ("unsubscribed"): no
    send reaches it until it confirms a new sign-up. Idempotent."""
    subscriber = _token_holder(token=token)
    now = timezone.now()
    with transaction.atomic():
        for subscription in subscriber.subscriptions.all():
            _leave(subscription=subscription, source=source or "preferences", at=now)
        Suppression.objects.get_or_create(
            email=subscriber.email,
            defaults={"reason": SuppressionReason.UNSUBSCRIBED, "detail": "Left every list."},
        )
    return subscriber


def preferences_save(*, token: str, newsletters: Iterable[str], name: str = "") -> Subscriber:
    """Set the public lists of the token's address to exactly ``newsletters`` (slugs), and
    its name. Lists ticked are received at once (the token is the proof a mail reached the
    address); lists left keep their history. Lists that are not public are left alone."""
    subscriber = _token_holder(token=token)
    wanted = set(newsletters or [])
    public = list(Newsletter.objects.filter(is_public=True))
    if wanted - {n.slug for n in public}:
        raise InvalidSubscription(
            _("One of the newsletters asked for does not exist."), field="newsletters"
        )
    name = (name or "").strip()
    if len(name) > NAME_MAX_CHARS:
        raise InvalidSubscription(
            _("Your name can have at most %(count)s characters.") % {"count": NAME_MAX_CHARS},
            field="name",
        )
    _lists_set(
        subscriber=subscriber,
        public=public,
        wanted=wanted,
        source=ConsentSource.PREFERENCES,
        url=links_path_preferences(token=token),
        text=str(PREFERENCES_CONSENT_TEXT),  # the words as this reader read them
        leave_source="preferences",
    )
    if name != subscriber.name:
        Subscriber.objects.filter(pk=subscriber.pk).update(name=name)
        subscriber.name = name
    return subscriber


def links_path_preferences(*, token: str) -> str:
    from django.urls import reverse

    return reverse("newsletters:preferences", kwargs={"token": token})


def _lists_set(
    *,
    subscriber: Subscriber,
    public: list[Newsletter],
    wanted: set[str],
    source: str,
    url: str,
    text: str,
    leave_source: str,
) -> None:
    now = timezone.now()
    consent = _consent(source=source, url=url, text=text, at=now)
    rows = {s.newsletter_id: s for s in subscriber.subscriptions.all()}
    with transaction.atomic():
        for newsletter in public:
            row = rows.get(newsletter.pk)
            if newsletter.slug in wanted:
                _subscribe_now(subscriber=subscriber, newsletter=newsletter, consent=consent)
            elif row is not None:
                _leave(subscription=row, source=leave_source, at=now)
        if wanted:
            _suppression_lift(email=subscriber.email, complaint_too=True)


def account_lists_set(*, user: "AbstractBaseUser", newsletters: Iterable[str]) -> Subscriber:
    """Set a signed-in reader's public lists to exactly ``newsletters`` (slugs), at their
    primary verified address, at once (the account proved the address). Raises
    ``InvalidSubscription`` when the account has no verified address."""
    email = verified_email_of(user=user)
    if not email:
        raise InvalidSubscription(
            _("Verify your e-mail address first: the newsletters go to a verified address."),
            field="email",
        )
    wanted = set(newsletters or [])
    public = list(Newsletter.objects.filter(is_public=True))
    if wanted - {n.slug for n in public}:
        raise InvalidSubscription(
            _("One of the newsletters asked for does not exist."), field="newsletters"
        )
    with transaction.atomic():
        subscriber = _subscriber_for(email=address_normalise(email))
        if subscriber.user_id != user.pk:
            Subscriber.objects.filter(pk=subscriber.pk).update(user_id=user.pk)
            subscriber.user_id = user.pk
        _lists_set(
            subscriber=subscriber,
            public=public,
            wanted=wanted,
            source=ConsentSource.ACCOUNT,
            url=account_path(),
            text=str(ACCOUNT_CONSENT_TEXT),  # the words as this reader read them
            leave_source="account",
        )
    return subscriber


def account_path() -> str:
    from django.urls import reverse

    return reverse("newsletters:account")


def account_join(*, user: "AbstractBaseUser", email: str) -> int:
    """Join the guest subscriber of ``email`` (just verified by ``user``) to the account;
    return how many were joined (0 or 1). A subscriber of another account stays there."""
    return Subscriber.objects.filter(email=address_normalise(email), user__isnull=True).update(
        user_id=user.pk
    )


def link_request(*, email: str, ip: str | None = None) -> None:
    """Mail the address's preferences link (a reader who lost their mails). The answer is
    the same whether the address is known or not; the e-mail follows the sign-up's limits
    (once per resend window, a few a day)."""
    address = _address(email)
    if ip is not None:
        per_ip = RateLimit(int(setting("NEWSLETTER_SIGNUPS_PER_IP")), 3600)
        if rate_limit_exceeded(action="newsletter-signup", who=f"ip:{ip}", rate=per_ip):
            raise SignupRateLimited(_("Too many requests from your connection: try again later."))
    subscriber = Subscriber.objects.filter(email=address).first()
    if subscriber is None:
        return
    with transaction.atomic():
        signup_mail_request(subscriber=subscriber, kind=SignupMailKind.LINK)
