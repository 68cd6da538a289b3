"""One sanitizer for every piece of HTML that did not come from a trusted editor.

Comments and imported partner stories are cleaned with nh3 (a binding to the Rust ``ammonia``
crate): an allow-list of tags and attributes, so anything unknown (scripts, styles, event
handlers, ``javascript:`` URLs) is dropped rather than escaped into view.
"""

import re
from urllib.parse import urlsplit

import nh3

# Tags a news article or a comment may use.
ARTICLE_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ARTICLE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Video players whose <iframe> embeds imported stories may keep.
EMBED_IFRAME_HOSTS = frozenset(
    {"www.youtube.com", "youtube.com", "www.youtube-nocookie.com", "player.vimeo.com"}
)
# nh3 keeps an iframe whose src was refused, empty; such a shell is removed entirely.
_IFRAME_WITHOUT_SRC = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S | re.I)


def html_sanitize(
    html: str,
    *,
    tags: set[str] = ARTICLE_TAGS,
    attributes: dict[str, set[str]] = ARTICLE_ATTRIBUTES,
    link_rel: str | None = "noopener noreferrer",
    iframe_hosts: frozenset[str] = frozenset(),
) -> str:
    """Return ``html`` reduced to the allowed tags, attributes and URL schemes.

    ``iframe_hosts`` admits ``<iframe src>`` only from those hosts (video embeds of a partner
    story); every other iframe is removed with its content.
    """
    tags = set(tags)
    attributes = {tag: set(attrs) for tag, attrs in attributes.items()}
    attribute_filter = None
    if iframe_hosts:
        tags.add("iframe")
        attributes["iframe"] = {"src", "width", "height", "title", "allowfullscreen"}

        def attribute_filter(tag: str, attr: str, value: str) -> str | None:
            if tag == "iframe" and attr == "src":
                parts = urlsplit(value)
                if parts.scheme != "https" or (parts.hostname or "") not in iframe_hosts:
                    return None
            return value

    cleaned = nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        link_rel=link_rel,
        attribute_filter=attribute_filter,
        strip_comments=True,
    )
    if iframe_hosts:
        cleaned = _IFRAME_WITHOUT_SRC.sub("", cleaned)
    return cleaned
