"""An issue as e-mail: rendered once per send, then filled in per recipient.

``issue_render`` turns an issue page into a ``RenderedIssue``: the subject, the preheader,
an HTML part laid out in tables 600 pixels wide with its CSS inlined (``css_inline``: mail
programs ignore most ``<style>`` rules) and a plain-text part written as text (headlines,
standfirsts and their addresses on lines of their own, not the HTML stripped). Both parts
hold the literal placeholders ``{{ unsubscribe_url }}``, ``{{ preferences_url }}`` and
``{{ name }}``: ``issue_render_for`` replaces them for one recipient with ``str.replace``,
so the sender pays no template engine per message.

The same reading of an issue's blocks (``issue_parts``) draws the issue's web page, so the
archive shows what the mail said. The picked articles of every block are loaded together
through the articles app's selectors: a rendering costs the same number of queries whatever
the number of picks (once the picks' renditions exist; a new one is made on first use).
"""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import css_inline
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext
from wagtail.rich_text import expand_db_html

from newsdesk.articles.selectors import articles_live, listing_images_attach, sections_attach
from newsdesk.core.conf import setting
from newsdesk.core.siteurl import absolute_url, site_name, site_url
from newsdesk.funding.selectors import campaign_current
from newsdesk.newsletters.models_issues import NewsletterIssuePage
from newsdesk.web.slots import articles_annotate

# The placeholders the sender fills in per recipient (the contract with services/sending.py).
NAME = "{{ name }}"
UNSUBSCRIBE_URL = "{{ unsubscribe_url }}"
PREFERENCES_URL = "{{ preferences_url }}"

# The mail's column is 600 pixels wide with 20 of padding each side: a lead image fills the
# 560 between, drawn from a rendition twice as wide for high-density screens, in JPEG
# (WebP is still unknown to several mail programs).
EMAIL_IMAGE_WIDTH = 560
EMAIL_IMAGE_FILTER = "width-1120|format-jpeg|jpegquality-75"
# Lazy: in the language active when the mail is rendered.
DEFAULT_ASK = gettext_lazy(
    "Our reporting is paid for by readers, not advertisers. If this newsletter is worth "
    "something to you, help keep it free for everyone."
)
DEFAULT_BUTTON = gettext_lazy("Support our work")

# css_inline keeps @media rules (the narrow-screen ones) in a <style> of the head, and never
# fetches anything.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
_RELATIVE_HREF = re.compile(r'(href|src)="(/[^"/][^"]*|/)"')


@dataclass(frozen=True)
class RenderedIssue:
    """An issue's mail with the per-recipient placeholders still in it."""

    subject: str
    preheader: str
    html: str
    text: str


@dataclass
class IssuePart:
    """One block of an issue, read for both the web page and the mail.

    ``kind`` is the block's type: ``heading`` (``text``), ``paragraph`` (``html``, rich
    text with its links expanded), ``articles`` (``heading`` and ``articles``: live article
    pages in the editor's order, each with ``section_page`` and ``listing_image``; a pick
    no longer live is left out) or ``support_ask`` (``text``, ``button_label``).
    """

    kind: str
    heading: str = ""
    text: str = ""
    html: str = ""
    button_label: str = ""
    articles: list[Any] = field(default_factory=list)


def _picked_ids(value: Any) -> list[int]:
    # A ListBlock's stored form is a list of {"type": "item", "value": id, "id": ...}
    # (Wagtail 2.16 and later) or, for older content, of bare ids.
    ids = []
    for item in value.get("articles") or []:
        pk = item.get("value") if isinstance(item, dict) else item
        if isinstance(pk, int):
            ids.append(pk)
    return ids


def issue_parts(*, issue: NewsletterIssuePage, for_web: bool = False) -> list[IssuePart]:
    """The issue's blocks in order, with every pick of every block loaded in one go.

    Reads the stream's stored form rather than its values, so that no block fetches its
    pages one at a time. ``for_web`` also annotates the picks as listings are (comment
    counts), which a mail does not show. A fixed number of queries whatever the picks.
    """
    raw = list(issue.body.raw_data)
    wanted = {
        pk for block in raw if block["type"] == "articles" for pk in _picked_ids(block["value"])
    }
    loaded: dict[int, Any] = {}
    if wanted:
        articles = list(articles_live().filter(pk__in=wanted))
        sections_attach(articles=articles)
        listing_images_attach(articles=articles)
        if for_web:
            articles_annotate(articles=articles)
        loaded = {article.pk: article for article in articles}
    parts = []
    for block in raw:
        kind, value = block["type"], block["value"]
        if kind == "heading":
            parts.append(IssuePart(kind=kind, text=value or ""))
        elif kind == "paragraph":
            parts.append(IssuePart(kind=kind, html=expand_db_html(value or "")))
        elif kind == "articles":
            picked = [loaded[pk] for pk in _picked_ids(value) if pk in loaded]
            if picked:
                parts.append(
                    IssuePart(kind=kind, heading=value.get("heading") or "", articles=picked)
                )
        elif kind == "support_ask":
            parts.append(
                IssuePart(
                    kind=kind,
                    text=value.get("text") or "",
                    button_label=value.get("button_label") or DEFAULT_BUTTON,
                )
            )
    return parts


