"""The campaign bar at the top of every page, cheap enough to draw on every request.

``campaign_bar_html()`` is one cache read on the hot path: the rendered bar is cached (for the
day, so "days left" stays right) and the ledger empties the cache when a gift, refund or
campaign change commits. It takes no request, so a page cache can call it on its own to fill
the bar into a cached page.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from newsdesk.funding import conf
from newsdesk.funding.selectors import campaign_bar_summary

BAR_CACHE_KEY = "funding:campaign-bar:v1"


def campaign_bar_html() -> SafeString:
    """The bar's HTML for the open campaign (empty when none is open)."""
    today = timezone.localdate().isoformat()
    cached = cache.get(BAR_CACHE_KEY)
    if cached is not None and cached[0] == today:
        return mark_safe(cached[1])
    bar = campaign_bar_summary()
    html = ""
    if bar is not None:
        html = render_to_string(
            "funding/campaign_bar.html", {"bar": bar, "donate_url": reverse("funding:donate")}
        )
    cache.set(BAR_CACHE_KEY, (today, html), conf.bar_cache_seconds())
    return mark_safe(html)


def campaign_bar_forget() -> None:
    """Drop the cached bar; the next page view draws it from the stored totals."""
    cache.delete(BAR_CACHE_KEY)
