"""The personal and moving parts of a cached page, left as markers and filled on every serve.

- CSRF tokens: every ``{% csrf_token %}`` input of the rendered page gets a marker instead of
  its value. An anonymous reader's copy has an empty value there (the page is then the same
  bytes for everyone, so nginx or a CDN may keep it): the site's script fetches a token from
  ``/csrf/`` and fills the forms, and a form posted without one gets a confirmation page
  (``tokenless.py``). A signed-in reader served from the cache gets their own token there.
- Personal regions (``{% personal "template" %}...{% endpersonal %}``, the account menu and
  "commenting as"): kept as they rendered for an anonymous reader in the public copy, and
  replaced by the named template rendered for the signed-in reader in theirs.
- Late slots: while a page is rendered for the cache, a slot named in
  ``PAGECACHE_LATE_SLOTS`` (the campaign bar's ``page_top``) renders as a marker, and each
  serve draws the slot then, so the bar moves with every gift without outdating any page.
  What draws it is registered with the page cache (``PageCacheRules.late_slot_renderers``,
  web's slots), so the page cache names no slot code.

Markers carry a digest of SECRET_KEY, so text a reader writes can never contain one.
"""

import hashlib
import hmac
import re
from functools import cache

from django.conf import settings
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _unmask_cipher_token, get_token
from django.utils.safestring import SafeString, mark_safe

from newsdesk.pagecache import registry

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
    """Draw each late slot now, for this request, with the registered renderers."""
    return {name: registry.late_slot_draw(name=name, request=request) for name in names}


def late_slots_fill(*, html: str, drawn: dict[str, str]) -> str:
    for name, part in drawn.items():
        html = html.replace(late_slot_marker(name), part)
    return html


def csrf_fill(*, html: str, request) -> str:
    return html.replace(csrf_marker(), get_token(request))


def csrf_empty(*, html: str) -> str:
    """The public copy: forms carry no token (the script or the confirmation page adds one)."""
    return html.replace(csrf_marker(), "")


# Template names of personal regions: our own templates' names, never reader text.
TEMPLATE_NAME = r"[A-Za-z0-9_/.\-]+"


def personal_open(template_name: str) -> SafeString:
    return mark_safe(f"<!--newsdesk-personal:{template_name}:{_nonce()}-->")


def personal_close() -> SafeString:
    return mark_safe(f"<!--/newsdesk-personal:{_nonce()}-->")


@cache
def _personal_region() -> re.Pattern:
    nonce = re.escape(_nonce())
    return re.compile(
        rf"<!--newsdesk-personal:(?P<template>{TEMPLATE_NAME}):{nonce}-->"
        rf"(?P<inner>.*?)<!--/newsdesk-personal:{nonce}-->",
        re.DOTALL,
    )


def personal_regions_public(*, html: str) -> tuple[str, int]:
    """The anonymous copy of each personal region (markers removed), and how many there were."""
    return _personal_region().subn(r"\g<inner>", html)


def personal_regions_fill(*, html: str, request, user) -> tuple[str, list[str]]:
    """Each personal region drawn for ``user``; also the drawn parts (for the ETag)."""
    from django.template.loader import render_to_string

    drawn: dict[str, str] = {}

    def draw(match: re.Match) -> str:
        name = match.group("template")
        if name not in drawn:
            drawn[name] = render_to_string(name, {"request": request, "user": user})
        return drawn[name]

    html = _personal_region().sub(draw, html)
    return html, [drawn[name] for name in sorted(drawn)]


def csrf_secret_digest(secret: str) -> str:
    """A digest of the visitor's CSRF secret for their ETag (reveals nothing of it)."""
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()
