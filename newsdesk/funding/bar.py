"""The campaign bar at the top of every page, cheap enough to draw on every request.

``campaign_bar_html()`` is one cache read on the hot path: the rendered bar is cached (for the
day, so "days left" stays right) and the ledger empties the cache when a gift, refund or
campaign change commits, as does a change of the support ask's words (``SupportAskSettings``:
the bar holds every donor status's words, and the reader's browser shows one, ``ask.js``).
It takes no request, so a page cache can call it on its own to fill the bar into a cached page.
"""

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from newsdesk.funding import conf
from newsdesk.funding.selectors import campaign_bar_summary
from newsdesk.funding.selectors_ask import support_ask_settings

BAR_CACHE_KEY = "funding:campaign-bar:v2"


def _cache_key(language: str | None = None) -> str:
    """One cached bar per language: its words are in the reader's language."""
    return f"{BAR_CACHE_KEY}:{language or get_language() or settings.LANGUAGE_CODE}"


def _with_script(html: str) -> SafeString:
    # The script's URL is drawn at every call, outside the cached bar: a release that renames
    # the hashed file never serves yesterday's name.
    if not html:
        return mark_safe("")
    return format_html('<script src="{}" defer></script>', static("funding/js/ask.js")) + mark_safe(
        html
    )


def campaign_bar_html() -> SafeString:
    """The bar's HTML for the open campaign (empty when none is open)."""
    today = timezone.localdate().isoformat()
    key = _cache_key()
    cached = cache.get(key)
    if cached is not None and cached[0] == today:
        return _with_script(cached[1])
    bar = campaign_bar_summary()
    html = ""
    if bar is not None:
        ask = support_ask_settings()
        html = render_to_string(
            "funding/campaign_bar.html",
            {
                "bar": bar,
                "donate_url": reverse("funding:donate"),
                "ask": ask,
                "words": ask.words(),
            },
        )
    cache.set(key, (today, html), conf.bar_cache_seconds())
    return _with_script(html)


def campaign_bar_forget() -> None:
    """Drop the cached bar; the next page view draws it from the stored totals."""
    languages = {code for code, _name in settings.LANGUAGES} | {settings.LANGUAGE_CODE}
    cache.delete_many([_cache_key(code) for code in sorted(languages)])
