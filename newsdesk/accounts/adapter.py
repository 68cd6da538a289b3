"""The project's allauth adapter: allauth counts its sign-in, sign-up and password-reset
limits (and the failed sign-in lock-out) per client address, and must see the same reader
as every other limit of the site.

allauth 65 reads the address itself (REMOTE_ADDR, or X-Forwarded-For by a proxy *count*
with ``ALLAUTH_TRUSTED_PROXY_COUNT``); neither setting is used here: the address comes from
``web/clientaddr.client_address``, which believes only the proxies of ``TRUSTED_PROXIES``.
allauth then groups IPv6 addresses by their /64 itself (``ALLAUTH_RATE_LIMIT_IPV6_PREFIX``).

It also gives readers, who sign up with an e-mail address only, a neutral username, signs
allauth's e-mails with the site's name, and, once an address is verified on an account (by
the confirmation link, or by a sign-in code sent to it), joins to the account what a guest
did with that address (``services_account.verified_address_join``).
"""

import secrets
from dataclasses import dataclass

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.utils import user_username
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from newsdesk.core.clientaddr import client_address
from newsdesk.core.siteurl import site_name, site_url

GENERATED_USERNAME_PREFIX = "reader-"


@dataclass(frozen=True)
class MailSite:
    """What allauth's e-mail templates read as ``current_site``: a name and an address."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The reader's address behind trusted proxies; refuses (403), as allauth does, a
        request whose address is unknown rather than count it with every other such one."""
        address = client_address(request)
        if not address:
            raise PermissionDenied(_("Unable to determine client IP address"))
        return address

    def populate_username(self, request: HttpRequest, user) -> None:
        """Readers sign up with an e-mail address only; Django and Wagtail still need a
        username, and it is the name comments show, so it is a neutral one: "reader-" and six
        digits, never made from the address (allauth's default would show its first part)."""
        if user_username(user):
            return
        User = get_user_model()
        while True:
            candidate = f"{GENERATED_USERNAME_PREFIX}{secrets.randbelow(10**6):06d}"
            if not User.objects.filter(username__iexact=candidate).exists():
                break
        user_username(user, candidate)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails are signed with the site's name (the Wagtail Site's, "The
        Lantern" in the demo) and its address as the reader reached it, not the request's
        bare host name that Django's ``RequestSite`` would give."""
        request = allauth_context.request
        sender = MailSite(
            name=site_name(request=request),
            domain=request.build_absolute_uri("/").rstrip("/") if request else site_url(),
        )
        super().send_mail(template_prefix, email, {**context, "current_site": sender})

    def confirm_email(self, request: HttpRequest, email_address) -> bool:
        """Verify the address, then join to the account the comments and newsletter
        subscriptions a guest made with it ("Your comments", "Newsletters")."""
        verified = super().confirm_email(request, email_address)
        if verified:
            from newsdesk.accounts.services_account import verified_address_join

            verified_address_join(user=email_address.user, email=email_address.email)
        return verified

    def post_login(self, request: HttpRequest, user, **kwargs):
        """A sign-in by code has just verified its address (allauth does that without
        ``confirm_email``): join to the account what a guest did with it. The service joins
        nothing unless the address is verified on this account."""
        response = super().post_login(request, user, **kwargs)
        email = kwargs.get("email")
        if email and _signed_in_by_code(request, user, email=email):
            from newsdesk.accounts.services_account import verified_address_join

            verified_address_join(user=user, email=email)
        return response

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """A reader who signed in by code (often a guest donor or commenter, new to their
        account) lands on their account's page; others where the site sends them."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _signed_in_by_code(request, user):
            return reverse("account_home")
        return super().get_login_redirect_url(request)

    def format_email_subject(self, subject: str) -> str:
        """``ACCOUNT_EMAIL_SUBJECT_PREFIX`` when set, else "[site name] "."""
        prefix = allauth_settings.EMAIL_SUBJECT_PREFIX
        if prefix is None:
            prefix = f"[{site_name(request=allauth_context.request)}] "
        return prefix + force_str(subject)


def _signed_in_by_code(request: HttpRequest, user, *, email: str | None = None) -> bool:
    """Whether the latest way ``user`` proved who they are in this session is a sign-in
    code (sent to ``email``, when given)."""
    records = get_authentication_records(request, user)
    if not records:
        return False
    last = records[-1]
    if last.get("method") != "code":
        return False
    return email is None or str(last.get("email") or "").lower() == email.lower()
