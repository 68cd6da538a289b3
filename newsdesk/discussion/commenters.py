"""A commenter's public mark in the thread's markup, for readers' own "ignore" lists.

The cached page is shared by every reader, so whose comments collapse is decided in the
reader's browser: each account's comment carries ``data-commenter``, a keyed hash of the
account (``commenter_key``), and the reader's script gets the marks they ignore from an
uncached endpoint (``api_controls.py``). The mark names no account id (keyed with the site's
secret key) and is absent where ignoring is not allowed: guests (a stable mark would link a
guest's comments across pages) and staff (Coral's rule: moderators cannot be ignored).
"""

import hashlib
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=1)
def _key(secret: str) -> bytes:
    return hashlib.sha256(f"newsdesk.discussion.commenter:{secret}".encode()).digest()


def commenter_key(*, user_id: int | None) -> str:
    """The public mark of the account ``user_id`` (empty for none): 16 hex characters."""
    if user_id is None:
        return ""
    digest = hashlib.blake2b(
        str(user_id).encode(), key=_key(settings.SECRET_KEY)[:32], digest_size=8
    )
    return digest.hexdigest()


def user_is_staff(user) -> bool:
    """Staff, superusers and moderators: never ignorable (the markup carries no mark)."""
    return bool(user.is_staff or user.is_superuser)


def comment_commenter_key(comment) -> str:
    """The mark ``data-commenter`` carries for ``comment`` (empty: no "Ignore" offered)."""
    if comment.user_id is None:
        return ""
    user = comment.user
    if user_is_staff(user):
        return ""
    return commenter_key(user_id=comment.user_id)
