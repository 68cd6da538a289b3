"""Wagtail's oEmbed finder, fetching through the guarded connections of ``core/safefetch.py``.

An editor's embed URL (the article body's embed block) makes the server ask the matching
provider's oEmbed endpoint, and it does so again whenever a page showing an embed not yet
cached is rendered. Wagtail's own finder uses ``requests``, which follows any redirect and
honours proxy variables; several of its 80-odd providers' domains are long dead and could
be registered by anyone, whose endpoint would then redirect the server inside our network.
This finder asks the same providers, but every connection (redirects included) goes only to
a checked public address, the answer is bounded in time and size, and every failure is
"no embed found" (``EmbedNotFoundException``), never the answer of an internal address.

Configured in settings as ``WAGTAILEMBEDS_FINDERS = [{"class": "newsdesk.core.embeds"}]``.
"""

import contextlib
import json
import logging
from datetime import timedelta
from urllib.parse import urlencode

import urllib3
from django.utils import timezone
from django.utils.html import format_html
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.oembed import OEmbedFinder

from newsdesk.core.safefetch import TargetRefused, guarded_pool_manager

logger = logging.getLogger("newsdesk.core.embeds")

TIMEOUT_SECONDS = 10
MAX_BYTES = 1024 * 1024  # an oEmbed answer is a few kilobytes of JSON
MAX_REDIRECTS = 5


def oembed_get(*, endpoint: str, params: dict) -> dict:
    """The provider's oEmbed answer for ``params`` as a dict; ``EmbedNotFoundException``
    for any failure (refused address, network, status, size, not JSON)."""
    url = endpoint + ("&" if "?" in endpoint else "?") + urlencode(params)
    retries = urllib3.Retry(total=MAX_REDIRECTS, connect=0, read=0, redirect=MAX_REDIRECTS)
    try:
        with guarded_pool_manager(num_pools=2, maxsize=1, block=False) as http:
            response = http.request(
                "GET",
                url,
                headers={"User-Agent": "Mozilla/5.0", "Accept": "application/json"},
                retries=retries,
                redirect=True,
                preload_content=False,
                timeout=urllib3.Timeout(connect=TIMEOUT_SECONDS, read=TIMEOUT_SECONDS),
            )
            try:
                body = response.read(MAX_BYTES + 1, decode_content=True)
                status = response.status
            finally:
                response.release_conn()
    except TargetRefused as error:
        logger.warning("Embed of %s refused: %s", params.get("url"), error)
        raise EmbedNotFoundException("The embed's provider is not a public address.") from None
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise EmbedNotFoundException(f"Request failed: {error.__class__.__name__}") from None
    if status != 200 or len(body) > MAX_BYTES:
        raise EmbedNotFoundException(f"The provider answered {status}.")
    try:
        oembed = json.loads(body)
    except ValueError:
        raise EmbedNotFoundException("The provider's answer is not JSON.") from None
    if not isinstance(oembed, dict):
        raise EmbedNotFoundException("The provider's answer is not an oEmbed object.")
    return oembed


class GuardedOEmbedFinder(OEmbedFinder):
    """``OEmbedFinder`` with its HTTP request made by ``oembed_get``."""

    def find_embed(self, url, max_width=None, max_height=None):
        endpoint = self._get_endpoint(url)
        if endpoint is None:
            raise EmbedNotFoundException
        params = {**self.options, "url": url, "format": "json"}
        if max_width:
            params["maxwidth"] = max_width
        if max_height:
            params["maxheight"] = max_height
        oembed = oembed_get(endpoint=endpoint, params=params)
        if "type" not in oembed:
            raise EmbedNotFoundException("Missing 'type' in response")
        html: str | None
        if oembed["type"] == "photo":
            html = format_html('<img src="{}" alt="">', oembed.get("url") or "")
        else:
            html = oembed.get("html")
        result = {
            "title": oembed.get("title", "") or "",
            "author_name": oembed.get("author_name", "") or "",
            "provider_name": oembed.get("provider_name", "") or "",
            "type": oembed["type"],
            "thumbnail_url": oembed.get("thumbnail_url"),
            "width": oembed.get("width"),
            "height": oembed.get("height"),
            "html": html,
        }
        with contextlib.suppress(KeyError, TypeError, ValueError, OverflowError):
            result["cache_until"] = timezone.now() + timedelta(seconds=int(oembed["cache_age"]))
        return result


embed_finder_class = GuardedOEmbedFinder
