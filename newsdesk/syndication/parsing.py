"""Feed documents to a list of ``FeedItem``: RSS 0.9x/1.0/2.0 and Atom through feedparser,
JSON Feed (1.0 and 1.1, which feedparser does not read) by hand.

XML that declares entities is refused before feedparser sees it: entity expansion
("billion laughs") is an attack, and no real feed needs its own entities.
"""

import html
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from xml.parsers import expat

import feedparser
import nh3

JSON_TYPES = {"application/json", "application/feed+json", "text/json"}
XML_TYPES = {
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/x-rss+xml",
    "application/x-atom+xml",
}
# Some servers label feeds vaguely; the document itself then decides.
SNIFFED_TYPES = {"", "text/plain", "application/octet-stream"}

_EMAIL = re.compile(r"\S+@\S+")
_IMAGE_SUFFIX = re.compile(r"\.(jpe?g|png|gif|webp)$", re.IGNORECASE)


class FeedParseError(Exception):
    """The document is not a feed we can read; the message says why."""


def feed_type_allowed(media_type: str) -> bool:
    """Whether a response with this content type may be a feed (checked before reading it)."""
    return (
        media_type in XML_TYPES
        or media_type in JSON_TYPES
        or media_type in SNIFFED_TYPES
        or media_type.endswith(("+xml", "+json"))
    )


@dataclass(frozen=True)
class FeedItem:
    """One story of a feed, in the feed's own words (HTML not yet sanitized by us)."""

    guid: str
    link: str  # absolute
    title: str  # plain text
    content_html: str
    summary_html: str
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    image_urls: tuple[str, ...] = ()
    base_url: str = ""  # what relative links inside the HTML are relative to


@dataclass(frozen=True)
class ParsedFeed:
    format: str  # "rss20", "atom10", "json1" ...
    title: str
    items: list[FeedItem] = field(default_factory=list)
    warning: str = ""  # set when the feed was read leniently (not well-formed)


def feed_parse(*, body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Read ``body`` fetched from ``url``. Raises ``FeedParseError`` for what is no feed."""
    stripped = body.lstrip()
    if not stripped:
        raise FeedParseError("The feed is empty.")
    if content_type in JSON_TYPES or content_type.endswith("+json") or stripped[:1] == b"{":
        return _json_feed_parse(stripped, url)
    # Blank lines before the XML declaration make strict parsers give up; drop them.
    if stripped.startswith(b"<?xml"):
        body = stripped
    if _declares_entities(body):
        raise FeedParseError(
            "The feed declares XML entities (a DOCTYPE with <!ENTITY>); refused, as entity "
            "expansion can exhaust the server."
        )
    return _xml_feed_parse(body, url, content_type)


# --- XML --------------------------------------------------------------------------------


class _EntityDeclared(Exception):
    pass


class _RootReached(Exception):
    pass


def _declares_entities(body: bytes) -> bool:
    """True when the document's DTD declares any entity (internal, external or parameter).

    Expat reads the prolog and stops at the root element: declarations can only come before
    it, and they are seen before anything is expanded. Where expat cannot read the prolog,
    the bytes are searched instead (stricter: any "<!ENTITY" at all).
    """
    parser = expat.ParserCreate()

    def entity_declared(*args):
        raise _EntityDeclared

    def root_reached(*args):
        raise _RootReached

    parser.EntityDeclHandler = entity_declared
    parser.StartElementHandler = root_reached
    try:
        parser.Parse(body, True)
    except _EntityDeclared:
        return True
    except _RootReached:
        return False
    except (expat.ExpatError, LookupError, ValueError):
        pass
    needles = (b"<!ENTITY", "<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be"))
    return any(needle in body for needle in needles)


def _struct_to_datetime(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _plain_text(value: str, detail) -> str:
    if detail and "html" in (detail.get("type") or ""):
        value = html.unescape(nh3.clean(value, tags=set()))
    return " ".join(value.split())


_ADDRESS_THEN_NAME = re.compile(r"^\s*\S+@\S+\s*\((.*)\)\s*$")


def _author_names(entry) -> tuple[str, ...]:
    # RSS 2.0 writes "address (Name)" or a bare address; feedparser splits some addresses
    # wrongly and takes their tail for a name, so names found inside an address are dropped.
    raw = entry.get("author") or ""
    match = _ADDRESS_THEN_NAME.match(raw)
    if match:
        return _clean_names([match.group(1)])
    addresses = _EMAIL.findall(raw)
    names = [author.get("name") or "" for author in entry.get("authors") or []]
    if not names and raw:
        names.append(entry.get("author_detail", {}).get("name") or raw)
    return _clean_names(n for n in names if not any(n in address for address in addresses))


def _clean_names(names) -> tuple[str, ...]:
    """Names only: an address that a feed puts in its author field is never kept."""
    cleaned = []
    for name in names:
        name = _EMAIL.sub("", str(name or "")).strip(" ()<>,;")
        name = " ".join(name.split())[:120]
        if name and name not in cleaned:
            cleaned.append(name)
    return tuple(cleaned)


def _images_of(entry) -> tuple[str, ...]:
    candidates = []
    for media in entry.get("media_content") or []:
        url = media.get("url") or ""
        kind = (media.get("medium") or media.get("type") or "").lower()
        if url and ("image" in kind or (not kind and _IMAGE_SUFFIX.search(urlsplit(url).path))):
            width = int(media.get("width") or 0) if str(media.get("width", "")).isdigit() else 0
            candidates.append((width, url))
    for enclosure in entry.get("enclosures") or []:
        if (enclosure.get("type") or "").startswith("image/") and enclosure.get("href"):
            candidates.append((0, enclosure["href"]))
    for thumbnail in entry.get("media_thumbnail") or []:
        if thumbnail.get("url"):
            candidates.append((-1, thumbnail["url"]))
    ordered = [url for _, url in sorted(candidates, key=lambda c: -c[0])]
    return tuple(dict.fromkeys(ordered))


def _html_of(detail_list) -> str:
    """The richest HTML among an entry's content elements."""
    best = ""
    for content in detail_list or []:
        kind = content.get("type") or ""
        value = content.get("value") or ""
        if "html" in kind:
            if len(value) > len(best):
                best = value
        elif value and not best:
            best = "<p>" + html.escape(value).replace("\n\n", "</p><p>") + "</p>"
    return best


def _xml_feed_parse(body: bytes, url: str, content_type: str) -> ParsedFeed:
    # A stream, never bytes or a string: feedparser would take a string for a URL or a file
    # name and open it.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={
            "content-location": url,
            "content-type": content_type or "application/xml",
        },
        resolve_relative_uris=True,
        # nh3 sanitizes (content.py) with the site's allow-list; feedparser's own sanitizer
        # would also drop the video embeds a partner story may keep.
        sanitize_html=False,
    )
    warning = ""
    if parsed.bozo:
        reason = str(parsed.get("bozo_exception") or "not well-formed")[:300]
        if not parsed.entries:
            raise FeedParseError(f"The document is not a readable feed: {reason}.")
        warning = f"The feed is not well-formed ({reason}); read leniently."
    if not parsed.version and not parsed.entries:
        raise FeedParseError("The document is not an RSS or Atom feed.")
    items = []
    for entry in parsed.entries:
        summary = entry.get("summary") or ""
        if summary and "html" not in (entry.get("summary_detail", {}).get("type") or "html"):
            summary = "<p>" + html.escape(summary) + "</p>"
        base = (entry.get("summary_detail") or {}).get("base") or url
        items.append(
            FeedItem(
                guid=(entry.get("id") or entry.get("link") or "").strip()[:500],
                link=urljoin(url, (entry.get("link") or "").strip()),
                title=_plain_text(entry.get("title") or "", entry.get("title_detail")),
                content_html=_html_of(entry.get("content")),
                summary_html=summary,
                authors=_author_names(entry),
                # dict.get: feedparser's own lookup warns about a deprecated fallback.
                published=_struct_to_datetime(
                    dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
                ),
                image_urls=tuple(urljoin(base, u) for u in _images_of(entry)),
                base_url=base,
            )
        )
    title = _plain_text(parsed.feed.get("title") or "", parsed.feed.get("title_detail"))
    return ParsedFeed(format=parsed.version or "unknown", title=title, items=items, warning=warning)


