"""Writes of the reader's account hub (``/account/``) and of sign-in by e-mail alone.

- ``display_name_set``: the name the reader's comments show (kept as the user's first name,
  as the sign-up form keeps it; ``Comment.author_name`` reads it).
- ``verified_address_join``: once an address is *verified* on an account (allauth's e-mail
  confirmation, or a sign-in code sent to it), what a guest did with that address joins
  the account: their comments (discussion's ``guest_comments_adopt``) and newsletter
  subscriptions (newsletters' ``account_join``). Gifts need nothing written: funding finds a
  reader's gifts by their verified addresses.
- ``login_code_account``: which account a sign-in code for an address signs in to; for an
  address a guest commented or gave with and no account holds, a new passwordless one.

Only verified addresses ever join anything: an address typed into an account but not
verified could be anyone's.
"""

import re
from typing import TYPE_CHECKING

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsdesk.accounts.errors import AccountError
from newsdesk.core import errors as core
from newsdesk.discussion.services import guest_adoption
from newsdesk.funding.services import personal_data as funding_data
from newsdesk.newsletters.services.subscriptions import account_join

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

DISPLAY_NAME_MAX = 60
# Markup or an address in a public name: refused rather than cleaned, so the reader sees
# exactly what others will see.
_MARKUP = re.compile(r"[<>]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class InvalidDisplayName(AccountError, core.Invalid):
    """The name cannot be shown as given; the account keeps its name."""


def display_name_clean(name: str) -> str:
    """``name`` as it would be stored (spaces collapsed), or InvalidDisplayName saying why
    not: empty, longer than ``DISPLAY_NAME_MAX``, markup, control characters or an "@"."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InvalidDisplayName(_("Give the name your comments should show."), field="name")
    if len(cleaned) > DISPLAY_NAME_MAX:
        raise InvalidDisplayName(
            ngettext(
                "A name can be at most %(max)d character.",
                "A name can be at most %(max)d characters.",
                DISPLAY_NAME_MAX,
            )
            % {"max": DISPLAY_NAME_MAX},
            field="name",
        )
    if _MARKUP.search(cleaned) or _CONTROL.search(cleaned):
        raise InvalidDisplayName(_("A name cannot contain “<”, “>” or markup."), field="name")
    if "@" in cleaned:
        raise InvalidDisplayName(
            _("A name cannot contain “@”: it would look like an address."), field="name"
        )
    return cleaned


def display_name_set(*, user: "User", name: str) -> str:
    """Set the public name ``user``'s comments show; return it as stored.

    Validated first (``display_name_clean``; nothing changes when refused). When it changes,
    the cached pages that show the account's comments are outdated in the same transaction
    (discussion's ``author_pages_outdate``), so every page shows the new name.
    """
    cleaned = display_name_clean(name)
    if cleaned == user.first_name:
        return cleaned
    with transaction.atomic():
        user.first_name = cleaned
        user.save(update_fields=["first_name"])
        guest_adoption.author_pages_outdate(user_id=user.pk)
    return cleaned


def _address_verified(*, user: "User", email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def verified_address_join(*, user: "User", email: str) -> int:
    """Join to ``user`` what a guest did with ``email``; return how many comments joined.

    Does nothing (0) unless ``email`` is a verified address of ``user``. An account with no
    public name yet takes the name the guest gave on their latest comment (when it is a
    valid one), so the adopted comments keep showing the name their author chose rather
    than the account's neutral "reader-" one. Idempotent: a second call joins nothing.
    """
    email = (email or "").strip().lower()
    if not email or user.pk is None or not _address_verified(user=user, email=email):
        return 0
    with transaction.atomic():
        if not user.first_name:
            try:
                name = display_name_clean(guest_adoption.guest_name_latest(email=email))
            except InvalidDisplayName:
                name = ""
            if name:
                user.first_name = name
                user.save(update_fields=["first_name"])
        adopted = guest_adoption.guest_comments_adopt(user=user, email=email)
        account_join(user=user, email=email)
    return adopted


def guest_history_exists(*, email: str) -> bool:
    """Whether a guest commented or gave with ``email`` (one to three queries)."""
    emails = [email.strip().lower()]
    return (
        guest_adoption.guest_comments_exist(email=email)
        or funding_data.donor_donations(emails=emails).exists()
        or funding_data.donor_recurring_gifts(emails=emails).exists()
    )


def _passwordless_of(user: "User", *, email: str) -> bool:
    """An account made for a guest's address: no password, that address its only one."""
    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return (
        not user.has_usable_password()
        and len(addresses) == 1
        and addresses[0].lower() == email.lower()
    )


def login_code_account(
    *, email: str, found: "User | None", request: "HttpRequest | None" = None
) -> "User | None":
    """The account a sign-in code sent to ``email`` signs in to (None: no code is sent;
    allauth then mails the address that it has no account, as it does for any unknown one).

    ``found`` is allauth's pick (a verified holder of the address first). It stands when the
    address is verified on it, or when it is a passwordless account made for that address.
    An account where the address was only typed in and never verified is not signed in to
    by code: whoever typed it (maybe not the address's owner) could otherwise set a password
    and later share the account with them. Else, when a guest commented or gave with the
    address, a new passwordless account is opened for it, its address not yet verified: the
    code, once entered, verifies it (and only then does anything join it). An address with
    no guest history gets no account, as allauth's sign-in by code gives none.
    """
    email = email.strip().lower()
    if found is not None and (
        _address_verified(user=found, email=email) or _passwordless_of(found, email=email)
    ):
        return found
    holders = (
        get_user_model()
        .objects.filter(emailaddress__email__iexact=email, is_active=True)
        .distinct()
    )
    for holder in holders:
        if holder.pk != getattr(found, "pk", None) and _passwordless_of(holder, email=email):
            return holder
    if not guest_history_exists(email=email):
        return None
    return _guest_account_open(email=email, request=request)


def _guest_account_open(*, email: str, request: "HttpRequest | None") -> "User":
    """A new account for a guest's address: neutral username, no password, the address its
    primary one and unverified (allauth verifies it when the code is entered)."""
    adapter = get_adapter(request)
    with transaction.atomic():
        user = adapter.new_user(request)
        user.email = email
        adapter.populate_username(request, user)
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user