def support_ask_fill(*, parts: list[IssuePart]) -> list[IssuePart]:
    """Give an ask without words of its own the current campaign's pitch (or the default
    words): one query, and none when every ask has its words."""
    asks = [part for part in parts if part.kind == "support_ask" and not part.text]
    if asks:
        campaign = campaign_current()
        pitch = (campaign.pitch if campaign else "") or DEFAULT_ASK
        for part in asks:
            part.text = pitch
    return parts


def _absolute(url: str) -> str:
    return url if "://" in url else site_url() + url


def _absolute_links(fragment: str) -> str:
    """Rich text's page links are paths: a mail needs the site's address in front."""
    return _RELATIVE_HREF.sub(lambda m: f'{m.group(1)}="{site_url()}{m.group(2)}"', fragment)


def _email_article(article: Any) -> Any:
    article.email_url = _absolute(article.get_url(None) or "")
    article.email_image = None
    if article.listing_image is not None:
        rendition = article.listing_image.get_rendition(EMAIL_IMAGE_FILTER)
        article.email_image = {
            "url": _absolute(rendition.url),
            "width": EMAIL_IMAGE_WIDTH,
            "height": round(rendition.height * EMAIL_IMAGE_WIDTH / max(rendition.width, 1)),
            "alt": article.listing_image.default_alt_text or article.title,
        }
    return article


class _TextWriter(HTMLParser):
    """Rich text as the plain-text part writes it: paragraphs apart, list items with a dash,
    a link's address after its words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.out.append("\n- ")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "ul", "ol", "h2", "h3", "h4", "blockquote"):
            self.out.append("\n\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and not href.startswith("#"):
                self.out.append(f" ({_absolute(href)})")

    def handle_data(self, data: str) -> None:
        self.out.append(re.sub(r"\s+", " ", data))


def rich_text_as_text(fragment: str) -> str:
    """A rich-text fragment (already expanded) written as plain text."""
    writer = _TextWriter()
    writer.feed(fragment)
    writer.close()
    lines = [line.strip() for line in "".join(writer.out).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def newsroom_footer() -> dict[str, str]:
    """Who sends the mail: the publisher's name (Settings → Site identity) or the site's,
    and its postal address where the settings give one."""
    from newsdesk.web.models import SiteIdentity

    name = SiteIdentity.load().publisher_name or site_name()
    address = setting("NEWSLETTER_POSTAL_ADDRESS").replace("\\n", "\n")
    return {"name": name, "address": address}


def issue_render(*, issue: NewsletterIssuePage) -> RenderedIssue:
    """The issue's mail, rendered once for a whole send (or a test, or the preview).

    The HTML part is a 600-pixel table layout with inline styles, absolute addresses and
    alt texts; the text part says the same as text. Both carry the placeholders
    ``{{ unsubscribe_url }}``, ``{{ preferences_url }}`` and ``{{ name }}`` for
    ``issue_render_for``. A fixed number of queries whatever the number of picks.
    """
    parts = support_ask_fill(parts=issue_parts(issue=issue))
    for part in parts:
        if part.kind == "articles":
            part.articles = [_email_article(article) for article in part.articles]
        elif part.kind == "paragraph":
            part.html = _absolute_links(part.html)
            part.text = rich_text_as_text(part.html)
    intro_html = _absolute_links(expand_db_html(issue.intro or ""))
    context = {
        "issue": issue,
        "subject": issue.title,
        "preheader": issue.preheader,
        "intro_html": intro_html,
        "intro_text": rich_text_as_text(intro_html),
        "parts": parts,
        "newsletter_name": issue.newsletter.name,
        "web_url": _absolute(issue.get_url(None) or "") if issue.live else "",
        "donate_url": absolute_url(path=reverse("funding:donate")),
        "footer": newsroom_footer(),
        "name": NAME,
        "unsubscribe_url": UNSUBSCRIBE_URL,
        "preferences_url": PREFERENCES_URL,
    }
    document = render_to_string("newsletters/email/issue.html", context)
    text = render_to_string("newsletters/email/issue.txt", context)
    return RenderedIssue(
        subject=issue.title,
        preheader=issue.preheader,
        html=_INLINER.inline(document),
        text=re.sub(r"\n{3,}", "\n\n", text).strip() + "\n",
    )


def issue_render_for(
    *, rendered: RenderedIssue, name: str, unsubscribe_url: str, preferences_url: str
) -> tuple[str, str]:
    """One recipient's (html, text): the placeholders replaced, escaped for the HTML part.

    Plain ``str.replace``, no template engine: a send fills in every message this way. An
    empty ``name`` reads "reader" (the mail greets "Dear {{ name }},").
    """
    name = name or pgettext("the greeting's name when the reader gave none", "reader")
    html_part = (
        rendered.html.replace(UNSUBSCRIBE_URL, html.escape(unsubscribe_url))
        .replace(PREFERENCES_URL, html.escape(preferences_url))
        .replace(NAME, html.escape(name))
    )
    text_part = (
        rendered.text.replace(UNSUBSCRIBE_URL, unsubscribe_url)
        .replace(PREFERENCES_URL, preferences_url)
        .replace(NAME, name)
    )
    return html_part, text_part
