"""Who is reading or writing: a signed-in user, or a guest known by a signed cookie.

A guest who posts gets a random key in a signed cookie; their comments store the key's
SHA-256, so the guest alone (and only in that browser) sees their comments awaiting
moderation and may edit or delete them. Over the API a guest sends the same key in the
``X-Guest-Token`` header.
"""

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing

from newsdesk.core.clientaddr import client_address
from newsdesk.discussion import conf
from newsdesk.pagecache.personal import personal_input_read

if TYPE_CHECKING:
    from django.contrib.auth.models import User

GUEST_COOKIE_SALT = "newsdesk.discussion.guest"
GUEST_HEADER = "HTTP_X_GUEST_TOKEN"


def guest_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest() if key else ""


def guest_key_new() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Reader:
    """The person behind a request; ``user`` is None for a guest.

    ``guest_key`` is the guest's secret (empty until they first post or vote).
    """

    user: "User | None" = None
    guest_key: str = ""
    ip_address: str = ""
    user_agent: str = ""

    @property
    def is_signed_in(self) -> bool:
        return self.user is not None

    @property
    def guest_hash(self) -> str:
        return guest_key_hash(self.guest_key)

    @property
    def voter_key(self) -> str:
        if self.user is not None:
            return f"user:{self.user.pk}"
        return f"guest:{self.guest_hash}" if self.guest_key else ""

    @property
    def can_moderate(self) -> bool:
        return self.user is not None and self.user.has_perm("discussion.change_comment")

    def wrote(self, comment) -> bool:
        if self.user is not None:
            return comment.user_id == self.user.pk
        return (
            bool(self.guest_key)
            and comment.user_id is None
            and (comment.guest_key_hash == self.guest_hash)
        )


def guest_key_from_request(request) -> str:
    header = request.META.get(GUEST_HEADER, "").strip()
    if header:
        # What is rendered now shows this guest's own comments: never a shared page.
        personal_input_read(request, name="X-Guest-Token")
        return header[:100]
    if request.COOKIES.get(conf.GUEST_COOKIE):
        personal_input_read(request, name=conf.GUEST_COOKIE)
    try:
        return request.get_signed_cookie(conf.GUEST_COOKIE, default="", salt=GUEST_COOKIE_SALT)
    except signing.BadSignature:
        return ""


def reader_from_request(request, *, guest_key: str | None = None) -> Reader:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        personal_input_read(request, name="session")
    return Reader(
        user=user,
        guest_key="" if user else (guest_key or guest_key_from_request(request)),
        ip_address=client_address(request),  # "" when unknown
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


def guest_cookie_set(response, *, request, guest_key: str) -> None:
    response.set_signed_cookie(
        conf.GUEST_COOKIE,
        guest_key,
        salt=GUEST_COOKIE_SALT,
        max_age=conf.GUEST_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
