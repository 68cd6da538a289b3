"""Patterns that reader text meets, run by RE2: time linear in the text, whatever the pattern.

Python's ``re`` backtracks: a pattern with overlapping quantifiers ("go|||||x" against the
obfuscated-slur patterns) can take minutes on a few hundred characters. RE2 (``google-re2``)
never backtracks; it has no lookaround and no back-references in exchange. Every pattern the
moderation signals run on a comment is a ``Pattern`` (or ``compile``'s RE2 object), so
"it compiles under RE2" is the proof that scoring a comment is linear in its length.

The lists in ``data/`` are written in Python's syntax. Python reads ``\\w``, ``\\s``, ``\\d`` and
``\\b`` by Unicode, RE2 by ASCII; RE2 with Unicode classes compiles the slur patterns to
programs too large for its fast engine. So a ``Pattern`` searches an ASCII view of the text
(``ascii_view``): the same length, with each letter or digit of another script read as "X"
(a word character no pattern names: the folded text has no capitals) and each space
character RE2 does not know read as " ". Spans are the text's own. ``$`` keeps Python's
meaning (the end, or before a final newline). Digits of other scripts count as letters, not
as ``\\d``.

Lookarounds at a pattern's edges ("not after a letter", "not before a letter") are what the
lists need; ``Pattern`` does them by consuming the neighbouring character and reporting the
span of the match proper, searching from one character earlier when it goes on, so its
matches, ``sub`` and ``findall`` are those of the lookaround pattern in Python.
"""

from functools import cache, lru_cache

import re2

# Stands before the text of a pattern that looks behind its match, so that a match at the
# text's start has a character to look at; it is in no class a pattern may look behind for.
_SENTINEL = "\x00"
# ASCII characters Python's \s has and RE2's lacks.
_ODD_SPACES = "\x0b\x1c\x1d\x1e\x1f"


class PatternError(ValueError):
    """A pattern RE2 cannot run (a lookaround, a back-reference) or will not compile."""


def re2_source(pattern: str) -> str:
    """``pattern`` (Python's syntax) as RE2 source: ``$`` as Python means it, ``\\Z`` as
    ``\\z``. Raises ``PatternError`` for a lookaround or a back-reference."""
    out, index, in_class = [], 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            index += 2
            if escaped.isdigit() and escaped != "0":
                raise PatternError(f"a back-reference (\\{escaped}) in {pattern!r}")
            out.append("\\z" if escaped == "Z" and not in_class else "\\" + escaped)
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
            if pattern.startswith("^", index + 1):
                out.append("^")
                index += 1
            if pattern.startswith("]", index + 1):  # a "]" first in a class is a literal
                out.append("\\]")
                index += 1
        elif pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
            raise PatternError(f"a lookaround in {pattern!r}")
        elif char == "$":
            out.append(r"(?:\n?$)")
        else:
            out.append(char)
        index += 1
    return "".join(out)


def compile(pattern: str) -> "re2._Regexp":
    """``pattern`` (Python's syntax, see ``re2_source``) compiled by RE2, once per process.

    It reads ``\\w``, ``\\s``, ``\\d`` and ``\\b`` by ASCII: give it ``ascii_view(text)`` where
    that matters, or use ``Pattern``.
    """
    return _compiled(re2_source(pattern), pattern)


@cache
def _compiled(source: str, written: str = "") -> "re2._Regexp":
    """RE2 source (no translation) compiled once per process; ``written`` is what an error
    names, when the source was translated from it."""
    try:
        return re2.compile(source)
    except re2.error as error:
        raise PatternError(f"RE2 cannot compile {written or source!r}: {error}") from error


def runs(characters: str, at_least: int) -> str:
    """Source matching any one of ``characters`` written ``at_least`` times running: Python's
    ``([...])\\1{n,}`` without the back-reference RE2 lacks (one branch a character)."""
    return "|".join(f"{re2.escape(char)}{{{at_least},}}" for char in characters)


class CharTable(dict):
    """A ``str.translate`` table filled as characters are met: ``rule(code)`` is what the
    character reads as (a code or a string). It keeps at most 100,000 characters, whatever
    text comes."""

    def __init__(self, rule, known: dict[int, int | str] | None = None):
        super().__init__(known or {})
        self._rule = rule

    def __missing__(self, code: int):
        value = self._rule(code)
        if len(self) < 100_000:
            self[code] = value
        return value


def _ascii_class(code: int) -> int | str:
    char = chr(code)
    if char.isspace():
        return " "
    if 0xD800 <= code <= 0xDFFF:  # half a surrogate pair: not UTF-8, not a letter
        return "?"
    if code > 0x7F and (char.isalnum() or char == "_"):
        return "X"
    return code


_CLASSES = CharTable(
    _ascii_class,
    {code: code for code in range(0x80)} | {ord(char): " " for char in _ODD_SPACES},
)


@lru_cache(maxsize=64)
def ascii_view(text: str) -> str:
    """``text``, as long, with what RE2 reads differently from Python made plain to it:
    letters and digits of other scripts as "X", spaces RE2 does not know as " "."""
    if text.isascii() and not any(char in text for char in _ODD_SPACES):
        return text
    return text.translate(_CLASSES)


class Found:
    """A match: ``start()``, ``end()``, ``span()`` and ``group()`` as ``re.Match`` has them."""

    __slots__ = ("_end", "_start", "string")

    def __init__(self, string: str, start: int, end: int):
        self.string, self._start, self._end = string, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def span(self) -> tuple[int, int]:
        return self._start, self._end

    def group(self) -> str:
        return self.string[self._start : self._end]

    def __repr__(self) -> str:
        return f"<Found span={self.span()} {self.group()!r}>"


