"""Use or mention: is a hateful word used against people, or quoted to condemn it?

"Someone spray-painted 'k*ke' on the synagogue; that is vile" mentions a slur; a comment
calling people by it uses it. A mention in a condemning comment counts for a third, a
quoted or introduced word in a comment that does not condemn it for two thirds: held for a
human rather than published or rejected on a guess.
"""

from functools import cache

from newsdesk.moderation import linear, terms

MENTION_FACTOR = 0.3
UNCLEAR_MENTION_FACTOR = 0.7


def is_condemning(text: str) -> bool:
    return bool(terms.alternation("context_condemning.txt").search(text))


@cache
def _introducing() -> linear.Pattern:
    """A phrase that introduces a word ("the word", "called"), then at most three marks, at
    the end of the text searched."""
    source = terms.alternation_source("context_mention.txt")
    return linear.Pattern(rf"(?:{source})\W{{0,3}}$", not_after="a-z")


def _introduced(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    return _introducing().search(before) is not None


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


def mention_factor(text: str, match: linear.Found, *, condemning: bool) -> float:
    """How much a match counts, 0..1, given how it is framed in the comment."""
    framed = _quoted(text, match.start(), match.end()) or _introduced(text, match.start())
    if framed and condemning:
        return MENTION_FACTOR
    if framed:
        return UNCLEAR_MENTION_FACTOR
    return 1.0
