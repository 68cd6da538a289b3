"""The personal and moving parts of a cached page, left as markers and filled on every serve.

- CSRF tokens: every ``{% csrf_token %}`` input of the rendered page gets a marker instead of
  its value; each serve puts ``get_token(request)`` there, so every visitor gets a token of
  their own (and CSRF middleware sets their cookie) from the same cached copy.
- Late slots (``web/slots.py``): while a page is rendered for the cache, a slot named in
  ``PAGECACHE_LATE_SLOTS`` (the campaign bar's ``page_top``) renders as a marker, and each
  serve draws the slot then, so the bar moves with every gift without outdating any page.

Markers carry a digest of SECRET_KEY, so text a reader writes can never contain one.
"""

import hashlib
import hmac
import re
from functools import cache

from django.conf import settings
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _unmask_cipher_token, get_token
from django.utils.safestring import SafeString, mark_safe

CSRF_INPUT = re.compile(
    r'(<input type="hidden" name="csrfmiddlewaretoken" value=")'
    rf"[A-Za-z0-9]{{{CSRF_TOKEN_LENGTH}}}"
    r'(">)'
)
TOKEN_LIKE = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z0-9]{{{CSRF_TOKEN_LENGTH}}}(?![A-Za-z0-9])")


@cache
def _nonce() -> str:
    return hmac.new(settings.SECRET_KEY.encode(), b"newsdesk.pagecache", "sha256").hexdigest()[:16]


def csrf_marker() -> str:
    return f"newsdesk-csrf-{_nonce()}"


def late_slot_marker(name: str) -> SafeString:
    return mark_safe(f"<!--newsdesk-late-slot:{name}:{_nonce()}-->")


def csrf_tokens_mark(*, html: str, secret: str | None) -> tuple[str, int] | None:
    """Replace the page's CSRF token values by the marker; return the page and how many.

    None when a token of ``secret`` is left anywhere else in the page (a template that puts
    the token somewhere unknown): such a page must not be shared.
    """
    marked, count = CSRF_INPUT.subn(rf"\g<1>{csrf_marker()}\g<2>", html)
    if secret:
        for candidate in TOKEN_LIKE.findall(marked):
            if hmac.compare_digest(_unmask_cipher_token(candidate), secret):
                return None
    return marked, count


def late_slots_present(*, html: str, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in names if late_slot_marker(name) in html)


def late_slots_draw(*, request, names: tuple[str, ...]) -> dict[str, str]:
    """Draw each late slot now, for this request."""
    from newsdesk.web.slots import slot_render

    return {
        name: str(slot_render(name=name, context={"request": request}, late=True)) for name in names
    }


def late_slots_fill(*, html: str, drawn: dict[str, str]) -> str:
    for name, part in drawn.items():
        html = html.replace(late_slot_marker(name), part)
    return html


def csrf_fill(*, html: str, request) -> str:
    return html.replace(csrf_marker(), get_token(request))


def csrf_secret_digest(secret: str) -> str:
    """A digest of the visitor's CSRF secret for their ETag (reveals nothing of it)."""
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()
