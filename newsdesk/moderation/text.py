# ruff: noqa: RUF001 (lookalike letters are what this module undoes)
"""Text as the signals see it: plain, folded, de-obfuscated, and term patterns that see
through leetspeak, repeated letters, inserted punctuation or spaces and homoglyphs.

``fold`` undoes what Unicode allows (full-width letters, accents, Cyrillic and Greek
lookalikes, zero-width characters) and lowercases. ``deleet`` also reads digits and symbols
inside words as the letters they imitate ("h0l0caust" → "holocaust"), for the phrase
patterns. Slur terms are matched with ``term_pattern``, whose letter classes accept the usual
substitutions directly, so "n.i.g.g.e.r", "k i k e" and "f@gg0t" match. Every pattern here
runs under RE2 (``linear``): linear in the text, however it is written.
"""

import html
import re
import string
import unicodedata

import nh3

from newsdesk.moderation import linear

# Letters of other scripts that look like Latin ones, as used to dodge filters.
_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ɡ": "g", "ո": "n", "ս": "u", "г": "r", "п": "n", "ь": "b",
        "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p",
        "С": "c", "Т": "t", "У": "y", "Х": "x", "І": "i", "Ј": "j", "Ѕ": "s",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "Α": "a", "Β": "b", "Ε": "e",
        "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o", "Ρ": "p", "Τ": "t",
        "Υ": "y", "Χ": "x", "Ζ": "z",
        # Other lookalikes and invisible characters
        "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe",
        "’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"',
        "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    }
)  # fmt: skip

# What each letter may be written as. Vowels may also be starred out ("k*ke").
_LEET = {
    "a": "a4@^",
    "b": "b8",
    "c": "ck(",
    "e": "e3",
    "g": "g96q",
    "i": "i1!|ly",
    "k": "kc",
    "l": "l1|i",
    "o": "o0",
    "s": "s5$z",
    "t": "t7+",
    "u": "uvy",
    "z": "z2s",
}
_VOWELS = set("aeiouy")

# Digits and symbols read as letters when they sit inside a word.
_DELEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
# A letter written three or more times running.
_LONG_RUNS = linear.compile(linear.runs(string.ascii_lowercase, 3))
# A whole token with a digit or symbol in it: the only kind ``deleet`` may change. The
# leftmost match starts where its token starts (a match cannot start inside a token whose
# start would match too), and the greedy tail takes it to the token's end.
_LEET_TOKEN = linear.compile(r"[a-z0-9@$!]*[0-9@$!][a-z0-9@$!]*")


def plain_text(body: str) -> str:
    """The comment as text: markup removed, entities decoded, whitespace kept simple."""
    text = html.unescape(nh3.clean(body, tags=set())) if "<" in body or "&" in body else body
    return text.strip()


def fold(text: str) -> str:
    """Lowercase Latin text, with lookalike letters, accents and invisible characters undone."""
    if text.isascii():  # nothing to normalize or translate: every lookalike is non-ASCII
        return text.lower()
    text = unicodedata.normalize("NFKC", text).translate(_HOMOGLYPHS)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return text.casefold().translate(_HOMOGLYPHS)


def _deleet_word(match) -> str:
    word = match.group(0)
    if not any(ch.isalpha() for ch in word):
        return word
    return word.translate(_DELEET)


def deleet(folded: str) -> str:
    """Folded text with leetspeak read as letters and letters repeated 3+ times squeezed.

    Numbers stay numbers: only a token that also holds letters is translated.
    """
    text = _LEET_TOKEN.sub(_deleet_word, folded)
    return _LONG_RUNS.sub(_first_letter, text)


def _first_letter(match) -> str:
    return match.group()[0]


def _letter_class(letter: str) -> str:
    chars = _LEET.get(letter, letter)
    if letter in _VOWELS:
        chars += "*"
    return "[" + re.escape(chars) + "]"


def obfuscated_term_pattern(term: str) -> str:
    """The regex source matching ``term`` written plainly or obfuscated.

    Two spellings are accepted: letters together, each possibly repeated and separated by
    up to two punctuation marks ("niiigger", "f@g.g0t"), or every letter apart ("k i k e",
    "k-i-k-e"). Only the spaced-out form may contain spaces, so two ordinary words never
    join into a term. An English plural or "-y"/"-z" ending is allowed. That it is a whole
    word is ``term_pattern``'s part.
    """
    letters = [ch for ch in term if not ch.isspace()]
    first, *rest = [_letter_class(ch) for ch in letters]
    together = f"{first}*" + "".join(rf"(?:[^\w\s]|_){{0,2}}{cls}+" for cls in rest)
    apart = "".join(rf"[\s\W_]{{1,3}}{cls}" for cls in rest)
    return f"{first}(?:{together}|{apart})(?:e?[sz]|y)?"


def term_pattern(term: str) -> linear.Pattern:
    """``obfuscated_term_pattern`` as a whole word: not after a letter or digit, not before a
    letter."""
    return any_term_pattern([term])


def any_term_pattern(terms: list[str]) -> linear.Pattern:
    """One ``term_pattern`` for several terms: it matches where any of theirs does."""
    source = "|".join(f"(?:{obfuscated_term_pattern(term)})" for term in terms)
    return linear.Pattern(source, not_after="a-z0-9", not_before="a-z")


def mask(term: str) -> str:
    """A slur as moderators may see it: first letter, then stars ("k***")."""
    return term[0] + "*" * (len(term) - 1) if term else term


# Where sentences end: the spaces after ".", "!", "?" or ";", and from a line break to the
# next non-space. The same parts as splitting at Python's ``(?<=[.!?;\n])\s+|\n+`` (parts
# that are only spaces dropped), without looking behind: group 1 or 2 is the separator.
SENTENCE_END = linear.Pattern.contextual(r"[.!?;](\s+)|[\s\S](\n\s*)")


def sentences(text: str) -> list[str]:
    """The text's sentences, as they stand (spaces kept), without the empty ones."""
    parts, last = [], 0
    for separator in SENTENCE_END.finditer(text):
        parts.append(text[last : separator.start()])
        last = separator.end()
    parts.append(text[last:])
    return [part for part in parts if part.strip()]
