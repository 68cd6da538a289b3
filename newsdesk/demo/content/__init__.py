"""The demo's words: sections, people, articles and what the pictures show.

Everything here is the project's own writing about places and people that do not exist.
An article is described by a ``Story``; its body is built with the small helpers below, which
give the (block type, value) pairs of ``ArticleBodyBlock``. A ``figure`` names an
illustration by key: the loader swaps in the stored image.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionText:
    slug: str
    title: str
    intro: str


@dataclass(frozen=True)
class AuthorText:
    slug: str
    name: str
    role: str
    bio: str


@dataclass(frozen=True)
class OutletText:
    name: str
    site_url: str
    search_engine_policy: str
    agreement_notes: str


@dataclass(frozen=True)
class Story:
    """One article: where it goes, what it says, and when it was (or will be) published.

    ``hours_ago`` backdates the first publication; ``go_live_in_hours`` schedules the article
    instead, so readers cannot see it yet. ``outlet`` names a partner the story is
    republished from, with ``original_url`` its address there.
    """

    slug: str
    section: str
    title: str
    standfirst: str
    body: tuple
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    image: str | None = None
    hours_ago: float | None = None
    go_live_in_hours: float | None = None
    outlet: str | None = None
    original_url: str = ""
    corrections: tuple[str, ...] = ()


def p(html: str) -> tuple:
    """A paragraph; ``html`` may hold <a href>, <b> and <i>."""
    return ("paragraph", f"<p>{html}</p>")


def heading(text: str, level: str = "h2") -> tuple:
    return ("heading", {"text": text, "level": level})


def quote(text: str, attribution: str = "", source_url: str = "") -> tuple:
    return ("quote", {"quote": text, "attribution": attribution, "source_url": source_url})


def bullets(*items: str) -> tuple:
    return ("paragraph", "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def numbered(*items: str) -> tuple:
    return ("paragraph", "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>")


def figure(key: str, caption: str = "") -> tuple:
    """A captioned illustration inside the body (``caption`` overrides the image's own)."""
    return ("image", {"illustration": key, "caption": caption, "alignment": "full"})
