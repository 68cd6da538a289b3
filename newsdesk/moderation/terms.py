"""The maintained term lists in ``moderation/data/``, loaded once per process.

Each list is a text file, one entry a line, ``#`` starting a comment. Weighted lists give
``weight<TAB>pattern<TAB>description``; plain lists give one word or regex fragment a line.
Editing a file and restarting the site is how the lists are maintained (they are data, not
code, and reviewed like code). Entries are Python-style regex fragments run by RE2
(``linear``): no lookaround and no back-reference, except that a weighted entry may end with
one ``(?!...)`` ("unless followed by"). A list RE2 cannot run is refused at start-up with the
file and entry named (``lists_load``, run by the app's system check).
"""

from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsdesk.moderation import conf, linear
from newsdesk.moderation.text import any_term_pattern, term_pattern

DATA_DIR = Path(__file__).resolve().parent / "data"
# How far after a match an entry's closing "(?!...)" reads: a bound, so that passing over many
# matches costs time linear in the text.
UNLESS_WINDOW = 100


@dataclass(frozen=True)
class WeightedPattern:
    """A regex with how strongly its match counts (0..1) and what moderators are told.

    ``unless`` is what may not follow a match (the entry's closing ``(?!...)``), read in the
    ``UNLESS_WINDOW`` characters after it: a match followed by it is passed over, as Python's
    regex engine would pass over it.
    """

    weight: float
    pattern: linear.Pattern
    description: str
    unless: linear.Pattern | None = None

    def search(self, text: str) -> linear.Found | None:
        """The leftmost match not followed by ``unless``, or None."""
        if self.unless is None:
            return self.pattern.search(text)
        for match in self.pattern.finditer(text):
            following = text[match.end() : match.end() + UNLESS_WINDOW]
            if not self.unless.match(following):
                return match
        return None


@dataclass(frozen=True)
class Slur:
    """A slur: its canonical spelling (never shown in full), weight, and its matcher."""

    term: str
    weight: float
    pattern: linear.Pattern


def _lines(name: str) -> list[str]:
    paths = [DATA_DIR / name]
    if conf.EXTRA_TERMS_DIR:
        paths.append(Path(conf.EXTRA_TERMS_DIR) / name)
    lines = []
    for path in paths:
        if not path.exists():
            continue
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.split(" #", 1)[0].rstrip() if not raw.startswith("#") else ""
            if line.strip():
                lines.append(line.strip())
    return lines


@cache
def words(name: str) -> tuple[str, ...]:
    """A plain list: one word or regex fragment a line."""
    return tuple(_lines(name))


def alternation_source(name: str) -> str:
    """A plain list as one regex alternation, without the whole-word edges."""
    return "|".join(f"(?:{entry})" for entry in words(name))


@cache
def alternation(name: str) -> linear.Pattern:
    """A plain list as one whole-word regex (entries are regex fragments): not after and not
    before a letter."""
    with _naming(name):
        return linear.Pattern(alternation_source(name), not_after="a-z", not_before="a-z")


def _unless_split(source: str) -> tuple[str, str | None]:
    """An entry ending with ``(?!X)`` as (the entry before it, X); else (entry, None).

    Only a whole entry may have one: ``a|b(?!x)`` (the lookahead on one alternative) is
    refused, as is any other lookaround (by ``linear``).
    """
    depth, index, in_class, last_group, bars = 0, 0, False, None, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            index += 1 if source.startswith("^", index + 1) else 0
            index += 1 if source.startswith("]", index + 1) else 0
        elif char == "(":
            if depth == 0:
                last_group = index
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            bars = True
        index += 1
    if last_group is None or not source.endswith(")") or not source.startswith("(?!", last_group):
        return source, None
    if bars:
        raise linear.PatternError(f"(?!...) ends only one alternative of {source!r}")
    return source[:last_group], source[last_group + 3 : -1]


@contextmanager
def _naming(name: str):
    """A ``PatternError`` raised inside names the list ``name``."""
    try:
        yield
    except linear.PatternError as error:
        raise linear.PatternError(f"moderation list {name}: {error}") from error


@cache
def weighted(name: str) -> tuple[WeightedPattern, ...]:
    """A weighted list: ``weight<TAB>regex<TAB>description`` a line."""
    entries = []
    with _naming(name):
        for line in _lines(name):
            weight, source, description = (part.strip() for part in line.split("\t"))
            source, unless = _unless_split(source)
            pattern = linear.Pattern(source)
            unless = linear.Pattern(unless) if unless else None
            entries.append(WeightedPattern(float(weight), pattern, description, unless))
    return tuple(entries)


@cache
def weighted_any(name: str) -> linear.Pattern:
    """Every entry of a weighted list in one pattern (closing ``(?!...)`` left out): where
    it does not match, no entry does. One search instead of one per entry."""
    sources = [entry.pattern.source for entry in weighted(name)]  # each entry checked first
    with _naming(name):
        return linear.Pattern("|".join(f"(?:{source})" for source in sources))


def lists_load() -> None:
    """Compile every list now (at start-up, by the system check), so that a list RE2
    cannot run is a ``PatternError`` naming it before any comment is posted."""
    for path in sorted(DATA_DIR.glob("*.txt")):
        if path.name in ("hate_slurs.txt", "spam_domains.txt"):
            continue
        if any("\t" in line for line in _lines(path.name)):
            weighted_any(path.name)
        else:
            alternation(path.name)
    slurs_any()


def weighted_matches(name: str, text: str) -> list[tuple[WeightedPattern, linear.Found]]:
    """Each entry of a weighted list that matches ``text``, with its leftmost match."""
    if weighted_any(name).search(text) is None:
        return []
    found = ((entry, entry.search(text)) for entry in weighted(name))
    return [(entry, match) for entry, match in found if match is not None]


@cache
def slurs_any() -> linear.Pattern:
    """Every slur's pattern in one: where it does not match, no slur does."""
    return any_term_pattern([slur.term for slur in slurs()])


@cache
def slurs() -> tuple[Slur, ...]:
    """The slur list: ``weight<TAB>term`` a line, matched through obfuscation."""
    entries = []
    for line in _lines("hate_slurs.txt"):
        weight, term = (part.strip() for part in line.split("\t"))
        entries.append(Slur(term, float(weight), term_pattern(term)))
    return tuple(entries)


@cache
def spam_domains() -> frozenset[str]:
    return frozenset(entry.lower() for entry in words("spam_domains.txt"))
