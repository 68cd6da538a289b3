"""The maintained term lists in ``moderation/data/``, loaded once per process.

Each list is a text file, one entry a line, ``#`` starting a comment. Weighted lists give
``weight<TAB>pattern<TAB>description``; plain lists give one word or regex fragment a line.
Editing a file and restarting the site is how the lists are maintained (they are data, not
code, and reviewed like code).
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from newsdesk.moderation import conf
from newsdesk.moderation.prefilter import LiteralGuard
from newsdesk.moderation.text import obfuscated_term_pattern

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class WeightedPattern:
    """A regex with how strongly its match counts (0..1) and what moderators are told."""

    weight: float
    pattern: re.Pattern
    description: str
    guard: LiteralGuard = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "guard", LiteralGuard(self.pattern))

    def search(self, text: str) -> re.Match | None:
        """``pattern.search(text)``, skipped when the text lacks every literal it needs."""
        return self.guard.search(text)


@dataclass(frozen=True)
class Slur:
    """A slur: its canonical spelling (never shown in full), weight, and its matcher."""

    term: str
    weight: float
    pattern: re.Pattern


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


@cache
def alternation(name: str) -> re.Pattern:
    """A plain list as one whole-word regex (entries are regex fragments)."""
    body = "|".join(f"(?:{entry})" for entry in words(name))
    return re.compile(rf"(?<![a-z])(?:{body})(?![a-z])")


@cache
def weighted(name: str) -> tuple[WeightedPattern, ...]:
    """A weighted list: ``weight<TAB>regex<TAB>description`` a line."""
    entries = []
    for line in _lines(name):
        weight, pattern, description = (part.strip() for part in line.split("\t"))
        entries.append(WeightedPattern(float(weight), re.compile(pattern), description))
    return tuple(entries)


@cache
def slurs() -> tuple[Slur, ...]:
    """The slur list: ``weight<TAB>term`` a line, matched through obfuscation."""
    entries = []
    for line in _lines("hate_slurs.txt"):
        weight, term = (part.strip() for part in line.split("\t"))
        entries.append(Slur(term, float(weight), re.compile(obfuscated_term_pattern(term))))
    return tuple(entries)


@cache
def spam_domains() -> frozenset[str]:
    return frozenset(entry.lower() for entry in words("spam_domains.txt"))
