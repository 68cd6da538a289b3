"""Plain text from readers (a donor's name, a message): markup removed, length capped.

Stored as plain text and escaped by the templates when shown; nh3 removes any markup, with
the content of scripts and styles, before it is stored.
"""

import html
import unicodedata

import nh3


def plain_text_clean(text: str, *, max_length: int) -> str:
    """``text`` with tags, control characters and surrounding blanks removed."""
    stripped = html.unescape(nh3.clean(text or "", tags=set(), strip_comments=True))
    kept = "".join(ch for ch in stripped if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return kept.strip()[:max_length]
