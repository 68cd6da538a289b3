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


def top_level_branches(pattern: str) -> list[str]:
    """``pattern`` split at each ``|`` that is outside groups, character classes and escapes."""
    branches, start, depth, index = [], 0, 0, 0
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A "]" first in the class (after an optional "^") is a literal, not its end.
            if pattern[index + 1 : index + 2] == "^":
                index += 1
            if pattern[index + 1 : index + 2] == "]":
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:index])
            start = index + 1
        index += 1
    branches.append(pattern[start:])
    return branches


def _by_length(literals: frozenset[str] | None) -> tuple[str, ...] | None:
    # Longest first: the rarer strings usually decide sooner that the text lacks them all.
    return tuple(sorted(literals, key=len, reverse=True)) if literals else None


class LiteralGuard:
    """A compiled pattern that searches only text containing one of its required literals.

    A pattern that is a list of alternatives (``a|b|c``, as most list entries are) is also
    searched branch by branch, each only where its own literals are: the engine tries every
    alternative at every position, so a text holding one put-down's words paid for all
    sixteen. The leftmost match wins, and among matches at one position the earliest branch,
    which is the whole pattern's own match.
    """

    __slots__ = ("branches", "literals", "pattern")

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        literals = required_literals(pattern.pattern) if not pattern.flags & re.IGNORECASE else None
        self.literals = _by_length(literals)
        self.branches = self._branches(pattern) if self.literals else None

    @staticmethod
    def _branches(pattern: re.Pattern) -> tuple | None:
        # Capturing groups would be numbered anew in each branch. Inline flags (only at the
        # start) are in ``pattern.flags``, which every branch is compiled with.
        if pattern.groups:
            return None
        sources = top_level_branches(pattern.pattern)
        if len(sources) < 2:
            return None
        return tuple(
            (_by_length(required_literals(source)), re.compile(source, pattern.flags))
            for source in sources
        )

    def search(self, text: str) -> re.Match | None:
        if self.literals is not None and not any(literal in text for literal in self.literals):
            return None
        if self.branches is None:
            return self.pattern.search(text)
        best = None
        for literals, branch in self.branches:
            if literals is not None and not any(literal in text for literal in literals):
                continue
            match = branch.search(text)
            if match is not None and (best is None or match.start() < best.start()):
                best = match
        return best