# --- JSON Feed ---------------------------------------------------------------------------


def _iso_datetime(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _json_feed_parse(body: bytes, url: str) -> ParsedFeed:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise FeedParseError(f"The JSON feed is not valid JSON: {error}.") from error
    if not isinstance(document, dict) or not _text(document.get("version")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FeedParseError("The JSON document is not a JSON Feed (no jsonfeed.org version).")
    raw_items = document.get("items")
    if not isinstance(raw_items, list):
        raise FeedParseError("The JSON Feed has no list of items.")
    feed_base = urljoin(url, _text(document.get("home_page_url"))) or url
    feed_authors = _json_authors(document)
    items = []
    for raw in raw_items:
        if not isinstance(raw, dict):
            continue
        link = urljoin(url, _text(raw.get("url")).strip()) if raw.get("url") else ""
        content = _text(raw.get("content_html"))
        if not content and raw.get("content_text"):
            paragraphs = _text(raw.get("content_text")).split("\n\n")
            content = "".join(f"<p>{html.escape(p.strip())}</p>" for p in paragraphs if p.strip())
        summary = _text(raw.get("summary"))
        images = [
            urljoin(link or feed_base, _text(raw.get(key)))
            for key in ("image", "banner_image")
            if _text(raw.get(key))
        ]
        guid = raw.get("id")
        items.append(
            FeedItem(
                guid=(str(guid) if guid not in (None, "") else link).strip()[:500],
                link=link,
                title=" ".join(_text(raw.get("title")).split()),
                content_html=content,
                summary_html=f"<p>{html.escape(summary)}</p>" if summary else "",
                authors=_json_authors(raw) or feed_authors,
                published=_iso_datetime(raw.get("date_published"))
                or _iso_datetime(raw.get("date_modified")),
                image_urls=tuple(dict.fromkeys(images)),
                base_url=link or feed_base,
            )
        )
    return ParsedFeed(
        format="json" + _text(document.get("version")).rsplit("/", 1)[-1],
        title=" ".join(_text(document.get("title")).split()),
        items=items,
    )


def _json_authors(obj: dict) -> tuple[str, ...]:
    authors = obj.get("authors")
    if not isinstance(authors, list):
        authors = [obj["author"]] if isinstance(obj.get("author"), dict) else []
    return _clean_names(a.get("name") for a in authors if isinstance(a, dict))
