"""Skipping a regex search that cannot match: the literal text any match must contain.

Most comments match none of the term lists, yet each list pattern is searched for at every
position of the comment: Python's regex engine has no fast skip for a pattern that opens
with ``\\b`` or an alternation. ``required_literals`` reads a pattern's syntax tree and finds
strings of which every match contains at least one ("cheap", "discount", ... for a list of
sales words). ``LiteralGuard.search`` looks for those with ``in`` (a fast substring search)
and runs the regex only when one is there, so its answer is always the regex's own.
"""

import re
from re import _constants as C  # the engine's opcode names
from re import _parser


def _best(current: frozenset[str] | None, candidate: frozenset[str] | None):
    """The more selective requirement: the one whose shortest literal is longer, then the
    one with fewer alternatives."""
    if candidate is None:
        return current
    if current is None:
        return candidate

    def rank(literals):
        return (min(map(len, literals)), -len(literals))

    return candidate if rank(candidate) > rank(current) else current


def _sequence(items) -> frozenset[str] | None:
    """What a run of nodes requires: its most selective required part (None: nothing)."""
    best, run = None, []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            best, run = _best(best, frozenset(["".join(run)])), []
        best = _best(best, _node(op, av))
    if run:
        best = _best(best, frozenset(["".join(run)]))
    return best


def _node(op, av) -> frozenset[str] | None:
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, pattern = av
        return None if add_flags & re.IGNORECASE else _sequence(pattern.data)
    if op is C.ATOMIC_GROUP:
        return _sequence(av.data)
    if op is C.BRANCH:
        alternatives = [_sequence(branch.data) for branch in av[1]]
        if any(alternative is None for alternative in alternatives):
            return None
        return frozenset().union(*alternatives)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _high, pattern = av
        return _sequence(pattern.data) if low >= 1 else None
    # Anything else (a character class, ".", an assertion, a back-reference) requires no
    # literal text of its own.
    return None


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings of which every match of ``pattern`` contains one; None when the pattern
    guarantees none (or is case-insensitive, where ``in`` would not be enough)."""
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    literals = _sequence(parsed.data)
    if literals is None or "" in literals:
        return None
    return literals


class LiteralGuard:
    """A compiled pattern that searches only text containing one of its required literals."""

    __slots__ = ("literals", "pattern")

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        literals = required_literals(pattern.pattern) if not pattern.flags & re.IGNORECASE else None
        # Longest first: the rarer strings usually decide sooner that the text lacks them all.
        self.literals = tuple(sorted(literals, key=len, reverse=True)) if literals else None

    def search(self, text: str) -> re.Match | None:
        if self.literals is not None and not any(literal in text for literal in self.literals):
            return None
        return self.pattern.search(text)