class _CharOffsets:
    """Byte offsets in UTF-8 text to character offsets, asked for in increasing order."""

    __slots__ = ("_byte", "_char", "_encoded")

    def __init__(self, encoded: bytes):
        self._encoded = encoded
        self._byte = self._char = 0

    def at(self, offset: int) -> int:
        if offset < self._byte:  # never, as the searches go on: counted from 0 again
            self._byte = self._char = 0
        self._char += len(self._encoded[self._byte : offset].decode("utf-8"))
        self._byte = offset
        return self._char


@lru_cache(maxsize=128)
def _searched(text: str, sentinel: bool) -> tuple[str, bytes]:
    """What RE2 searches for ``text``: its ASCII view (after the sentinel), as UTF-8 once
    for all the patterns that read it."""
    view = ascii_view(text)
    searched = _SENTINEL + view if sentinel else view
    return searched, searched.encode("utf-8")


class Pattern:
    """A pattern with optional one-character lookarounds at its edges, run by RE2.

    ``Pattern(source)`` is ``source`` as it is. ``not_after="a-z"`` is ``(?<![a-z])`` before
    it, ``not_before="a-z"`` is ``(?![a-z])`` after it (class contents, as inside brackets).
    ``Pattern.contextual(source)`` takes RE2 source whose every top-level alternative opens
    with exactly one character class (what may stand before the match) and whose capturing
    groups mark the match proper (the first one that took part): for patterns whose
    alternatives look behind differently. Searches, ``finditer``, ``findall`` and ``sub`` give
    what Python's ``re`` gives for the same pattern written with lookarounds.
    """

    __slots__ = ("_groups", "_search", "_sentinel", "regex", "source", "whole")

    def __init__(self, source: str, *, not_after: str = "", not_before: str = ""):
        self.source = source
        self.whole = compile(source)
        if not (not_after or not_before):
            self._setup(self.whole, groups=(0,), sentinel=False)
            return
        tail = f"(?:[^{not_before}]|$)" if not_before else ""
        head = f"[^{not_after}]" if not_after else ""
        self._setup(_compiled(f"{head}({re2_source(source)}){tail}"), sentinel=bool(not_after))

    @classmethod
    def contextual(cls, source: str) -> "Pattern":
        """See the class: ``source`` is RE2 source, each alternative opening with a class."""
        pattern = cls.__new__(cls)
        pattern.source = source
        pattern.whole = None
        pattern._setup(_compiled(source), sentinel=True)
        return pattern

    def _setup(self, regex, *, groups: tuple[int, ...] | None = None, sentinel: bool) -> None:
        self.regex = regex
        # Searched in the text's UTF-8, encoded once for every pattern (``_searched``): the
        # binding takes bytes as they are and answers in byte offsets.
        self._search = regex.search
        self._groups = groups or tuple(range(1, regex.groups + 1))
        self._sentinel = sentinel

    def _spans(self, text: str):
        """The (start, end) of each match, left to right, not overlapping."""
        searched, encoded = _searched(text, self._sentinel)
        shift = 1 if self._sentinel else 0
        chars = None if len(encoded) == len(searched) else _CharOffsets(encoded)
        search, groups, position, size = self._search, self._groups, 0, len(encoded)
        while position <= size:
            found = search(encoded, position)
            if found is None:
                return
            start, end = next(span for g in groups if (span := found.span(g))[0] != -1)
            if chars is None:
                yield start - shift, end - shift
                following = preceding = 1
            else:
                start_char, end_char = chars.at(start), chars.at(end)
                yield start_char - shift, end_char - shift
                following = len(searched[end_char : end_char + 1].encode("utf-8")) or 1
                preceding = len(searched[end_char - 1 : end_char].encode("utf-8"))
            if end == start:  # no empty match twice at one place: on past its character
                position = end if shift else end + following
            else:  # the next match may look behind at this one's last character
                position = end - preceding if shift else end

    def search(self, text: str) -> Found | None:
        """The leftmost match, or None."""
        for start, end in self._spans(text):
            return Found(text, start, end)
        return None

    def finditer(self, text: str):
        return (Found(text, start, end) for start, end in self._spans(text))

    def findall(self, text: str) -> list[str]:
        """The text of every match (whatever groups the pattern has)."""
        return [text[start:end] for start, end in self._spans(text)]

    def sub(self, replacement: str, text: str) -> str:
        """``text`` with every match replaced by ``replacement`` (taken literally)."""
        pieces, last = [], 0
        for start, end in self._spans(text):
            pieces += [text[last:start], replacement]
            last = end
        return "".join(pieces) + text[last:] if pieces else text

    def match(self, text: str) -> bool:
        """Whether a match starts at the start of ``text``."""
        if self.whole is None:
            raise PatternError("a contextual pattern has no whole-text form")
        return self.whole.match(ascii_view(text)) is not None

    def fullmatch(self, text: str) -> bool:
        """Whether all of ``text`` matches (lookarounds hold at the text's edges)."""
        if self.whole is None:
            raise PatternError("a contextual pattern has no whole-text form")
        return self.whole.fullmatch(ascii_view(text)) is not None

    def __repr__(self) -> str:
        return f"<Pattern {self.source[:60]!r}>"
