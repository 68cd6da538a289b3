"""Interface text in templates that is not marked for translation.

A template's text is what a reader or a staff member reads: the text between tags and the
attributes a person sees or hears (``title``, ``alt``, ``placeholder``, ``aria-label``...).
Each must come from ``{% translate %}`` / ``{% blocktranslate %}`` (or from a variable, which
its view translated). Django's own lexer splits the template; the tags and variables become
placeholders, and Python's HTML parser reads what is left, so text split by a variable is
seen whole. Script and style contents are code, not text (a script takes its words from the
page: data attributes the template translated).

A template with no interface text to translate at all (a JSON or XML skeleton) says so with
``{# i18n: none #}`` in its first line.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# Attributes a person reads or hears.
READ_ATTRIBUTES = frozenset(
    {
        "title",
        "alt",
        "placeholder",
        "aria-label",
        "aria-description",
        "aria-valuetext",
        "aria-roledescription",
        "label",
        "summary",
    }
)
# Words every language writes the same way: names and formats.
SAME_IN_EVERY_LANGUAGE = frozenset(
    {
        "RSS",
        "Atom",
        "CSV",
        "PDF",
        "JSON",
        "API",
        "Stripe",
        "Newsdesk",
        "Wagtail",
        "Mastodon",
        "Bluesky",
        "Facebook",
        "WhatsApp",
        "LinkedIn",
        "OK",
        "URL",
        "SVG",
        "ONNX",
    }
)
_LETTER = re.compile(r"[^\W\d_]")
# Apostrophes straight and typographic (U+2019) belong to a word.
_APOSTROPHES = "'\u2019"
_WORD = re.compile(rf"[^\W\d_][\w{_APOSTROPHES}.-]*")
_PLACEHOLDER = "\x00"
_SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}
NONE_PRAGMA = "{# i18n: none #}"


@dataclass(frozen=True)
class UnmarkedText:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: text not marked for translation: {self.text!r}"


def is_language(text: str) -> bool:
    """True when ``text`` holds a word some language would write otherwise."""
    words = [w.strip(f".-{_APOSTROPHES}") for w in _WORD.findall(text.replace(_PLACEHOLDER, " "))]
    return any(w and w not in SAME_IN_EVERY_LANGUAGE and _LETTER.search(w) for w in words)


def skeleton(source: str) -> str:
    """The template with every tag and variable replaced by a placeholder, comments and
    translated blocks removed, line numbers kept."""
    parts: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        if closing is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[:1] == [closing]:
                closing = None
            parts.append("\n" * token.contents.count("\n"))
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        elif token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            closing = _SKIPPED_BLOCKS.get(name)
            parts.append(_PLACEHOLDER)
        elif token.token_type == TokenType.VAR:
            parts.append(_PLACEHOLDER)
        # Comments leave nothing.
    return "".join(parts)


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._code_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._code_depth += 1
        for name, value in attrs:
            read = name in READ_ATTRIBUTES or (name == "value" and _is_button(attrs))
            if value and read and is_language(value):
                self.found.append((self.getpos()[0], value))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._code_depth -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._code_depth:
            self._code_depth -= 1

    def handle_data(self, data):
        if not self._code_depth and is_language(data):
            self.found.append((self.getpos()[0], data))


def _is_button(attrs) -> bool:
    kinds = {value for name, value in attrs if name == "type"}
    return bool(kinds & {"submit", "button", "reset"})


def template_problems(path: Path) -> list[UnmarkedText]:
    source = path.read_text(encoding="utf-8")
    if source.lstrip().startswith(NONE_PRAGMA):
        return []
    finder = _TextFinder()
    finder.feed(skeleton(source))
    finder.close()
    return [
        UnmarkedText(path, line, " ".join(text.replace(_PLACEHOLDER, "…").split()))
        for line, text in finder.found
    ]


def templates_under(root: Path) -> list[Path]:
    return sorted(
        path
        for pattern in ("*/templates/**/*.html", "*/templates/**/*.txt", "*/templates/**/*.xml")
        for path in root.glob(pattern)
    )
