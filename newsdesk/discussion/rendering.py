"""Comment text to safe HTML: a Markdown subset rendered by markdown-it-py, then nh3.

Readers get emphasis, links, quotes, lists and code; raw HTML they type is shown as text
(markdown-it's ``html`` option is off), and nh3 removes whatever is not on the allow-list.
Links carry ``rel="nofollow ugc noopener"``: a comment lends no search rank to what it links.
"""

from markdown_it import MarkdownIt

from newsdesk.core.sanitize import html_sanitize

COMMENT_TAGS = {
    "p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li", "code", "pre", "del", "s",
}  # fmt: skip
COMMENT_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
COMMENT_LINK_REL = "nofollow ugc noopener"

_markdown = MarkdownIt(
    "zero", {"html": False, "linkify": False, "breaks": True, "typographer": False}
).enable(
    [
        "emphasis",
        "link",
        "autolink",
        "backticks",
        "blockquote",
        "list",
        "code",
        "fence",
        "newline",
        "escape",
        "entity",
        "strikethrough",
    ]
)


def markdown_to_html(source: str) -> str:
    """Render a reader's Markdown and sanitize the result."""
    return html_sanitize(
        _markdown.render(source),
        tags=COMMENT_TAGS,
        attributes=COMMENT_ATTRIBUTES,
        link_rel=COMMENT_LINK_REL,
    )


def imported_html_clean(html: str) -> str:
    """Sanitize comment HTML brought in by an import (Disqus and WordPress store HTML)."""
    html = html.strip()
    if "<p" not in html and "\n\n" in html:
        # WordPress stores paragraphs as blank lines, not <p> elements.
        paragraphs = [p.strip().replace("\n", "<br>") for p in html.split("\n\n") if p.strip()]
        html = "".join(f"<p>{p}</p>" for p in paragraphs)
    return html_sanitize(
        html, tags=COMMENT_TAGS, attributes=COMMENT_ATTRIBUTES, link_rel=COMMENT_LINK_REL
    )
