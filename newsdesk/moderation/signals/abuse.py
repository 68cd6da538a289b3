"""Abuse aimed at people: insults and threats directed at a reader, the writer or anyone.

The line it draws: "you are an idiot" or "the author is a brain-dead hack" is abuse, "the
president is a corrupt liar" is fierce criticism of someone in public office, published.
Threats and wishes of harm count whoever is threatened, presidents included. Gendered and
ableist slurs count whoever they are aimed at. The profanity model's score adds weight only
when the comment addresses someone.
"""

from functools import cache

from newsdesk.moderation import linear, terms
from newsdesk.moderation.signals import offensive
from newsdesk.moderation.signals.base import PreparedComment, SignalResult, clamp
from newsdesk.moderation.signals.context import is_condemning, mention_factor
from newsdesk.moderation.text import sentences

NAME = "abuse"
LABEL = "Abuse aimed at people"

DIRECTED_INSULT = 0.9
SITE_PERSON_INSULT = 0.85
STRONG_INSULT = 0.75
ADDRESSED_INSULT = 0.7
EXCLAIMED_INSULT = 0.7
PROFANE_ADDRESS = 0.6

_SECOND_PERSON = linear.Pattern(
    r"(?:you|u|ya|youre|you're|ur|your|yours|yourself|thou)", not_after="a-z", not_before="a-z'"
)
# People on the site, not in public office: the writer, moderators, other readers.
_SITE_PERSON = linear.Pattern(
    r"\b(?:(?:the|this|that) (?:author|writer|journalist|reporter|moderator|mod|commenter|"
    r"poster|guy|woman|man|person|girl|dude)|whoever wrote (?:this|it)|the (?:woman|man|person|"
    r"guy) who|the reporter's|the author's|commenter above)\b"
)
# A word as the insult patterns read one ("[\w*']+"), other than "not" (Python's
# "(?!not\b)[\w*']+", without the lookahead): a run that does not start "n", "no" or
# "not", or is "n" or "no", or goes on with a letter, digit or "_" after "not".
_WORD_CHARACTER = r"[\w*']"


def _word_character_but(letter: str) -> str:
    others = "abcdefghijklmnopqrstuvwxyz".replace(letter, "")
    return f"[0-9A-Z_*'{others}]"


_NOT_NOT = (
    rf"(?:{_word_character_but('n')}{_WORD_CHARACTER}*"
    rf"|n(?:{_word_character_but('o')}{_WORD_CHARACTER}*)?"
    rf"|no(?:{_word_character_but('t')}{_WORD_CHARACTER}*)?|not\w{_WORD_CHARACTER}*)"
)


@cache
def _patterns() -> dict[str, linear.Pattern]:
    insults = terms.alternation_source("abuse_insults.txt")
    return {
        "insult": terms.alternation("abuse_insults.txt"),
        "strong": terms.alternation("abuse_strong_insults.txt"),
        "public": terms.alternation("abuse_public_figures.txt"),
        # "you are a paid shill", "you absolute clown", "ur a dumb piece of shit"
        "directed": linear.Pattern(
            r"(?:you(?:'re| are|re| r)?|ur|u r|u|ya|yer)\s+"
            rf"(?:{_NOT_NOT},?\s+){{0,4}}?(?:{insults})",
            not_after="a-z",
            not_before="a-z",
        ),
        # "what an imbecile", "what a dumb cunt"
        "exclaimed": linear.Pattern(
            rf"(?:^|[.!?]\s*)what an?\s+(?:[\w*']+,?\s+){{0,2}}?(?:{insults})",
            not_before="a-z",
        ),
    }


def _weighted_findings(list_name: str, text: str, condemning: bool) -> list[tuple[float, str]]:
    """Matches of a weighted list, each weighed by how it is framed (quoted, condemned)."""
    findings = []
    for entry, match in terms.weighted_matches(list_name, text):
        factor = mention_factor(text, match, condemning=condemning)
        findings.append((entry.weight * factor, entry.description))
    return findings


def _insult_findings(prepared: PreparedComment, condemning: bool) -> list[tuple[float, str]]:
    patterns = _patterns()
    text = prepared.matchable
    findings = []
    word_count = len(text.split())
    # Whether the comment addresses someone: asked once, not once per sentence (that made
    # a comment of many short insults quadratic).
    addresses_someone = None
    for sentence in sentences(text):
        insult = patterns["insult"].search(sentence)
        strong = patterns["strong"].search(sentence)
        if strong:
            factor = mention_factor(sentence, strong, condemning=condemning)
            findings.append((STRONG_INSULT * factor, "a slur-like insult"))
        if not insult:
            continue
        public = patterns["public"].search(sentence)
        directed = patterns["directed"].search(sentence)
        if directed:
            factor = mention_factor(sentence, directed, condemning=condemning)
            findings.append((DIRECTED_INSULT * factor, "an insult aimed at the reader addressed"))
        if _SITE_PERSON.search(sentence):
            findings.append((SITE_PERSON_INSULT, "an insult aimed at the writer or a reader"))
        exclaimed = patterns["exclaimed"].search(sentence)
        if exclaimed and not public:
            findings.append((EXCLAIMED_INSULT, "an insult aimed at a person"))
        if addresses_someone is None:
            addresses_someone = _SECOND_PERSON.search(text) is not None
        addressed = addresses_someone and (word_count <= 30 or prepared.candidate.parent_body)
        if addressed and not public:
            findings.append((ADDRESSED_INSULT, "insults in a comment addressing someone"))
    return findings


def score(prepared: PreparedComment) -> SignalResult:
    text = prepared.matchable
    condemning = is_condemning(text)
    threats = _weighted_findings("abuse_threats.txt", text, condemning)
    findings = [
        *threats,
        *_weighted_findings("abuse_putdowns.txt", text, condemning),
        *_insult_findings(prepared, condemning),
    ]
    profanity = offensive.profanity_of(prepared)
    if profanity >= 0.9 and _SECOND_PERSON.search(text) and not _patterns()["public"].search(text):
        findings.append(
            (PROFANE_ADDRESS, f"profanity in a comment addressing someone ({profanity:.2f})")
        )
    top = max((weight for weight, _ in findings), default=0.0)
    reasons = sorted({reason for weight, reason in findings if weight >= 0.2})
    # A threat or a call for violence, not explained away by its framing, is severe.
    threatened = any(weight >= 0.85 for weight, _ in threats)
    return SignalResult(
        NAME,
        clamp(top),
        "; ".join(reasons) or "no insult or threat aimed at a person",
        severe=threatened,
    )


def score_many(prepared: list[PreparedComment]) -> list[SignalResult]:
    offensive.profanity_fill(prepared)
    return [score(item) for item in prepared]
