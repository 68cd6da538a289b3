# ruff: noqa: RUF001 (lookalike letters are what this module undoes)
"""Text as the signals see it: plain, folded, de-obfuscated, and term patterns that see
through leetspeak, repeated letters, inserted punctuation or spaces and homoglyphs.

``fold`` undoes what Unicode allows (full-width letters, accents, Cyrillic and Greek
lookalikes, zero-width characters) and lowercases. ``deleet`` also reads digits and symbols
inside words as the letters they imitate ("h0l0caust" → "holocaust"), for the phrase
patterns. Slur terms are matched with ``obfuscated_term_pattern``, whose letter classes
accept the usual substitutions directly, so "n.i.g.g.e.r", "k i k e" and "f@gg0t" match.
"""

import html
import re
import unicodedata
from functools import cache

import nh3

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
_LONG_RUNS = re.compile(r"([a-z])\1{2,}")
# A whole token with a digit or symbol in it: the only kind ``deleet`` may change (the
# lookbehind starts a match only where a token starts, so a long word is scanned once).
_LEET_TOKEN = re.compile(r"(?<![a-z0-9@$!])[a-z0-9@$!]*[0-9@$!][a-z0-9@$!]*")


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


def _deleet_word(match: re.Match) -> str:
    word = match.group(0)
    if not any(ch.isalpha() for ch in word):
        return word
    return word.translate(_DELEET)


def deleet(folded: str) -> str:
    """Folded text with leetspeak read as letters and letters repeated 3+ times squeezed.

    Numbers stay numbers: only a token that also holds letters is translated.
    """
    text = _LEET_TOKEN.sub(_deleet_word, folded)
    return _LONG_RUNS.sub(r"\1", text)


def _letter_class(letter: str) -> str:
    chars = _LEET.get(letter, letter)
    if letter in _VOWELS:
        chars += "*"
    return "[" + re.escape(chars) + "]"


def obfuscated_term_pattern(term: str) -> str:
    """A regex matching ``term`` written plainly or obfuscated, as a whole word.

    Two spellings are accepted: letters together, each possibly repeated and separated by
    up to two punctuation marks ("niiigger", "f@g.g0t"), or every letter apart ("k i k e",
    "k-i-k-e"). Only the spaced-out form may contain spaces, so two ordinary words never
    join into a term. An English plural or "-y"/"-z" ending is allowed.
    """
    letters = [ch for ch in term if not ch.isspace()]
    first, *rest = [_letter_class(ch) for ch in letters]
    together = f"{first}*" + "".join(rf"(?:[^\w\s]|_){{0,2}}{cls}+" for cls in rest)
    apart = "".join(rf"[\s\W_]{{1,3}}{cls}" for cls in rest)
    # The first letter leads and the word's start is checked behind it ("not after a letter
    # or digit" is then two characters back): a pattern that opens with a letter lets
    # Python's regex engine skip to where that letter occurs, three times faster on the
    # forty slurs every comment is searched for.
    return rf"{first}(?<![a-z0-9].)(?:{together}|{apart})(?:e?[sz]|y)?(?![a-z])"


@cache
def compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def mask(term: str) -> str:
    """A slur as moderators may see it: first letter, then stars ("k***")."""
    return term[0] + "*" * (len(term) - 1) if term else term


SENTENCE_SPLIT = re.compile(r"(?<=[.!?;\n])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_SPLIT.split(text) if part.strip()]
