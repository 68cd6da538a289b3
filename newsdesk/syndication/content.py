"""A feed item's words and links made into what an article stores: safe HTML with absolute
links, a plain-text standfirst and title, a normalized original URL and a content hash.

Every piece of HTML leaves through ``newsdesk.core.sanitize.html_sanitize`` (nh3): no
scripts, styles, event handlers, or iframes other than the allowed video embeds.
"""

import contextlib
import hashlib
import html
import json
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from newsdesk.core.sanitize import ARTICLE_ATTRIBUTES, ARTICLE_TAGS, html_sanitize
from newsdesk.syndication import conf
from newsdesk.syndication.parsing import FeedItem

TITLE_MAX = 255
STANDFIRST_MAX = 400
URL_MAX = 500
# Query parameters that only track where a reader came from; they make one story look like
# several.
_TRACKING_PARAMS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$", re.I)
_URL_ATTRIBUTES = {("a", "href"), ("img", "src"), ("iframe", "src"), ("blockquote", "cite")}
_URL_ATTRIBUTES |= {("q", "cite")}
# nh3's output is regular, serialized HTML, so a pattern can find an iframe without src.
_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL)
# Characters a partner may leave raw in a path that an address cannot hold (the article's
# URL field refuses white space): they are percent-encoded, as a browser does.
_UNSAFE_IN_PATH = re.compile(r'[\s"<>`{}|\\^]')
_HTTP_URL = URLValidator(schemes=["http", "https"])


def url_is_valid(url: str) -> bool:
    """Whether ``url`` is an http(s) address the article's URL field accepts."""
    try:
        _HTTP_URL(url)
    except ValidationError:
        return False
    return True


def original_url_normalize(url: str) -> str:
    """The form of a story's address that deduplicates it across feeds, or "" if unusable.

    Lower-case scheme and host, no default port, no fragment, no tracking parameters, and
    "/" for an empty path. Only http and https addresses are kept.
    """
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING_PARAMS.match(k)
    ]
    path = _UNSAFE_IN_PATH.sub(lambda m: quote(m.group(), safe=""), parts.path) or "/"
    normalized = urlunsplit((scheme, host, path, urlencode(query), ""))
    return normalized if len(normalized) <= URL_MAX else ""


def item_content_hash(item: FeedItem) -> str:
    """A fingerprint of what the partner published; a new one means they changed the story."""
    fields = [
        item.title,
        item.link,
        item.content_html,
        item.summary_html,
        list(item.authors),
        list(item.image_urls),
    ]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def text_of(fragment: str) -> str:
    """The plain text of an HTML fragment, whitespace collapsed."""
    text = nh3.clean(fragment or "", tags=set(), clean_content_tags={"script", "style"})
    return " ".join(html.unescape(text).split())


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def article_title(item: FeedItem, *, outlet_name: str) -> str:
    """The item's title, or its first words when it has none."""
    if item.title:
        return shorten(item.title, TITLE_MAX)
    words = text_of(item.summary_html or item.content_html)
    if words:
        return shorten(words, 90)
    return f"A story from {outlet_name}"


def article_standfirst(item: FeedItem, *, full_text: bool) -> str:
    """The summary as plain text, when it adds to the body (full text with its own summary)."""
    if not (full_text and item.content_html and item.summary_html):
        return ""
    summary = text_of(item.summary_html)
    if not summary or text_of(item.content_html).startswith(summary.rstrip("…. ")[:200]):
        return ""
    return shorten(summary, STANDFIRST_MAX)


def html_resolve(
    fragment: str, *, base_url: str, image_sources: Mapping[str, str] | None = None
) -> str:
    """Make every link and picture address absolute against ``base_url``.

    ``image_sources`` maps a picture's absolute address to the address to use instead (its
    copy in our media library). Only the article allow-list survives this pass too.
    """
    image_sources = image_sources or {}
    hosts = conf.embed_hosts()

    def resolve(tag: str, attribute: str, value: str) -> str | None:
        if (tag, attribute) not in _URL_ATTRIBUTES:
            return value
        value = value.strip()
        if not value:
            return None  # an empty address would resolve to the feed itself
        try:
            absolute = urljoin(base_url, value) if base_url else value
        except ValueError:
            return None
        if tag == "img":
            return image_sources.get(absolute, absolute)
        return absolute

    attributes = {tag: set(attrs) for tag, attrs in ARTICLE_ATTRIBUTES.items()}
    attributes["iframe"] = {"src", "width", "height", "title", "allowfullscreen"}
    resolved = nh3.clean(
        fragment or "",
        tags=set(ARTICLE_TAGS) | {"iframe"},
        attributes=attributes,
        attribute_filter=resolve,
        link_rel=None,
        strip_comments=True,
    )
    # html_sanitize drops a refused iframe's address but keeps the empty frame: remove it.
    return _EMPTY_IFRAME.sub("", html_sanitize(resolved, iframe_hosts=hosts))


def body_html(
    item: FeedItem,
    *,
    full_text: bool,
    outlet_name: str,
    original_url: str,
    image_sources: Mapping[str, str] | None = None,
    lead_image_downloaded: bool = False,
) -> str:
    """The article body: the full story, or the summary with a link to the original.

    When the feed names a picture for the story that the body does not show (and it was not
    copied as the lead image), the body starts with it, still at the partner's address.
    """
    if full_text:
        fragment = item.content_html or item.summary_html
    else:
        fragment = (
            item.summary_html or f"<p>{html.escape(shorten(text_of(item.content_html), 600))}</p>"
        )
    body = html_resolve(fragment, base_url=item.base_url or item.link, image_sources=image_sources)
    if item.image_urls and not lead_image_downloaded and "<img" not in body:
        picture = html_resolve(
            f'<figure><img src="{html.escape(item.image_urls[0])}" alt=""></figure>',
            base_url=item.base_url or item.link,
        )
        body = picture + body
    if not full_text:
        body += html_sanitize(
            f'<p class="read-more"><a href="{html.escape(original_url)}">Read the full story at '
            f"{html.escape(outlet_name)}</a></p>"
        )
    return body


def images_in(fragment: str, *, base_url: str) -> list[str]:
    """Absolute addresses of the pictures an HTML fragment shows, in order."""
    found: list[str] = []

    def collect(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src" and value.strip():
            with contextlib.suppress(ValueError):
                found.append(urljoin(base_url, value.strip()))
        return value

    nh3.clean(fragment or "", tags={"img"}, attributes={"img": {"src"}}, attribute_filter=collect)
    return list(dict.fromkeys(u for u in found if urlsplit(u).scheme in {"http", "https"}))
