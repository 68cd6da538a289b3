"""Identity-based hate: slurs, dehumanizing language, calls for removal and hate tropes.

Rules from the maintained lists in ``data/`` (see ``terms``), matched through obfuscation,
weighed by how the words are framed (``context``: a slur quoted to condemn it counts for
little). The lists catch what they know, with certainty; the learned models catch new
phrasings, and the combined signal weighs both (this signal is one of its inputs). Slurs
are named in reasons only masked.
"""

from functools import cache

from newsdesk.moderation import linear, terms
from newsdesk.moderation.signals.base import PreparedComment, SignalResult, clamp
from newsdesk.moderation.signals.context import is_condemning, mention_factor
from newsdesk.moderation.text import mask, sentences

NAME = "hate"
LABEL = "Identity-based hate"

GROUP_DEHUMANIZED = 0.85
GROUP_SMEARED = 0.85
GROUP_REMOVAL = 0.6
GROUP_REMOVAL_ALL = 0.85
# "illegal immigrants" is the subject of an ordinary policy debate.
_POLICY_QUALIFIER = linear.Pattern(r"\billegal\s+$")
# A removal is a call when it is urged ("should", "must") or commanded (sentence-initial).
_URGED = linear.Pattern(
    r"\b(?:should|must|need to|needs to|have to|has to|let'?s|time to|ought to|gotta|"
    r"deserve to|want them|all of them|now)\b"
)
_GROUP_PRONOUN = linear.Pattern(r"\b(?:them|they|these people|those people)\b")
_EVERY = linear.Pattern(r"\b(?:all|every|each|last one|them all|every last|every single)\b")


@cache
def _smear() -> linear.Pattern:
    """A named group said to have a listed trait: "migrants are all criminals"."""
    groups = terms.alternation_source("hate_groups.txt")
    traits = terms.alternation_source("hate_traits.txt")
    return linear.Pattern(
        rf"(?:{groups})\s+(?:are|is|were)\s+(?:all\s+|just\s+|an?\s+)*(?:{traits})",
        not_after="a-z",
        not_before="a-z",
    )


def _slur_findings(prepared: PreparedComment, condemning: bool) -> list[tuple[float, str]]:
    text = prepared.folded_for_terms
    findings = []
    if terms.slurs_any().search(text) is None:  # most comments: one search, not forty
        return findings
    for slur in terms.slurs():
        match = slur.pattern.search(text)
        if match:
            factor = mention_factor(text, match, condemning=condemning)
            how = "quoted or reported" if factor < 1 else "used"
            findings.append((slur.weight * factor, f"slur “{mask(slur.term)}” {how}"))
    return findings


def _trope_findings(prepared: PreparedComment, condemning: bool) -> list[tuple[float, str]]:
    text = prepared.matchable
    findings = []
    for trope, match in terms.weighted_matches("hate_tropes.txt", text):
        factor = mention_factor(text, match, condemning=condemning)
        if condemning and factor == 1.0:
            factor = 0.5  # a trope named in a comment that condemns it
        findings.append((trope.weight * factor, trope.description))
    return findings


def _group_findings(prepared: PreparedComment, condemning: bool) -> list[tuple[float, str]]:
    groups = terms.alternation("hate_groups.txt")
    dehumanizing = terms.alternation("hate_dehumanizing.txt")
    removal = terms.alternation("hate_removal.txt")
    smear = _smear()
    findings = []
    previous_named_group = False
    for sentence in sentences(prepared.matchable):
        group = groups.search(sentence)
        if not group and previous_named_group:
            # "Every mosque is a terror camp. Burn them down.": "them" is the group.
            group = _GROUP_PRONOUN.search(sentence)
        previous_named_group = bool(groups.search(sentence))
        if not group:
            continue
        factor = 0.4 if condemning else 1.0
        if smear.search(sentence):
            findings.append((GROUP_SMEARED * factor, "a whole group smeared"))
        if dehumanizing.search(sentence):
            match = dehumanizing.search(sentence)
            framed = mention_factor(sentence, match, condemning=condemning)
            findings.append((GROUP_DEHUMANIZED * min(factor, framed), "dehumanizing language"))
        removal_match = removal.search(sentence)
        if removal_match:
            commanded = not sentence[: removal_match.start()].strip(" ,-—\"'").split()[1:]
            if not (_URGED.search(sentence) or commanded):
                continue  # told as history or news ("were expelled in 1492")
            if _POLICY_QUALIFIER.search(sentence[: group.start()]):
                continue
            weight = GROUP_REMOVAL_ALL if _EVERY.search(sentence) else GROUP_REMOVAL
            findings.append((weight * factor, "a call to remove or harm a group"))
    return findings


def names_a_group(prepared: PreparedComment) -> bool:
    return bool(terms.alternation("hate_groups.txt").search(prepared.matchable))


def score(prepared: PreparedComment) -> SignalResult:
    condemning = is_condemning(prepared.matchable)
    findings = [
        *_slur_findings(prepared, condemning),
        *_trope_findings(prepared, condemning),
        *_group_findings(prepared, condemning),
    ]
    reasons = sorted({reason for weight, reason in findings if weight >= 0.2})
    if not reasons:
        reasons = ["no slur, trope or dehumanizing language found"]
    rules = max((weight for weight, _ in findings), default=0.0)
    return SignalResult(NAME, clamp(rules), "; ".join(reasons))


def score_many(prepared: list[PreparedComment]) -> list[SignalResult]:
    return [score(item) for item in prepared]
