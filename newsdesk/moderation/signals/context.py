"""Use or mention: is a hateful word used against people, or quoted to condemn it?

"Someone spray-painted 'k*ke' on the synagogue; that is vile" mentions a slur; a comment
calling people by it uses it. A mention in a condemning comment counts for a third, a
quoted or introduced word in a comment that does not condemn it for two thirds: held for a
human rather than published or rejected on a guess.
"""

import re

from newsdesk.moderation import terms

MENTION_FACTOR = 0.3
UNCLEAR_MENTION_FACTOR = 0.7


def is_condemning(text: str) -> bool:
    return bool(terms.alternation("context_condemning.txt").search(text))


def _introduced(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    pattern = terms.alternation("context_mention.txt").pattern
    return bool(re.search(rf"(?:{pattern})\W{{0,3}}$", before))


def _quoted(text: str, start: int, end: int) -> bool:
    """Inside a pair of quotes: "…", '…' or «…» around the word, within its sentence."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    for opening, closing in (('"', '"'), ("'", "'"), ("«", "»"), ("`", "`")):
        left = before.rfind(opening)
        if left == -1 or any(mark in before[left:] for mark in ".!?"):
            continue
        if opening == "'" and left > 0 and before[left - 1].isalpha():
            continue  # an apostrophe ("it's"), not a quote
        right = after.find(closing)
        if right != -1 and not any(mark in after[:right] for mark in ".!?"):
            return True
    return False


def mention_factor(text: str, match: re.Match, *, condemning: bool) -> float:
    """How much a match counts, 0..1, given how it is framed in the comment."""
    framed = _quoted(text, match.start(), match.end()) or _introduced(text, match.start())
    if framed and condemning:
        return MENTION_FACTOR
    if framed:
        return UNCLEAR_MENTION_FACTOR
    return 1.0
